"""The Excel workbook a QA lead takes to a board: one call shared by the CLI and the TUI.

    result = write_workbook(ctx, ExportSpec(period="2025-26 Q1"), Path("exports"), progress=cb)

Figures come from the profile service, so the workbook shows what the tool shows. The file
is written to a hidden temporary file in the target folder and moved into place only when
complete, so an error or a cancelled export leaves nothing behind; an existing file is never
replaced unless asked (`overwrite`).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from audit_tui import i18n
from audit_tui.domain.defaults import MAX_TREND
from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import Period, date_range
from audit_tui.export.book import ExportBook, ExportProgress, ProgressCallback
from audit_tui.export.files import place, reason, resolve_target, save_to, temp_beside
from audit_tui.export.periods import period_caption
from audit_tui.export.printing import PageText
from audit_tui.export.sheets.actions import write_actions
from audit_tui.export.sheets.findings import write_findings
from audit_tui.export.sheets.moderation import write_moderation
from audit_tui.export.sheets.programme import write_programme
from audit_tui.export.sheets.raw import ANSWERS, AUDITS, write_answers, write_audits
from audit_tui.export.sheets.summary import write_summary
from audit_tui.export.sheets.teams import write_questions, write_teams
from audit_tui.export.sheets.trend import write_trend
from audit_tui.export.words import Words
from audit_tui.i18n import _
from audit_tui.services import framework_choice, profiles
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import is_demo

DEMO_PREFIX = "DEMO"

SheetWriter = Callable[[ExportBook], None]

# The sheets, in order. Extension point: a later sheet is a function `(book) -> None` that
# calls `book.table_sheet(title, columns, rows)` (or `book.sheet(title)` for a free layout),
# inserted here - Actions, Moderation and Programme belong before the raw Audits/Answers.
SHEETS: list[SheetWriter] = [
    write_summary,
    write_teams,
    write_trend,
    write_questions,
    write_findings,
    write_actions,
    write_moderation,
    write_programme,
    write_audits,
    write_answers,
]


class ExportSpec(BaseModel):
    """What to export. A period as text (2025-26, 2025-26 Q1, 2025-07, or a date range), or
    `date_from` and `date_to`; neither means the current financial year."""

    model_config = ConfigDict(str_strip_whitespace=True)

    framework_id: str | None = None  # None: the default framework (settings)
    period: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    teams: list[str] = Field(default_factory=list)
    trend: int = Field(default=4, ge=1, le=MAX_TREND)
    # Five weakest questions with five notes each keep the printed board pack to tens of
    # pages; every note is in the Answers sheet.
    weakest: int = Field(default=5, ge=1, le=100)
    notes_per_question: int = Field(default=5, ge=0, le=1000)
    overwrite: bool = False
    # The workbook's language: en, cy or cy+en (both, Welsh first); None: the interface's.
    lang: str | None = None

    @field_validator("lang")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        return None if value is None else i18n.check(value, i18n.EXPORT_LANGUAGES)

    def resolve_period(self, ctx: AppContext) -> Period:
        if self.date_from is not None or self.date_to is not None:
            if self.period:
                raise UserError(_("give either a period or --from/--to dates, not both"))
            if self.date_from is None or self.date_to is None:
                raise UserError(_("--from and --to go together: give both dates"))
            return date_range(self.date_from, self.date_to)
        return profiles.resolve_period(ctx, self.period)


class ExportResult(BaseModel):
    path: Path
    framework_id: str
    period: str
    teams: list[str]  # empty: every team
    audits: int
    answers: int
    sheets: list[str]
    seconds: float


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text.replace("..", "_to_")).strip("-").lower() or "x"


def default_file_name(
    framework_id: str,
    period: Period,
    now: datetime,
    teams: list[str] | None = None,
    *,
    demo: bool = False,
) -> str:
    """e.g. case-file_2025-26-q1_20261120-1430.xlsx (with the team when one was chosen);
    DEMO_case-file_... from a demo database, so a made-up workbook is never taken for real."""
    period_part = re.sub(r"\s+", "-", period.label).replace("..", "_to_")
    parts = ([DEMO_PREFIX] if demo else []) + [framework_id, period_part]
    if teams:
        parts.append(_slug(teams[0]) if len(teams) == 1 else f"{len(teams)}-teams")
    parts.append(f"{now:%Y%m%d-%H%M}")
    return "_".join(parts) + ".xlsx"


def nothing_to_export(framework_id: str, period: str, teams: list[str]) -> str:
    if teams:
        return _(
            "no finalised {framework} audits in {period} for {teams}: nothing to export"
        ).format(framework=framework_id, period=period, teams=", ".join(teams))
    return _("no finalised {framework} audits in {period}: nothing to export").format(
        framework=framework_id, period=period
    )


def write_workbook(
    ctx: AppContext,
    spec: ExportSpec,
    out_path: Path,
    progress: ProgressCallback | None = None,
    *,
    now: datetime | None = None,
) -> ExportResult:
    """Write the workbook for `spec` to `out_path` (an .xlsx file, or a folder in which to
    give it the default name) and return where it went.

    `progress` is called with an ExportProgress at each sheet and every few thousand rows;
    raising from it cancels the export, leaving no file. Raises UserError, with nothing
    written, for an unknown framework or team, a period with no finalised audits in scope, an
    existing file (unless spec.overwrite) or a folder that cannot be written.
    """
    with i18n.language(spec.lang or i18n.current()):
        return _write_workbook(ctx, spec, out_path, progress, now=now)


def _write_workbook(
    ctx: AppContext,
    spec: ExportSpec,
    out_path: Path,
    progress: ProgressCallback | None,
    *,
    now: datetime | None,
) -> ExportResult:
    started = time.perf_counter()
    now = now or datetime.now()
    period = spec.resolve_period(ctx)
    # The newest version the period's audits were done on (the file's when there are none):
    # its scale and thresholds label the workbook; each answer keeps its own version's words.
    fw = profiles.versions_in(
        ctx, framework_choice.in_use(ctx, spec.framework_id).id, period
    ).newest
    prof = profiles.profile(
        ctx,
        fw.id,
        period,
        spec.teams or None,
        trend=spec.trend,
        weakest=spec.weakest,
        notes_per_question=spec.notes_per_question,
    )
    scope_teams = prof.teams if prof.teams_selected else [prof.authority]
    audits_n = sum(g.audits for g in scope_teams)
    if audits_n == 0:
        raise UserError(nothing_to_export(fw.id, period.label, prof.teams_selected))
    answers_n = sum(g.percent_met.answered for g in scope_teams)
    final, auto_named = resolve_target(
        out_path,
        default_file_name(fw.id, period, now, prof.teams_selected, demo=is_demo(ctx)),
        (".xlsx",),
        overwrite=spec.overwrite,
    )
    tmp = temp_beside(final)
    book = ExportBook(
        ctx=ctx,
        framework=fw,
        period=period,
        profile=prof,
        generated_at=now,
        lang=i18n.current(),
        progress=progress,
        total=audits_n + answers_n,
        page=PageText(
            marking=ctx.settings.marking,
            scope=f"{Words(fw, i18n.current()).text(fw.title)} ({fw.id} {fw.version}), "
            f"{period_caption(prof.period)}",
            written=now,
        ),
    )
    try:
        for write in SHEETS:
            write(book)
        book.report("saving")
        save_to(tmp, book.wb.save)
        path = place(tmp, final, overwrite=spec.overwrite, auto_named=auto_named)
    except BaseException as exc:
        book.discard()
        if isinstance(exc, OSError):
            raise UserError(
                _("{path}: could not be written ({reason})").format(path=final, reason=reason(exc))
            ) from None
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    if progress is not None:
        total = max(book.total, book.done)
        progress(ExportProgress(stage="done", done=total, total=total))
    return ExportResult(
        path=path,
        framework_id=fw.id,
        period=period.label,
        teams=prof.teams_selected,
        audits=book.counts.get(_(AUDITS), audits_n),
        answers=book.counts.get(_(ANSWERS), answers_n),
        sheets=book.sheets,
        seconds=time.perf_counter() - started,
    )
