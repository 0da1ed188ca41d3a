"""`audit-tui import-cases`, `sample`, `programme` and `rounds`: the case list and the audit
programme drawn from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from audit_tui.cli.common import app_context, fail, fail_import, into_demo_option
from audit_tui.i18n import N_, _, ngettext

# The services are imported inside the commands: `audit-tui --help` stays light.


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(
            _("{option} '{value}': write the date as YYYY-MM-DD").format(option=option, value=value)
        )


# The sample request's fields as this command's options: a refused choice names the option.
SAMPLE_OPTIONS = {
    "per_team": "--per-team",
    "case_type": "--case-type",
    "exclude_audited_within": "--exclude-audited-within",
    "seed": "--seed",
    "due_date": "--due",
    "auditors": "--auditor",
    "framework_id": "--framework",
    "name": "--name",
}


@click.command("import-cases")
@click.argument("file", type=click.Path(path_type=Path))
@into_demo_option
@click.option(
    "--framework",
    "framework_id",
    help=N_("Read the case types as this framework names them (default: the default framework)."),
)
def import_cases_cmd(file: Path, into_demo: bool, framework_id: str | None) -> None:
    """Import the case list (CSV or XLSX) from the case management system.

    Needs columns for case reference, case type, team and case-holder; legal status, age
    band, open date and team manager are optional (a team manager column marks that person
    as a manager of the row's team, so `sample` can assign audits to them). All or nothing: any bad row means nothing is imported,
    and every problem is listed. Importing again updates the cases it lists. A column with
    a child's name or date of birth makes the whole file refused.
    """
    from audit_tui.services.case_import import ImportRejected, import_cases

    ctx = app_context()
    ctx.demo_confirmed = into_demo
    try:
        report = import_cases(ctx, file, framework_id)
    except ImportRejected as exc:
        fail_import(exc.errors, str(exc))
    click.echo(
        ngettext(
            "{file}: {n} case read: {created} created, {updated} updated, {unchanged} unchanged",
            "{file}: {n} cases read: {created} created, {updated} updated, {unchanged} unchanged",
            report.rows,
        ).format(
            file=report.file,
            n=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    )
    for note in report.notes:
        click.echo("  " + _("note: {line}").format(line=note))


@click.command("sample")
@click.option("--per-team", type=click.IntRange(min=1), required=True, help=N_("Cases per team."))
@click.option("--case-type", help=N_("Only this case type (code, label or abbreviation: CP, LAC)."))
@click.option(
    "--exclude-audited-within",
    "window",
    default="12m",
    show_default=True,
    help=N_(
        "Leave out cases audited this recently: 90d, 12w, 12m, 1y (calendar months), 0 = none."
    ),
)
@click.option("--seed", type=int, help=N_("Random seed; the same seed redraws the same sample."))
@click.option("--due", help=N_("Due date YYYY-MM-DD (default: 28 days from today)."))
@click.option(
    "--auditor",
    "auditors",
    multiple=True,
    help=N_("Assign to these auditors in turn (repeat the option); default: each team's managers."),
)
@click.option(
    "--framework",
    "framework_id",
    help=N_("The framework to sample for (default: the default framework in the settings)."),
)
@click.option("--name", help=N_("A name for the round (default: framework and date)."))
@click.option("--dry-run", is_flag=True, help=N_("Show the sample without saving it."))
@into_demo_option
def sample_cmd(
    per_team: int,
    case_type: str | None,
    window: str,
    seed: int | None,
    due: str | None,
    auditors: tuple[str, ...],
    framework_id: str | None,
    name: str | None,
    dry_run: bool,
    into_demo: bool,
) -> None:
    """Draw a random sample of case files per team and save it as an audit round."""
    from audit_tui.domain.errors import ChoiceError
    from audit_tui.services.sampling import SampleRequest, draw_sample, parse_window

    ctx = app_context()
    ctx.demo_confirmed = into_demo
    try:
        report = draw_sample(
            ctx,
            SampleRequest(
                per_team=per_team,
                case_type=case_type,
                exclude_audited_within_days=parse_window(window, ctx.today()),
                seed=seed,
                framework_id=framework_id,
                due_date=_date(due, "--due"),
                auditors=list(auditors) or None,
                name=name,
                dry_run=dry_run,
            ),
        )
    except ChoiceError as exc:
        fail(f"{SAMPLE_OPTIONS.get(exc.field, exc.field)}: {exc}")
    what = (
        _("Dry run, nothing saved")
        if report.dry_run
        else _("Round {id}").format(id=report.round_id)
    )
    cases = ngettext("{n} case", "{n} cases", len(report.cases)).format(n=len(report.cases))
    click.echo(
        _("{what}: {name}: {cases}, due {date}, seed {seed}").format(
            what=what,
            name=report.name,
            cases=cases,
            date=report.due_date.isoformat(),
            seed=report.seed,
        )
    )
    _table(
        (_("TEAM"), _("ELIGIBLE"), _("SAMPLED"), _("NOTE")),
        [(t.team, str(t.eligible), str(t.sampled), t.note or "") for t in report.teams],
    )
    click.echo("")
    _table(
        (_("CASE"), _("TYPE"), _("TEAM"), _("CASE-HOLDER"), _("AUDITOR")),
        [
            (
                c.reference,
                ctx.frameworks.case_type_label(c.case_type, report.framework_id),
                c.team,
                c.case_holder or "-",
                c.auditor,
            )
            for c in report.cases
        ],
    )
    for note in report.notes:
        click.echo("  " + _("note: {line}").format(line=note))


@click.command("programme")
@click.option("--round", "round_id", type=int, help=N_("Round id (default: the latest round)."))
@click.option("--auditor", help=N_("List this auditor's assigned cases instead of the totals."))
def programme_cmd(round_id: int | None, auditor: str | None) -> None:
    """Progress of an audit round per auditor and team: assigned, started, finalised, overdue."""
    from audit_tui.services.programme import assigned_cases, programme_status

    ctx = app_context()
    status = programme_status(ctx, round_id)
    rnd = status.round
    late = " - " + _("OVERDUE") if status.is_overdue and status.total.overdue else ""
    click.echo(
        _("Round {id}: {name}, due {date}").format(
            id=rnd.id, name=rnd.name, date=rnd.due_date.isoformat()
        )
        + late
    )
    if auditor:
        cases = assigned_cases(ctx, auditor, rnd.id)
        if not cases:
            fail(
                _("nothing is assigned to '{auditor}' in round {id}").format(
                    auditor=auditor, id=rnd.id
                )
            )
        _table(
            (_("CASE"), _("TYPE"), _("TEAM"), _("CASE-HOLDER"), _("STATUS")),
            [
                (
                    c.reference,
                    c.case_type_label,
                    c.team,
                    c.case_holder or "-",
                    _(CASE_STATUS.get(c.status, c.status))
                    + (" (" + _("overdue") + ")" if c.overdue else ""),
                )
                for c in cases
            ],
        )
        return
    _table(
        (
            _("AUDITOR"),
            _("TEAM"),
            _("ASSIGNED"),
            _("NOT STARTED"),
            _("STARTED"),
            _("FINALISED"),
            _("OVERDUE"),
        ),
        [
            (
                r.auditor,
                r.team,
                str(r.assigned),
                str(r.not_started),
                str(r.started),
                str(r.finalised),
                str(r.overdue),
            )
            for r in [*status.rows, status.total]
        ],
    )


@click.command("rounds")
def rounds_cmd() -> None:
    """Every audit round, newest first."""
    from audit_tui.services.programme import list_rounds

    rounds = list_rounds(app_context())
    if not rounds:
        click.echo(_("no audit rounds yet: draw one with `audit-tui sample`"))
        return
    _table(
        (_("ID"), _("NAME"), _("FRAMEWORK"), _("CASES"), _("DUE"), _("SEED")),
        [
            (str(r.id), r.name, r.framework_id, str(r.cases), r.due_date.isoformat(), str(r.seed))
            for r in rounds
        ],
    )


# An assigned case's status (services.programme) as the table says it.
CASE_STATUS = {
    "not started": N_("not started"),  # not translated: the key is the service's word
    "draft": N_("draft"),
    "finalised": N_("finalised"),
}


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    for command in (import_cases_cmd, sample_cmd, programme_cmd, rounds_cmd):
        cli.add_command(command)
