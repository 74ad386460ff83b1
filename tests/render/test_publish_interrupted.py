"""Publishing survives being killed at any point, and two runs never write one folder at once."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcso_policy import publish as publish_module
from pcso_policy.cli import run
from pcso_policy.locking import folder_lock
from tests.render.helpers import CLEAN, ROOT

AS_OF = "2026-01-15"
COUNT = 20


def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    text = CLEAN.read_text(encoding="utf-8")
    for number in range(COUNT):
        (folder / f"t{200 + number}.md").write_text(text.replace("T100", f"T{200 + number}"), encoding="utf-8")
    return folder


def command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pcso_policy", "publish", "--as-of", AS_OF, "--out", str(out), str(source)]


def state(out: Path) -> dict[str, str]:
    """Every file in the folder with its SHA-256, the manifest included."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(out.iterdir())}


def assert_consistent(out: Path, reference: dict[str, str]) -> None:
    """What the manifest records exists as recorded; anything else is exactly what the finished run would hold."""
    if not out.exists() or not (out / "manifest.json").exists():
        recorded = {}
    else:
        recorded = {entry["docx"]: entry["docx_sha256"] for entry in json.loads((out / "manifest.json").read_text())["published"]}
    files = state(out) if out.exists() else {}
    for name, digest in recorded.items():
        assert files.get(name) == digest, f"{name} is recorded but not on disk as recorded"
    for name, digest in files.items():
        if name.endswith(".docx"):
            assert reference[name] == digest, f"{name} on disk is not what the finished run publishes"


@pytest.mark.parametrize("fraction", [0.75, 0.82, 0.88, 0.93, 0.98])
def test_a_publish_killed_at_any_point_leaves_a_consistent_folder(tmp_path: Path, fraction: float) -> None:
    """The run is killed at ``fraction`` of the time a whole run takes here (start-up and the lint gate take most of it)."""
    source = sources(tmp_path)
    reference_out = tmp_path / "reference"
    started = time.perf_counter()
    subprocess.run(command(source, reference_out), cwd=ROOT, check=True, capture_output=True)
    whole_run = time.perf_counter() - started
    reference = state(reference_out)
    assert len([name for name in reference if name.endswith(".docx")]) == COUNT

    out = tmp_path / "out"
    process = subprocess.Popen(command(source, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(fraction * whole_run)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert_consistent(out, reference)

    subprocess.run(command(source, out), cwd=ROOT, check=True, capture_output=True)
    assert state(out) == reference


def test_a_second_run_waits_for_the_first_and_gives_up_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    source, out = sources(tmp_path), tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time; h = os.open(sys.argv[1], os.O_RDONLY); "
         "fcntl.flock(h, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", str(out)],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        monkeypatch.setattr(publish_module, "LOCK_WAIT_SECONDS", 0.5)
        assert run(["publish", "--as-of", AS_OF, "--out", str(out), str(source)]) == 2
        captured = capsys.readouterr()
        assert "waiting for another pcso-policy run publishing to" in captured.out
        assert captured.err == (
            f"pcso-policy: error: '{out}' is being published by another pcso-policy run: try again when it has finished\n"
        )
        assert list(out.iterdir()) == []
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert run(["publish", "--as-of", AS_OF, "--out", str(out), str(source)]) == 0


def test_the_lock_is_released_however_the_holder_ends(tmp_path: Path) -> None:
    with folder_lock(tmp_path, 0, io.StringIO()):
        pass
    with folder_lock(tmp_path, 0, io.StringIO()):
        assert os.listdir(tmp_path) == []


def test_only_the_temporary_files_publish_writes_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A killed run's temporary files go; anyone else's file in the folder stays, whatever it is called."""
    monkeypatch.chdir(ROOT)
    source, out = sources(tmp_path), tmp_path / "out"
    out.mkdir()
    written: list[str] = []
    real_replace = os.replace

    first = tmp_path / "first"

    def replace(temporary: str, target: str | os.PathLike[str]) -> None:
        if Path(temporary).parent == first:
            written.append(os.path.basename(temporary))
        real_replace(temporary, target)

    monkeypatch.setattr(os, "replace", replace)  # what pcso_policy.atomic renames its temporary files with
    assert run(["publish", "--as-of", AS_OF, "--out", str(first), str(source)]) == 0
    monkeypatch.setattr(os, "replace", real_replace)
    ours = sorted(set(written))
    assert any(name.startswith(".manifest.json.") for name in ours) and any(".docx." in name for name in ours)
    others = [".notes.tmp", ".T100-1.2.docx.tmp", ".manifest.json.tmp", ".report.pdf.abcd1234.tmp", ".manifest.json.ABCD1234.tmp"]
    for name in ours + others:
        (out / name).write_text("left over")
    (out / ".T999-1.0.docx.abcd1234.tmp").mkdir()  # named like ours, but a folder
    capsys.readouterr()
    assert run(["publish", "--as-of", AS_OF, "--out", str(out), str(source)]) == 0
    left = sorted(path.name for path in out.iterdir() if path.name.endswith(".tmp"))
    assert left == sorted([*others, ".T999-1.0.docx.abcd1234.tmp"])
