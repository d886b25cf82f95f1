"""Input errors: a problem with the files themselves, reported before any rule runs (exit 2)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

DEFAULT_SUBJECT = "the dataset"


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None  # physical line of the file (a CSV's header is line 1)
    column: str | int | None = None  # a CSV column's name, or a 1-based character column in a text file

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if isinstance(self.column, int):
            where += f", column {self.column}"
        elif self.column:
            where += f", column '{self.column}'"
        return visible(f"{where}: {self.message}")


def visible(text: str) -> str:
    """Control and format characters (escape sequences, bidirectional overrides, NUL) shown as
    escapes, so a file name, a header or a cell quoted in a message cannot rewrite the terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") and ch != "\t":
        return ch  # white space other than the space (e.g. U+3000) is printable enough
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class InputError(Exception):
    """Raised with every problem found in the inputs; the CLI prints them and exits 2.

    `subject` says what was being read ("the dataset", "the --previous file"), so the steward
    knows which input to fix.
    """

    def __init__(self, problems: list[InputProblem], subject: str = DEFAULT_SUBJECT):
        self.problems = problems
        self.subject = subject
        super().__init__("\n".join(str(p) for p in problems))


class Problems(list):
    """The problems of one load, at most `limit` listed per file: the rest are only counted, and
    `listed()` ends each file's problems with "… and N more problems in FILE". A file of 200,000
    junk rows is then reported in a screenful, and costs no more than a screenful to report."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.shown: Counter = Counter()
        self.hidden: Counter = Counter()
        self.stopped: dict[str, int] = {}  # file → the line from which it was not checked further

    def room(self, file: str) -> int:
        """How many more problems of `file` will be listed; build no more than that."""
        return max(self.limit - self.shown[file], 0)

    def append(self, problem: InputProblem) -> None:
        if self.room(problem.file):
            self.shown[problem.file] += 1
            super().append(problem)
        else:
            self.hidden[problem.file] += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)

    def count_more(self, file: str, count: int) -> None:
        """Problems of `file` found but not built, beyond those listed."""
        self.hidden[file] += count

    def stop(self, file: str, line: int) -> None:
        """`file` was not checked from `line` on: it has more problems than will be listed already."""
        self.stopped[file] = line

    def listed(self) -> list[InputProblem]:
        out: list[InputProblem] = []
        last = {p.file: i for i, p in enumerate(self)}
        for i, problem in enumerate(self):
            out.append(problem)
            more = self.hidden[problem.file]
            if last[problem.file] == i and problem.file in self.stopped:
                out.append(InputProblem(problem.file, f"… and at least {more:,} more problems in {problem.file} "
                                                      f"(not checked from line {self.stopped[problem.file]} on)"))
            elif last[problem.file] == i and more:
                out.append(InputProblem(problem.file, f"… and {more:,} more problem{'s' if more != 1 else ''} in {problem.file}"))
        return out
