"""Safe on untrusted pull requests: the cache, git and the pre-commit hook.

A pull request controls every file of the checkout: anything committed under a
cache folder, folders that look like git repositories, file names. Each test
plays one such attack and checks that the gate still answers as an uncached,
honest run does, that no command a pull request configured runs, and that
nothing is written where the attacker wanted it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
import yaml

from pcso_policy.cache import FileResult
from pcso_policy.cli import run
from pcso_policy.commands import init
from pcso_policy.engine import Engine
from tests.support import BUILT_IN_ONLY, FRONT_MATTER, git, write

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
BAD = FRONT_MATTER.replace("status: draft", "status: live") + "\n# Test policy\n"
"""A policy with one error (front-matter/enum)."""
CLEAN = FRONT_MATTER.replace("id: T1", "id: T2") + "\n# Test policy\n"


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The victim's own cache folder (``$XDG_CACHE_HOME``), outside every checkout."""
    monkeypatch.delenv("PCSO_POLICY_CACHE_DIR", raising=False)
    folder = tmp_path / "victim-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_cache: Path) -> Path:
    """A policy repository as CI checks it out: one policy with an error, one clean; the working folder."""
    folder = tmp_path / "checkout"
    write(folder, ".pcso-policy.toml", BUILT_IN_ONLY)
    write(folder, "policies/bad.md", BAD)
    write(folder, "policies/clean.md", CLEAN)
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "policies")
    monkeypatch.chdir(folder)
    return folder


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["lint", "--format", "json", "--as-of", "2026-11-23", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def forge(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], attacker_cache: Path, *args: str) -> None:
    """What an attacker does on their own machine: lint with the tool changed to store an entry of no
    findings for every file, under the keys the real tool computes (every input of the key is public)."""
    original = Engine._store

    def forged(self: Engine, key: str | None, result: FileResult) -> FileResult:
        return original(self, key, FileResult((), result.suppressions, result.summaries))

    with monkeypatch.context() as patch:
        patch.setattr(Engine, "_store", forged)
        patch.setenv("XDG_CACHE_HOME", str(attacker_cache))
        run(["lint", "--format", "json", "--as-of", "2026-11-23", *args])
    capsys.readouterr()


def database_values(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "entries.sqlite3") as connection:
        values = [row[0] for row in connection.execute("SELECT value FROM entries")]
    connection.close()
    return values


# The cache


def test_a_forged_cache_committed_by_a_pull_request_does_not_pass_the_gate(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: commit a cache database whose entries say the policies have no findings, where the
    tool keeps (or used to keep) its cache, so that CI's lint exits 0 on a policy with an error."""
    honest = lint(capsys, "--no-cache")
    assert honest[0] == 1
    forge(monkeypatch, capsys, tmp_path / "attacker-cache")
    forge(monkeypatch, capsys, tmp_path / "attacker-cache", "--cache-dir", ".pcso-policy-cache")
    assert (checkout / ".pcso-policy-cache" / "entries.sqlite3").is_file()
    git(checkout, "add", "--force", ".")
    git(checkout, "commit", "-q", "-m", "the pull request")

    assert lint(capsys) == honest, "the default cache lives outside the checkout: nothing committed is read"
    code, out, err = lint(capsys, "--cache-dir", ".pcso-policy-cache")
    assert (code, out) == (2, "")
    assert err == (
        "pcso-policy: error: cache folder '.pcso-policy-cache' is tracked by git: a cache is never part of the "
        "repository (git rm -r --cached it), or pass --no-cache\n"
    )


def test_a_forged_cache_restored_from_elsewhere_fails_its_mac(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: a forged database reaches the runner outside git (CI storage restored from a pull
    request's run, a shared folder); its entries are authenticated with the attacker's key, not ours."""
    honest = lint(capsys, "--no-cache")
    shared = tmp_path / "shared-cache"
    forge(monkeypatch, capsys, tmp_path / "attacker-cache", "--cache-dir", str(shared))
    assert database_values(shared)
    assert lint(capsys, "--cache-dir", str(shared)) == honest
    assert lint(capsys, "--cache-dir", str(shared)) == honest, "our own entries now replace the forged ones"


def test_an_entry_edited_or_moved_to_another_key_is_a_miss(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: edit our own cache's entries in place (a changed message), or copy the entry of a
    clean policy over the one of a policy with an error (every entry is genuine, but under the wrong key)."""
    honest = lint(capsys, "--no-cache")
    folder = tmp_path / "cache"
    assert lint(capsys, "--cache-dir", str(folder)) == honest
    with sqlite3.connect(folder / "entries.sqlite3") as connection:
        connection.execute("UPDATE entries SET value = replace(value, 'status', 'STATUS')")
    connection.close()
    assert lint(capsys, "--cache-dir", str(folder)) == honest
    for value in database_values(folder):
        with sqlite3.connect(folder / "entries.sqlite3") as connection:
            connection.execute("UPDATE entries SET value = ?", (value,))
        connection.close()
        assert lint(capsys, "--cache-dir", str(folder)) == honest


def test_the_key_is_made_once_private_and_never_kept_with_the_entries(
    checkout: Path, tmp_path: Path, user_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where a cache folder travels (CI storage, a copy), its key must not travel with it."""
    lint(capsys)
    key = user_cache / "pcso-policy" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    first = key.read_bytes()
    lint(capsys, "--cache-dir", str(tmp_path / "explicit"))
    assert key.read_bytes() == first
    assert sorted(path.name for path in (tmp_path / "explicit").iterdir()) == [".gitignore", "CACHEDIR.TAG", "entries.sqlite3"]
    assert not list(checkout.rglob("*.sqlite3")) and not list(checkout.rglob("key"))


def test_a_default_cache_inside_the_checkout_is_refused_with_a_warning(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: the runner's cache folder is set inside the checkout (GitLab caches only paths there),
    so a pull request could commit a key and entries at the very place the tool would look."""
    honest = lint(capsys, "--no-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(checkout / ".cache"))
    code, out, err = lint(capsys)
    assert (code, out) == honest[:2]
    assert err == (
        f"pcso-policy: warning: not caching: the cache folder '{checkout / '.cache' / 'pcso-policy'}' is inside the "
        "checkout, where a pull request could put files: set PCSO_POLICY_CACHE_DIR to a folder outside it\n"
    )
    assert not (checkout / ".cache").exists()
    monkeypatch.setenv("PCSO_POLICY_CACHE_DIR", str(checkout / "policies" / "cache"))
    code, out, err = lint(capsys)
    assert (code, out) == honest[:2] and "inside the checkout" in err
    assert not (checkout / "policies" / "cache").exists()


def test_an_explicit_cache_folder_inside_the_checkout_is_used_while_untracked(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder the user names on purpose may sit in the work tree (ignored); only tracked ones are refused."""
    honest = lint(capsys, "--no-cache")
    assert lint(capsys, "--cache-dir", "build/cache") == honest
    assert (checkout / "build" / "cache" / "entries.sqlite3").is_file()
    assert git(checkout, "status", "--porcelain") == "", "the folder ignores itself"


def test_links_in_a_named_cache_folder_are_refused_and_nothing_is_written_through_them(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: the cache folder, or a file the tool writes in it, is a symbolic link to where the
    attacker wants a file created (a dangling link is followed when a file is created)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    linked = tmp_path / "linked-cache"
    linked.symlink_to(outside, target_is_directory=True)
    code, out, err = lint(capsys, "--cache-dir", str(linked))
    assert (code, out) == (2, "")
    assert err == f"pcso-policy: error: cache folder '{linked}' is a symbolic link: name the folder it leads to, or pass --no-cache\n"
    for name in ("entries.sqlite3", ".gitignore", "CACHEDIR.TAG"):
        folder = tmp_path / f"cache-with-{name}"
        folder.mkdir()
        (folder / name).symlink_to(outside / f"planted-{name}")
        code, out, err = lint(capsys, "--cache-dir", str(folder))
        assert (code, out) == (2, "")
        assert err == (
            f"pcso-policy: error: cache folder '{folder}' holds a symbolic link ('{name}'): delete the folder "
            "(it is rebuilt), or pass --no-cache\n"
        )
    assert list(outside.iterdir()) == []


def test_a_named_cache_folder_reached_through_a_committed_link_is_refused(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: CI names ``--cache-dir build/cache`` and a pull request commits ``build`` as a link to a
    folder outside the checkout, so that the cache's files are created there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (checkout / "build").symlink_to(outside, target_is_directory=True)
    git(checkout, "add", "build")
    git(checkout, "commit", "-q", "-m", "the pull request")
    code, out, err = lint(capsys, "--cache-dir", "build/cache")
    assert (code, out) == (2, "")
    assert err == (
        f"pcso-policy: error: cache folder 'build/cache' is reached through a symbolic link ('{checkout / 'build'}'): "
        "name the folder it leads to, or pass --no-cache\n"
    )
    assert list(outside.iterdir()) == []


def test_links_in_the_default_cache_folder_or_for_its_key_are_refused_with_a_warning(
    checkout: Path, tmp_path: Path, user_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same links where the tool keeps its cache and key by default: a warning, no cache, the same answer."""
    honest = lint(capsys, "--no-cache")
    outside = tmp_path / "outside"
    outside.mkdir()
    user_cache.mkdir()
    (user_cache / "pcso-policy").symlink_to(outside, target_is_directory=True)
    code, out, err = lint(capsys)
    assert (code, out) == honest[:2]
    assert err == (
        f"pcso-policy: warning: not caching: the cache folder '{user_cache / 'pcso-policy'}' is a symbolic link: "
        "delete it (it is rebuilt) or set PCSO_POLICY_CACHE_DIR\n"
    )
    (user_cache / "pcso-policy").unlink()
    (user_cache / "pcso-policy").mkdir()
    (user_cache / "pcso-policy" / "key").symlink_to(outside / "planted-key")
    code, out, err = lint(capsys)
    assert (code, out) == honest[:2]
    assert err == (
        f"pcso-policy: warning: not caching: the cache folder '{user_cache / 'pcso-policy'}' holds a symbolic link "
        "('key'): delete it (it is rebuilt) or set PCSO_POLICY_CACHE_DIR\n"
    )
    assert list(outside.iterdir()) == []


def test_a_key_others_can_read_is_not_used(checkout: Path, user_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Whoever can read the key can forge entries: a key readable by other users is refused."""
    honest = lint(capsys, "--no-cache")
    lint(capsys)
    key = user_cache / "pcso-policy" / "key"
    key.chmod(0o644)
    code, out, err = lint(capsys)
    assert (code, out) == honest[:2]
    assert err == (
        f"pcso-policy: warning: not caching: the cache key '{key}' can be read or written by other users: "
        "delete it (a new one is made)\n"
    )


def test_the_ci_examples_state_their_cache_choice() -> None:
    """A CI runner's home is fresh on every job, so a cache there gains nothing, and one restored from CI
    storage could have been written by a pull request's run: the examples lint with --no-cache."""
    for example in sorted(EXAMPLES.glob("*.yml")):
        text = example.read_text(encoding="utf-8")
        lines = [line.strip() for line in _commands(yaml.safe_load(text)) if line.strip().startswith("pcso-policy lint")]
        assert lines, example
        assert all("--no-cache" in line for line in lines), (example, lines)
        assert "cache" in "".join(line for line in text.splitlines() if line.lstrip().startswith("#")), example


def _commands(value: object) -> list[str]:
    if isinstance(value, dict):
        return [line for item in value.values() for line in _commands(item)]
    if isinstance(value, list):
        return [line for item in value for line in _commands(item)]
    return [value] if isinstance(value, str) else []


# Git


@pytest.fixture
def pwned(tmp_path: Path) -> Path:
    """The file a pull request's git configuration would create if git ran the command it names."""
    return tmp_path / "pwned"


def fsmonitor(marker: Path) -> str:
    return f"touch {shlex.quote(str(marker))}; false"


def test_a_fake_git_folder_in_the_checkout_is_not_used(
    checkout: Path, pwned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: ``policies/.git`` with ``core.fsmonitor`` naming a command, and a configuration in
    ``policies/`` so that a lint run from there roots its project in the fake repository. Git must be
    run in the checkout's own repository, where the fake folder's configuration means nothing."""
    policies = checkout / "policies"
    git(policies, "init", "-q")
    git(policies, "add", ".")
    git(policies, "commit", "-q", "-m", "fake")
    git(policies, "config", "core.fsmonitor", fsmonitor(pwned))
    write(policies, ".pcso-policy.toml", BUILT_IN_ONLY + 'paths = ["."]\n')
    monkeypatch.chdir(policies)
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-23", "--changed-since", "main"])
    captured = capsys.readouterr()
    assert not pwned.exists(), "git ran the command the fake repository's configuration names"
    assert code == 1, captured.err
    # Against the checkout's history the configuration is new, so every policy is linted.
    assert sorted({d["path"] for d in json.loads(captured.out)["diagnostics"]}) == ["./bad.md"]
    assert json.loads(captured.out)["summary"]["files"] == 2


def test_an_embedded_bare_repository_is_not_used(
    checkout: Path, tmp_path: Path, pwned: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack git can carry: a folder committed with ``HEAD``, ``config``, ``objects/`` and ``refs/``
    looks like a bare repository to git started inside it; its ``config`` makes the folder its own work
    tree and sets ``core.fsmonitor`` to a command."""
    bare = tmp_path / "fake.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(tmp_path, "--git-dir", str(bare), "--work-tree", str(checkout), "commit", "-q", "--allow-empty", "-m", "fake")
    folder = checkout / "policies" / "evil"
    shutil.copytree(bare, folder, ignore=shutil.ignore_patterns("hooks"))
    for setting, value in (("core.bare", "false"), ("core.worktree", "."), ("core.fsmonitor", fsmonitor(pwned))):
        git(folder, "--git-dir", ".", "config", setting, value)
    write(folder, ".pcso-policy.toml", BUILT_IN_ONLY + 'paths = ["."]\n')
    write(folder, "p.md", CLEAN.replace("id: T2", "id: T5"))
    git(checkout, "add", "--force", ".")
    git(checkout, "commit", "-q", "-m", "the pull request")
    monkeypatch.chdir(folder)
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-23", "--changed-since", "HEAD"])
    captured = capsys.readouterr()
    assert not pwned.exists(), "git ran the command the embedded repository's configuration names"
    assert code == 0 and json.loads(captured.out)["summary"]["files"] == 0, captured.err


def test_a_nested_repository_of_its_own_is_still_its_own_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not an attack: a policy repository cloned inside an untracked folder of another one (a home folder
    kept in git) is a repository of its own, and --changed-since compares against its history."""
    outer = tmp_path / "home"
    write(outer, "notes.txt", "mine\n")
    git(outer, "init", "-q")
    git(outer, "add", ".")
    git(outer, "commit", "-q", "-m", "home")
    inner = outer / "work" / "policies-repo"
    write(inner, ".pcso-policy.toml", BUILT_IN_ONLY)
    write(inner, "policies/a.md", CLEAN)
    git(inner, "init", "-q")
    git(inner, "add", ".")
    git(inner, "commit", "-q", "-m", "policies")
    write(inner, "policies/b.md", BAD)
    monkeypatch.chdir(inner)
    code = run(["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-23", "--changed-since", "main"])
    assert code == 1
    assert [d["path"] for d in json.loads(capsys.readouterr().out)["diagnostics"]] == ["policies/b.md"]


# The pre-commit hook


def hook_entries() -> dict[str, str]:
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = yaml.safe_load(init.PRE_COMMIT)
    return {
        ".pre-commit-hooks.yaml": published[0]["entry"],
        "init's .pre-commit-config.yaml": local["repos"][0]["hooks"][0]["entry"],
    }


@pytest.mark.parametrize("where", list(hook_entries()))
def test_a_file_named_like_an_option_is_linted_not_obeyed(
    where: str, checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack: commit a file at ``--output=policies/bad.md`` (a folder named ``--output=policies``).
    pre-commit appends the changed files' names to the hook's entry; without ``--`` before them, the
    name is read as ``--output`` and the report overwrites a real policy."""
    write(checkout, "--output=policies/bad.md", CLEAN.replace("id: T2", "id: T9"))
    before = (checkout / "policies" / "bad.md").read_bytes()
    entry = shlex.split(hook_entries()[where])
    assert entry[:2] == ["pcso-policy", "lint"]
    code = run([*entry[1:], "--output=policies/bad.md", "policies/clean.md"])
    out = capsys.readouterr().out
    assert (checkout / "policies" / "bad.md").read_bytes() == before
    assert code == 0 and out.endswith("Checked 2 files: 0 errors, 0 warnings, 0 infos.\n"), out
    assert os.path.exists("--output=policies/bad.md")


def test_git_dir_and_work_tree_in_the_environment_do_not_move_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A job that exports GIT_DIR or GIT_WORK_TREE (for another checkout) must not make the gate read that
    repository: --changed-since compares the repository the policies are in."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder in (ours, theirs):
        write(folder, ".pcso-policy.toml", BUILT_IN_ONLY)
        write(folder, "policies/t.md", CLEAN)
        git(folder, "init", "-q")
        git(folder, "add", ".")
        git(folder, "commit", "-q", "-m", "start")
    write(ours, "policies/t.md", BAD)  # changed in ours only, and now with an error
    monkeypatch.chdir(ours)
    monkeypatch.setenv("GIT_DIR", str(theirs / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(theirs))
    assert run(["lint", "--no-cache", "--changed-since", "HEAD", "--format", "json"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    assert [(d["path"], d["rule"]) for d in diagnostics] == [("policies/t.md", "front-matter/enum")]
