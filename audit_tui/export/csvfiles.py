"""The raw Audits and Answers tables as CSV files for analysts (`audit-tui export --csv DIR`).

The same rows and columns as the workbook's Audits and Answers sheets, streamed from the
database. CSV carries no styles, so the workbook's protection against formula injection (a
quote-prefixed text cell) cannot travel with it: every text value a spreadsheet would evaluate
(starting with =, +, -, @, a tab or a carriage return) is written with an apostrophe in front
instead (safety.csv_guard). Files are UTF-8 with a byte-order mark, so Excel reads accented
and Welsh letters correctly; dates are YYYY-MM-DD, times YYYY-MM-DD HH:MM (local time, as in
the workbook), percentages 0-100.

Each file is written to a hidden temporary file beside it and moved into place when complete;
an existing file is never replaced unless asked.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from audit_tui.domain.errors import UserError
from audit_tui.export.book import Column, excel_date
from audit_tui.export.files import place, reason, resolve_target, temp_beside
from audit_tui.export.safety import csv_guard
from audit_tui.export.sheets.raw import ANSWER_COLUMNS, AUDIT_COLUMNS
from audit_tui.export.workbook import ExportSpec, default_file_name, nothing_to_export
from audit_tui.i18n import _
from audit_tui.services import framework_choice, profile_rows, profiles
from audit_tui.services.context import AppContext


class CsvResult(BaseModel):
    paths: list[Path]
    framework_id: str
    period: str
    teams: list[str]
    audits: int
    answers: int


def _text(value: Any) -> str | float | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"  # not translated: CSV is data, read by scripts
    if isinstance(value, datetime):
        return f"{excel_date(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return csv_guard(str(value))


def _write(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([csv_guard(c.header) for c in columns])
        for values in rows:
            out.writerow([_text(v) for v in values])
            n += 1
    return n


def write_csv(
    ctx: AppContext, spec: ExportSpec, folder: Path, *, now: datetime | None = None
) -> CsvResult:
    """Write `<name>_audits.csv` and `<name>_answers.csv` into `folder` (created if need be)
    for the spec's framework, period and teams. Raises UserError, with nothing left behind,
    as write_workbook does."""
    now = now or datetime.now()
    period = spec.resolve_period(ctx)
    fw = framework_choice.in_use(ctx, spec.framework_id)
    with ctx.db.read() as s:
        chosen = [t.name for t in profiles.resolve_teams(s, spec.teams or None)]
    if folder.suffix.lower() == ".csv":
        raise UserError(
            _("{path}: --csv takes a folder; the file names are chosen for you").format(path=folder)
        )
    stem = default_file_name(fw.id, period, now, chosen).removesuffix(".xlsx")
    written: list[Path] = []
    counts: dict[str, int] = {}
    try:
        for name, columns, rows in (
            (
                "audits",
                AUDIT_COLUMNS,
                profile_rows.audit_rows(ctx, fw.id, period, chosen or None),
            ),
            (
                "answers",
                ANSWER_COLUMNS,
                profile_rows.answer_rows(ctx, fw.id, period, chosen or None),
            ),
        ):
            final, auto = resolve_target(
                folder, f"{stem}_{name}.csv", (".csv",), overwrite=spec.overwrite
            )
            tmp = temp_beside(final)
            try:
                counts[name] = _write(tmp, columns, rows)
                written.append(place(tmp, final, overwrite=spec.overwrite, auto_named=auto))
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
    except BaseException as exc:
        for path in written:  # all or nothing: no audits file without its answers
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise UserError(
                _("{path}: could not be written ({reason})").format(path=folder, reason=reason(exc))
            ) from None
        raise
    if counts["audits"] == 0:
        for path in written:
            path.unlink()
        raise UserError(nothing_to_export(fw.id, period.label, chosen))
    return CsvResult(
        paths=written,
        framework_id=fw.id,
        period=period.label,
        teams=chosen,
        audits=counts["audits"],
        answers=counts["answers"],
    )
