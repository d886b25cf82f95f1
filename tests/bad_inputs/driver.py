"""Runs `check` once per bad-input case, each in its own process, under a time limit.

Started by test_bad_inputs.py as a subprocess whose address space is capped (RLIMIT_AS, set in
preexec_fn): every child forked here inherits that cap, so a blow-up fails the case instead of
the machine. The driver imports `check` once and forks a child per case (an exec per case would
spend a second of imports on each); the child runs `check` with the case's arguments, output to
a file, and is killed when it overruns its time. One JSON request per stdin line:
{"args": [...], "cwd": DIR, "output": FILE, "timeout": SECONDS}; one JSON reply per line:
{"exit": CODE, "timed_out": BOOL, "seconds": S, "peak_rss_kb": KB}.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import checks.dataset
import checks.pipeline
import checks.rules  # noqa: F401
import cli

CRASHED = 99  # the child raised past `check` itself: a traceback escaped


def run_child(request: dict) -> None:
    code = CRASHED
    try:
        os.chdir(request["cwd"])
        out = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        signal.alarm(int(request["timeout"]) + 5)  # a second guard should the parent be stuck
        cli.main(args=request["args"], prog_name="check")
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported as a crash of the case
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(request: dict) -> dict:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        run_child(request)
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > request["timeout"]:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    return {"exit": os.waitstatus_to_exitcode(status), "timed_out": timed_out,
            "seconds": round(time.monotonic() - started, 2), "peak_rss_kb": usage.ru_maxrss}


def main() -> None:
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
