"""Reading a file a user named, with bounded time and memory.

A name can point at anything: a FIFO (open() waits for ever for a writer), /dev/zero or
/dev/urandom (reading never ends), a folder, or a file far too large. The file is opened
without blocking and checked on the open descriptor (a name checked first could be swapped
before it is opened), and no more than the limit is ever read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from audit_tui.i18n import _


class FileProblem(Exception):
    """Why a file cannot be read, in words fit to follow its name in a message."""


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `max_bytes`; else FileProblem."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem(_("no such file")) from None
    except IsADirectoryError:
        raise FileProblem(_("is a folder, not a file")) from None
    except OSError as exc:
        raise FileProblem(
            _("cannot be read ({reason})").format(reason=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(_("is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(
                _("not a regular file (a pipe, device or socket cannot be read here)")
            )
        too_large = _("the file is too large ({size}; the limit is {limit})")
        limit = _megabytes(max_bytes)
        if info.st_size > max_bytes:
            raise FileProblem(
                too_large.format(size=_("{n} bytes").format(n=f"{info.st_size:,}"), limit=limit)
            )
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # it grew after the check
            raise FileProblem(too_large.format(f"over {_megabytes(max_bytes)}"))
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(
            _("cannot be read ({reason})").format(reason=exc.strerror or exc)
        ) from None
    finally:
        os.close(fd)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in words: a full disk is named as such."""
    if exc.errno in _DISK_FULL:
        return _("the disk is full: free some space and try again")
    if exc.errno == errno.EFBIG:
        return _("the file is larger than this system allows")
    return exc.strerror or exc.__class__.__name__
