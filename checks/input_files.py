"""Reading an input file safely: only a regular file inside the folder it belongs to, never more
than a size limit, decoded as UTF-8 with a bad byte reported as a line and column.

Everything Seed reads (tables, settings, sources, a previous run's JSON) goes through `read_text`,
so a named pipe never blocks, `/dev/zero` is never read, a symlink never leads out of the dataset,
and an unreadable file is a message, not a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from checks.errors import InputProblem

MEGABYTE = 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as input; carries the located problem to report."""

    def __init__(self, problem: InputProblem):
        super().__init__(str(problem))
        self.problem = problem


def read_bytes(path: Path, limit: int, inside: Path | None = None, what: str = "file") -> bytes:
    """The bytes of `path`, a regular file (after symlinks) that lies inside `inside` when given,
    of at most `limit` bytes. Raises Unreadable otherwise; never blocks on a pipe or a device."""
    path = Path(path)
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise Unreadable(InputProblem(name, f"{what} does not exist")) from None
    except OSError as exc:
        raise Unreadable(InputProblem(name, f"{what} cannot be read: {exc.strerror}")) from None
    if inside is not None and not within(path, inside):
        raise Unreadable(InputProblem(name, f"{what} leads outside {inside} (a symbolic link?): only files inside it are read"))
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable(InputProblem(name, f"{what} is a directory, not a file"))
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(InputProblem(name, f"{what} is not a regular file (a device, a named pipe or a socket): it is not read"))
    if info.st_size > limit:
        raise Unreadable(InputProblem(name, f"{what} has {info.st_size:,} bytes, more than the limit of {limit:,}"))
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Unreadable(InputProblem(name, f"{what} cannot be read: {exc.strerror}")) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):  # replaced between stat and open
            raise Unreadable(InputProblem(name, f"{what} is not a regular file: it is not read"))
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise Unreadable(InputProblem(name, f"{what} cannot be read: {exc.strerror}")) from None
    finally:
        os.close(handle)
    if len(data) > limit:
        raise Unreadable(InputProblem(name, f"{what} has more than the limit of {limit:,} bytes"))
    return data


def decode(data: bytes, name: str, what: str = "file") -> str:
    """UTF-8 text, a byte-order mark accepted (and dropped) as everywhere in Seed; a bad byte is
    reported at its line and character column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        prefix = data[line_start:exc.start].decode("utf-8", errors="replace")
        if line_start == 0 and prefix.startswith("\ufeff"):
            prefix = prefix[1:]
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable(InputProblem(name, f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                                      line=line, column=len(prefix) + 1)) from None


def read_text(path: Path, limit: int, inside: Path | None = None, what: str = "file") -> str:
    return decode(read_bytes(path, limit, inside, what), str(path), what)


def within(path: Path, folder: Path) -> bool:
    """Whether `path`, symbolic links resolved, lies inside `folder` (resolved too)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False
