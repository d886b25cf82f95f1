"""scripts/semantic_mutate.py, the recall measure of the consistency rules (contradictions written
into a copy of the sources and the dataset together), runs on the shipped dataset: one mutant per
class is caught, and no control (a change that contradicts nothing) makes an error. It reads the
rules' internals (the same-figure pairs, the part-whole levels, the implied totals), so a change of
their shape must fail here, not the next time someone measures recall."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_one_mutant_per_class_is_caught_and_no_control_makes_an_error():
    done = subprocess.run([sys.executable, "scripts/semantic_mutate.py", "--per-class", "1"], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines()[1:] if line.strip()]
    classes = {}
    for line in rows:
        control = re.match(r"(control: .+?)\s+(\d+)\s+(\d+)\s+(\d+) false errors$", line)
        caught = re.match(r"(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+$", line)
        if control:
            classes[control[1]] = ("control", int(control[2]), int(control[3]), int(control[4]))
        elif caught:
            classes[caught[1]] = ("class", int(caught[2]), int(caught[3]), int(caught[4]))
    mutants = {k: v for k, v in classes.items() if v[0] == "class"}
    controls = {k: v for k, v in classes.items() if v[0] == "control"}
    assert len(mutants) >= 12 and len(controls) == 4, done.stdout
    assert all(made == 1 and invalid == 0 and caught == 1 for _, made, invalid, caught in mutants.values()), done.stdout
    assert all(made == 1 and false_errors == 0 for _, made, _, false_errors in controls.values()), done.stdout
