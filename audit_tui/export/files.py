"""Output files written safely: to a temporary file beside the target, moved into place when
complete, never replacing an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from audit_tui.domain.errors import UserError


def reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def resolve_target(
    out_path: Path, default_name: str, suffixes: tuple[str, ...], *, overwrite: bool
) -> tuple[Path, bool]:
    """(the file to write, whether its name was chosen for the user). A path ending in one of
    `suffixes` is the file; any other path is a folder, created if need be."""
    if out_path.suffix.lower() in suffixes:
        folder = out_path.parent
        if not folder.is_dir():
            raise UserError(f"{out_path}: the folder {folder} does not exist")
        if out_path.is_dir():
            raise UserError(f"{out_path}: is a folder, not a file")
        if out_path.exists() and not overwrite:
            raise UserError(
                f"{out_path} already exists: use --force to replace it, or choose another name"
            )
        return out_path, False
    if out_path.suffix and not out_path.is_dir():
        raise UserError(f"{out_path}: the file name must end in {' or '.join(suffixes)}")
    try:
        out_path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out_path}: cannot create the folder ({reason(exc)})") from None
    return out_path / default_name, True


def temp_beside(final: Path) -> Path:
    """A hidden temporary file in the target's folder (so the final move is atomic)."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{final.stem}.", suffix=f"{final.suffix}.part", dir=final.parent
        )
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{final.parent}: cannot write here ({reason(exc)})") from None
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
            raise UserError(
                f"{candidate} already exists: use --force to replace it, or choose another name"
            )
        candidate = final.with_name(f"{final.stem}-{n}{final.suffix}")
        n += 1
