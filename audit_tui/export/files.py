"""Output files written safely: to a temporary file beside the target, moved into place when
complete, never replacing an existing file unless asked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from audit_tui.domain.errors import UserError
from audit_tui.domain.files import os_reason
from audit_tui.i18n import _


def reason(exc: OSError) -> str:
    return os_reason(exc)


class _Sink:
    """The file a workbook is saved into, failing only once.

    When a write fails (a full disk), openpyxl's zip writer gives up but stays alive; at
    garbage collection it tries to finish the zip, fails again and Python prints
    "Exception ignored in ZipFile.__del__" with a traceback after the one-line error. After
    the first failure this sink accepts and drops everything (keeping count of the position,
    which the zip writer does sums with), so that last try is silent.
    """

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self._failed = False
        self._pos = 0
        self._end = 0

    def write(self, data: bytes) -> int:
        if not self._failed:
            try:
                self._f.write(data)
            except OSError:
                self._failed = True
                raise
        self._pos += len(data)
        self._end = max(self._end, self._pos)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._end}[whence]
        if not self._failed:
            try:
                self._f.seek(offset, whence)
            except OSError:
                self._failed = True
                raise
        self._pos = base + offset
        return self._pos

    def flush(self) -> None:
        if not self._failed:
            try:
                self._f.flush()
            except OSError:
                self._failed = True
                raise


def discard_write_only(wb: Any) -> None:
    """After a failed or cancelled save of an openpyxl write-only workbook: close its sheets'
    row streams and delete their temporary files. Left alone, the sheets' unfinished
    generators are finalised whenever the garbage collector next frees the workbook (which
    holds its sheets and is held by them), and print "Exception ignored ... I/O operation on
    closed file" then, in the middle of whatever runs."""
    for ws in wb._sheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
                os.remove(writer.out)


def save_to(path: Path, save: Callable[[Any], None]) -> None:
    """`save(file)` into `path`; an OSError (disk full) reaches the caller once, quietly."""
    with open(path, "wb") as f:
        save(_Sink(f))


def resolve_target(
    out_path: Path, default_name: str, suffixes: tuple[str, ...], *, overwrite: bool
) -> tuple[Path, bool]:
    """(the file to write, whether its name was chosen for the user). A path ending in one of
    `suffixes` is the file; any other path is a folder, created if need be."""
    if out_path.suffix.lower() in suffixes:
        folder = out_path.parent
        if not folder.is_dir():
            raise UserError(
                _("{path}: the folder {folder} does not exist").format(path=out_path, folder=folder)
            )
        if out_path.is_dir():
            raise UserError(_("{path}: is a folder, not a file").format(path=out_path))
        if out_path.exists() and not overwrite:
            raise UserError(already_exists(out_path))
        return out_path, False
    if out_path.suffix and not out_path.is_dir():
        raise UserError(
            _("{path}: the file name must end in {suffixes}").format(
                path=out_path, suffixes=_(" or ").join(suffixes)
            )
        )
    try:
        out_path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("{path}: cannot create the folder ({reason})").format(
                path=out_path, reason=reason(exc)
            )
        ) from None
    return out_path / default_name, True


def already_exists(path: Path) -> str:
    return _("{path} already exists: use --force to replace it, or choose another name").format(
        path=path
    )


def temp_beside(final: Path) -> Path:
    """A hidden temporary file in the target's folder (so the final move is atomic)."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{final.stem}.", suffix=f"{final.suffix}.part", dir=final.parent
        )
        os.close(fd)
    except OSError as exc:
        raise UserError(
            _("{path}: cannot write here ({reason})").format(path=final.parent, reason=reason(exc))
        ) from None
    return Path(name)


def place(tmp: Path, final: Path, *, overwrite: bool, auto_named: bool) -> Path:
    """Move the finished file into place. A name chosen for the user gets -2, -3... when
    taken; a name the user gave is refused when taken (unless `overwrite`)."""
    if overwrite:
        os.replace(tmp, final)
        return final
    candidate, n = final, 2
    while True:
        try:
            os.link(tmp, candidate)  # fails if the name is taken: no check-then-write race
        except FileExistsError:
            pass
        except OSError:
            # A file system without hard links: check, then move.
            if not candidate.exists():
                os.replace(tmp, candidate)
                return candidate
        else:
            tmp.unlink()
            return candidate
        if not auto_named:
            raise UserError(already_exists(candidate))
        candidate = final.with_name(f"{final.stem}-{n}{final.suffix}")
        n += 1
