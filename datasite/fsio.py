"""Reading and writing the maintainer's files without losing them.

- Writes go to a temporary file beside the real one, then a rename: a crash, a kill or a full
  disk never leaves a half-written file. A symlinked file is written where the link points (the
  link stays a link), with the file's own permissions; a read-only file is refused, not replaced.
- Only regular files are read: a named pipe, a socket or a device in the project would make a
  read wait forever (or read a device), so it is refused by its type, before it is opened.
- An operating-system error is told in one line with its path (`describe`), never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _read_umask() -> int:
    # Reading the umask means setting it: done once, at import, not while other threads make files.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, in words (None if it is one)."""
    for test, kind in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return None


class NotARegularFile(OSError):
    """A path that names a pipe, a socket or a device where a file was expected."""

    def __init__(self, path: Path | str, kind: str):
        super().__init__(errno.EINVAL, f"{kind}, not a regular file: datasite reads only files and folders", str(path))


def file_kind_problem(path: Path | str) -> OSError | None:
    """The refusal for `path` if it (or what its link points at) is a special file or a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # (a missing file is the reader's own error to tell)
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    kind = special_kind(mode)
    return NotARegularFile(path, kind) if kind else None


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a regular file; a special file is refused without being opened for reading
    (opening a FIFO waits for a writer)."""
    problem = file_kind_problem(path)
    if problem:
        raise problem
    # O_NONBLOCK: a FIFO put in its place after the check still does not hang the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        kind = special_kind(os.fstat(handle.fileno()).st_mode)
        if kind:
            raise NotARegularFile(path, kind)
        return handle.read()


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write `text` to `path` through a temporary file and a rename (see the module's notes)."""
    path = Path(path)
    real = Path(os.path.realpath(path))  # through its symlinks: the link stays, its target changes
    try:
        existing = os.stat(real)
    except FileNotFoundError:
        existing = None
    if existing is not None:
        kind = special_kind(existing.st_mode) or ("a folder" if stat.S_ISDIR(existing.st_mode) else None)
        if kind:
            raise OSError(errno.EINVAL, f"{kind}, not a file; not replaced", str(path))
        if not existing.st_mode & _WRITE_BITS or not os.access(real, os.W_OK):
            raise PermissionError(errno.EACCES, "read-only; not replaced (make it writable to let datasite "
                                  "update it)", str(path))
        mode = stat.S_IMODE(existing.st_mode)
    else:
        mode = 0o666 & ~_UMASK  # mkstemp makes the file private; generated files are not
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", dir=real.parent)
    except OSError as exc:  # (named by the file the maintainer knows, not a temporary one)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        os.chmod(tmp, mode)
        if existing is not None and hasattr(os, "chown"):
            try:  # (as another user, only the owner's own files can be given back)
                os.chown(tmp, existing.st_uid, existing.st_gid)
            except OSError:
                pass
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            fd = None
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, real)
    except BaseException as exc:
        if fd is not None:
            os.close(fd)
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file: this one
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


_HINTS = {
    errno.ENOSPC: "the disk is full; nothing was replaced",
    errno.EROFS: "the file system is read-only",
    errno.EDQUOT: "the disk quota is used up; nothing was replaced",
}


def describe(exc: OSError, where: str = "") -> str:
    """One line for an operating-system error: the path (or `where`, if it names none), and what
    went wrong."""
    why = exc.strerror or exc.__class__.__name__
    hint = _HINTS.get(exc.errno or 0)
    if hint and hint.split(";")[0] not in why.lower():
        why = f"{why} ({hint})"
    where = str(exc.filename) if exc.filename is not None else where
    if exc.filename2 is not None:
        where = f"{where} -> {exc.filename2}"
    return f"{where}: {why}" if where else why
