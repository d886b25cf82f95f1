"""Writing outputs as one set: every file is written to a temporary file beside it first, and all
are moved into place only when all are written. A failed or interrupted run (Ctrl-C) leaves the
previous outputs as they were and no temporary file behind.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class OutputError(Exception):
    """An output that cannot be written: the CLI prints it in one line and exits 2."""

    def __init__(self, what: str, path: Path, reason: str):
        self.what, self.path, self.reason = what, Path(path), reason
        super().__init__(f"cannot write {what} {path}: {reason}")


def check_writable(what: str, path: Path) -> None:
    """Fail before any work is done when `path` can clearly not be written."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(what, path, "it is a directory")
    parent = path.parent
    while not parent.exists():
        if parent == parent.parent:
            break
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(what, path, f"{parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(what, path, f"no permission to write in {parent}")


Content = str | bytes | Callable[[TextIO], None]


def write_all(outputs: list[tuple[str, Path, Content]]) -> None:
    """Write (what, path, content) outputs as one set, or none of them. Content is text, bytes, or
    a function writing text to the file it is given (a large output streamed, never held whole)."""
    paths = [Path(p).resolve() for _, p, _ in outputs]
    if len(set(paths)) != len(paths):
        duplicate = next(p for p in paths if paths.count(p) > 1)
        raise OutputError("outputs", duplicate, "two outputs name the same file")
    written: list[tuple[str, Path, str]] = []
    try:
        for what, given, text in outputs:
            path = Path(given)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            except OSError as exc:
                raise OutputError(what, path, exc.strerror or str(exc)) from None
            written.append((what, path, temporary))
            try:
                if isinstance(text, bytes):
                    with os.fdopen(handle, "wb") as out:
                        out.write(text)
                else:
                    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                        if isinstance(text, str):
                            out.write(text)
                        else:
                            text(out)
                os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a report is meant to be shared
            except OSError as exc:
                raise OutputError(what, path, exc.strerror or str(exc)) from None
        with _interrupts_deferred():
            for what, path, temporary in written:
                try:
                    os.replace(temporary, path)
                except OSError as exc:
                    raise OutputError(what, path, exc.strerror or str(exc)) from None
            written = []
    finally:
        for _, _, temporary in written:
            Path(temporary).unlink(missing_ok=True)


def write_one(what: str, path: Path, text: Content) -> None:
    write_all([(what, path, text)])


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def _interrupts_deferred():
    """Ctrl-C while the files are moved into place waits until all are moved, so the set stays whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt
