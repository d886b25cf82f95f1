"""Every class of bad input gives its exit code and a clear message, never a traceback, within a
time and a memory limit (cases in cases.py; `check` runs in a child of driver.py)."""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cases import CASES, Case

from builders import baseline_and_target

MEMORY_LIMIT = 2 * 1024 ** 3  # address space of the driver and of every case it forks
DRIVER = Path(__file__).with_name("driver.py")


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


class Driver:
    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen([sys.executable, str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=env, preexec_fn=limit_memory)  # noqa: PLW1509 -- the driver is single-threaded; rlimits must be set in the child

    def run(self, args: list[str], cwd: Path, output: Path, timeout: float) -> dict:
        request = {"args": args, "cwd": str(cwd), "output": str(output), "timeout": timeout}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout + 60)  # the driver's start-up and kill
        assert ready, "the bad-input driver did not answer"
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def driver():
    running = Driver()
    yield running
    running.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return baseline_and_target(tmp_path_factory.mktemp("base") / "d", "90", "95")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, driver: Driver, base: Path, tmp_path: Path) -> None:
    root = tmp_path / "d"
    shutil.copytree(base, root, symlinks=True)
    extra = case.defect(root)
    extra = extra if isinstance(extra, list) else []  # a defect may return extra arguments
    output = tmp_path / "output.txt"
    result = driver.run([*case.command, "--dataset", str(root), *extra], tmp_path, output, case.timeout)
    printed = output.read_text(encoding="utf-8", errors="replace")
    assert not result["timed_out"], f"{case.name} ran over {case.timeout} s"
    assert "Traceback" not in printed, printed[-3000:]
    assert "\x1b" not in printed and "\u202e" not in printed, "control characters reach the terminal"
    assert result["exit"] == case.exit, printed[-3000:]
    for fragment in (case.fragment, *case.also):
        assert fragment in printed, printed[-3000:]
    assert len(printed.splitlines()) <= 30, "at most a screenful of problems"
    if case.after:
        case.after(root)


def test_unreadable_file(base: Path, tmp_path: Path, monkeypatch) -> None:
    """A file the user may not read (simulated: the suite runs as root, who reads everything)."""
    import checks.input_files
    from checks.dataset import load
    from checks.errors import InputError

    root = tmp_path / "d"
    shutil.copytree(base, root)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("regions.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(checks.input_files.os, "open", refuse)
    with pytest.raises(InputError) as caught:
        load(root)
    assert [str(p) for p in caught.value.problems] == [f"{root / 'regions.csv'}: table cannot be read: Permission denied"]
