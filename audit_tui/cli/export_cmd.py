"""`audit-tui export` (the Excel workbook) and `audit-tui feedback` (for the case-holder)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audit_tui.cli.common import (
    DATE,
    app_context,
    framework_option,
    period_option,
    settings,
    teams_option,
    unfiltered_stderr,
)
from audit_tui.i18n import EXPORT_LANGUAGES, N_, _

export_lang_option = click.option(
    "--lang",
    "export_lang",
    type=click.Choice(EXPORT_LANGUAGES, case_sensitive=False),
    help=N_(
        "Write it in en (English), cy (Cymraeg) or cy+en (both, Welsh first) (default: the "
        "interface language)."
    ),
)

if TYPE_CHECKING:
    from audit_tui.export.book import ExportProgress


class _Progress:
    """One self-rewriting line on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = -1

    def __call__(self, p: ExportProgress) -> None:
        if not self.enabled:
            return
        percent = int(100 * p.fraction)
        if percent != self.last or p.stage in ("saving", "done"):
            self.last = percent
            click.echo(f"\r  {p.stage:<12} {percent:3d}%", nl=False, file=unfiltered_stderr())

    def close(self) -> None:
        if self.enabled and self.last >= 0:
            click.echo("\r" + " " * 24 + "\r", nl=False, file=unfiltered_stderr())


@click.command("export")
@framework_option
@period_option
@click.option(
    "--from", "date_from", type=DATE, help=N_("First audit date (YYYY-MM-DD), with --to.")
)
@click.option("--to", "date_to", type=DATE, help=N_("Last audit date (YYYY-MM-DD), with --from."))
@teams_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help=N_("The .xlsx file to write, or a folder (default: the exports folder)."),
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(path_type=Path),
    help=N_(
        "Instead of the workbook, write the raw audits and answers as CSV files into this "
        "folder (text a spreadsheet would run as a formula is guarded with an apostrophe)."
    ),
)
@click.option("--force", is_flag=True, help=N_("Replace --out if it already exists."))
@export_lang_option
def export(
    framework_id: str | None,
    period: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    teams: tuple[str, ...],
    out: Path | None,
    csv_dir: Path | None,
    force: bool,
    export_lang: str | None,
) -> None:
    """Write the board pack: an Excel workbook of the profiles and the raw audits and answers
    behind them (or, with --csv, the raw tables as CSV files for analysts)."""
    from audit_tui.domain.errors import UserError
    from audit_tui.export import ExportSpec, write_csv, write_workbook

    spec = ExportSpec(
        framework_id=framework_id,
        period=period,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        teams=list(teams),
        overwrite=force,
        lang=export_lang.lower() if export_lang else None,
    )
    ctx = app_context()
    if csv_dir is not None:
        if out is not None:
            raise UserError(_("give --out for the workbook or --csv for CSV files, not both"))
        done = write_csv(ctx, spec, csv_dir)
        for path in done.paths:
            click.echo(_("wrote {path}").format(path=path))
        click.echo(f"({_summary(done)})")
        return
    progress = _Progress()
    try:
        result = write_workbook(ctx, spec, out or settings().exports, progress)
    finally:
        progress.close()
    click.echo(_("wrote {path}").format(path=result.path) + f" ({_summary(result)})")


def _summary(result: object) -> str:
    """framework period, teams: N audits, N answers - numbers as the language writes them."""
    from audit_tui.i18n import format_number, ngettext

    teams: list[str] = result.teams  # type: ignore[attr-defined]
    who = ", ".join(teams) if teams else _("all teams")
    audits: int = result.audits  # type: ignore[attr-defined]
    answers: int = result.answers  # type: ignore[attr-defined]
    counts = ", ".join(
        (
            ngettext("{n} audit", "{n} audits", audits).format(n=format_number(audits)),
            ngettext("{n} answer", "{n} answers", answers).format(n=format_number(answers)),
        )
    )
    return f"{result.framework_id} {result.period}, {who}: {counts}"  # type: ignore[attr-defined]


@click.command("feedback")
@click.argument("audit_id", type=int)
@click.option(
    "--out",
    help=N_("The .md or .txt file to write, a folder, or - for the screen (default: exports)."),
)
@click.option("--force", is_flag=True, help=N_("Replace --out if it already exists."))
@export_lang_option
def feedback(audit_id: int, out: str | None, force: bool, export_lang: str | None) -> None:
    """Write the feedback document for the case-holder of a finalised audit."""
    from audit_tui.export import render_feedback, write_feedback

    ctx = app_context()
    lang = export_lang.lower() if export_lang else None
    if out == "-":
        click.echo(render_feedback(ctx, audit_id, lang=lang), nl=False)
        return
    target = Path(out) if out else settings().exports
    path = write_feedback(ctx, audit_id, target, overwrite=force, lang=lang)
    click.echo(_("wrote {path}").format(path=path))


def register(cli: click.Group) -> None:
    cli.add_command(export)
    cli.add_command(feedback)
