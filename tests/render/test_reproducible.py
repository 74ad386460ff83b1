"""The same source and template give the same bytes, on any day and in any time zone;
a run killed while writing never leaves a partial file or touches the previous one."""

from __future__ import annotations

import datetime
import io
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pcso_policy.atomic import write_atomic
from pcso_policy.render import render_bytes
from pcso_policy.render.package import COMPRESS_LEVEL, deflate, write_zip, zip_order
from tests.render.helpers import CLEAN, KENT, ROOT

RENDER_IN_CHILD = """
import sys, time
from pathlib import Path
from pcso_policy.render import render_bytes
time.sleep(float(sys.argv[3]))  # a second later than the parent, so a clock in the output would show
source = Path(sys.argv[1])
Path(sys.argv[2]).write_bytes(render_bytes(sys.argv[1], source.read_bytes()).data)
"""


def render_in_process(source: Path, output: Path, timezone: str, delay: float) -> bytes:
    env = {**os.environ, "TZ": timezone}
    subprocess.run([sys.executable, "-c", RENDER_IN_CHILD, str(source), str(output), str(delay)], check=True, cwd=ROOT, env=env)
    return output.read_bytes()


def test_rendering_twice_gives_identical_bytes() -> None:
    first = render_bytes(str(KENT), KENT.read_bytes()).data
    second = render_bytes(str(KENT), KENT.read_bytes()).data
    assert first == second


def test_identical_bytes_across_processes_time_zones_and_clock_time(tmp_path: Path) -> None:
    relative = CLEAN.relative_to(ROOT)
    one = render_in_process(relative, tmp_path / "a.docx", "UTC", 0)
    two = render_in_process(relative, tmp_path / "b.docx", "Pacific/Auckland", 1.1)
    assert one == two


def test_zip_entries_carry_the_policy_date_in_a_fixed_order() -> None:
    data = render_bytes(str(CLEAN), CLEAN.read_bytes()).data
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {info.date_time for info in infos} == {(2025, 6, 12, 0, 0, 0)}, "approved_on, not the clock"
    names = [info.filename for info in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and names[2:] == sorted(names[2:])


def test_a_different_source_gives_different_bytes() -> None:
    changed = CLEAN.read_text().replace("Cameras are funded", "Cameras are paid for")
    assert render_bytes("x.md", changed.encode()).data != render_bytes("x.md", CLEAN.read_bytes()).data


CRASH_IN_CHILD = """
import os, sys
from pathlib import Path
from pcso_policy import atomic

def stall(fd):
    # The new content is half written to the temporary file: tell the parent, wait to be killed.
    print("writing", flush=True)
    sys.stdin.read()
atomic.os.fsync = stall
from pcso_policy.cli import run
sys.exit(run(["render", sys.argv[1], "-o", sys.argv[2]]))
"""


def test_a_run_killed_mid_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "o38.docx"
    previous = b"the previous good document"
    target.write_bytes(previous)
    command = [sys.executable, "-c", CRASH_IN_CHILD, str(KENT), str(target)]
    with subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == b"writing\n"
        temporaries = [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
        assert temporaries and temporaries[0].stat().st_size > 0, "the new document was being written beside the target"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == previous


def test_a_failed_write_removes_its_temporary_file_and_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "o38.docx"
    target.write_bytes(b"previous")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pcso_policy.atomic.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, render_bytes(str(KENT), KENT.read_bytes()).data)
    assert target.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["o38.docx"]


def test_the_zip_writer_writes_what_zipfile_writes() -> None:
    """Parts are deflated once per template and stored by a small writer; its archive is byte for byte ``zipfile``'s."""
    parts = {
        "word/document.xml": b"<w:document/>" * 50,
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"",
        "docProps/core.xml": b"x" * 999,
    }
    when = datetime.datetime(2025, 6, 12)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name in sorted(parts, key=zip_order):
            info = zipfile.ZipInfo(name, date_time=(2025, 6, 12, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            archive.writestr(info, parts[name], compresslevel=COMPRESS_LEVEL)
    assert write_zip([deflate(name, data) for name, data in parts.items()], when) == expected.getvalue()
