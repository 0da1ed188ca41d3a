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
@click.option("--from", "date_from", type=DATE, help="First audit date (YYYY-MM-DD), with --to.")
@click.option("--to", "date_to", type=DATE, help="Last audit date (YYYY-MM-DD), with --from.")
@teams_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="The .xlsx file to write, or a folder (default: the exports folder).",
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(path_type=Path),
    help="Instead of the workbook, write the raw audits and answers as CSV files into this "
    "folder (text a spreadsheet would run as a formula is guarded with an apostrophe).",
)
@click.option("--force", is_flag=True, help="Replace --out if it already exists.")
def export(
    framework_id: str | None,
    period: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    teams: tuple[str, ...],
    out: Path | None,
    csv_dir: Path | None,
    force: bool,
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
    )
    ctx = app_context()
    if csv_dir is not None:
        if out is not None:
            raise UserError("give --out for the workbook or --csv for CSV files, not both")
        done = write_csv(ctx, spec, csv_dir)
        who = ", ".join(done.teams) if done.teams else "all teams"
        for path in done.paths:
            click.echo(f"wrote {path}")
        click.echo(
            f"({done.framework_id} {done.period}, {who}: {done.audits} audits, "
            f"{done.answers} answers)"
        )
        return
    progress = _Progress()
    try:
        result = write_workbook(ctx, spec, out or settings().exports, progress)
    finally:
        progress.close()
    who = ", ".join(result.teams) if result.teams else "all teams"
    click.echo(
        f"wrote {result.path} ({result.framework_id} {result.period}, {who}: "
        f"{result.audits} audits, {result.answers} answers)"
    )


@click.command("feedback")
@click.argument("audit_id", type=int)
@click.option(
    "--out",
    help="The .md or .txt file to write, a folder, or - for the screen (default: exports).",
)
@click.option("--force", is_flag=True, help="Replace --out if it already exists.")
def feedback(audit_id: int, out: str | None, force: bool) -> None:
    """Write the feedback document for the case-holder of a finalised audit."""
    from audit_tui.export import render_feedback, write_feedback

    ctx = app_context()
    if out == "-":
        click.echo(render_feedback(ctx, audit_id), nl=False)
        return
    path = write_feedback(ctx, audit_id, Path(out) if out else settings().exports, overwrite=force)
    click.echo(f"wrote {path}")


def register(cli: click.Group) -> None:
    cli.add_command(export)
    cli.add_command(feedback)
