"""`audit-tui moderation`: choose audits for moderation, list them, and the agreement figures.

The blind re-answering itself happens in the terminal UI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from audit_tui.cli.common import app_context
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    # The services are imported inside the commands: `audit-tui --help` stays light.
    from pydantic import BaseModel

    from audit_tui.services.agreement import GradeAgreement


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def build(model: type[BaseModel], options: dict[str, str], **data: Any) -> Any:
    """Validate command-line input into a service object; a problem is one line naming the
    option, never a pydantic report."""
    from pydantic import ValidationError

    from audit_tui.domain.messages import plain_error

    try:
        return model(**data)
    except ValidationError as exc:
        raise UserError(plain_error(exc, options)) from None


def percent(value: float | None) -> str:
    from audit_tui.domain.scoring import format_percent

    return "-" if value is None else format_percent(value)


def number(value: float | None, places: int = 2) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def dump_json(obj: BaseModel | Sequence[BaseModel]) -> None:
    from pydantic import BaseModel

    data = (
        obj.model_dump(mode="json")
        if isinstance(obj, BaseModel)
        else [o.model_dump(mode="json") for o in obj]
    )
    click.echo(json.dumps(data, indent=2))


@click.group("moderation")
def moderation_group() -> None:
    """Moderation: a second, blind grading of finalised audits, and how far graders agree."""


@moderation_group.command("select")
@click.option("--audit", "audit_ids", type=int, multiple=True, help=N_("An audit id (repeatable)."))
@click.option("--share", type=float, help=N_("Moderate this share (0-1) of each auditor's audits."))
@click.option("--seed", type=int, help=N_("Random seed for --share; the same seed picks the same."))
@click.option(
    "--per",
    type=click.Choice(["auditor", "team"]),
    default="auditor",
    show_default=True,
    help=N_("Take the share from each auditor's or each team's audits."),
)
@click.option("--framework", "framework_id", help=N_("Only audits under this framework."))
@click.option(
    "--period", help=N_("Only audits dated in this period (2025-26, 2025-26 Q1, 2025-07).")
)
@click.option("--moderator", required=True, help=N_("Who moderates (not one of their own audits)."))
def select_cmd(
    audit_ids: tuple[int, ...],
    share: float | None,
    seed: int | None,
    per: str,
    framework_id: str | None,
    period: str | None,
    moderator: str,
) -> None:
    """Choose finalised audits for moderation: by id, or a random share per auditor or team."""
    from audit_tui.services import moderation
    from audit_tui.services.moderation import ModerationSelection

    if audit_ids and share is not None:
        raise UserError(_("give either --audit or --share, not both"))
    if not audit_ids and share is None:
        raise UserError(_("give --audit ID (repeatable) or --share 0.1"))
    if seed is not None and share is None:
        raise UserError(_("--seed only applies with --share"))
    sel = build(
        ModerationSelection,
        {"share": "--share", "moderator": "--moderator", "audit_ids": "--audit"},
        moderator=moderator,
        audit_ids=list(audit_ids) or None,
        share=share,
        seed=seed,
        per=per,
        framework_id=framework_id,
        period=period,
    )
    result = moderation.select_for_moderation(app_context(), sel)
    n = len(result.moderations)
    seed_note = " " + _("(seed {seed})").format(seed=result.seed) if result.seed is not None else ""
    click.echo(
        ngettext(
            "{n} audit selected for moderation by {moderator}",
            "{n} audits selected for moderation by {moderator}",
            n,
        ).format(n=n, moderator=sel.moderator)
        + seed_note
    )
    table(
        (_("MODERATION"), _("AUDIT"), _("CASE"), _("TEAM"), _("AUDITOR"), _("DATE")),
        [
            (
                str(m.id),
                str(m.audit_id),
                m.case_reference,
                m.team,
                m.auditor,
                m.audit_date.isoformat(),
            )
            for m in result.moderations
        ],
    )


@moderation_group.command("list")
@click.option(
    "--status",
    type=click.Choice(["requested", "submitted", "agreed"]),
    help=N_("Only this status."),
)
@click.option("--moderator", help=N_("Only this moderator's."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
def list_cmd(status: str | None, moderator: str | None, as_json: bool) -> None:
    """Moderations, newest first."""
    from audit_tui.services import moderation

    items = moderation.list_moderations(app_context(), status=status, moderator=moderator)
    if as_json:
        dump_json(items)
        return
    if not items:
        click.echo(_("no moderations yet: choose some with `audit-tui moderation select`"))
        return
    table(
        (_("ID"), _("AUDIT"), _("CASE"), _("TEAM"), _("AUDITOR"), _("MODERATOR"), _("STATUS")),
        [
            (
                str(m.id),
                str(m.audit_id),
                m.case_reference,
                m.team,
                m.auditor,
                m.moderator,
                _(MODERATION_STATUS.get(m.status, m.status)),
            )
            for m in items
        ],
    )


@moderation_group.command("cancel")
@click.argument("moderation_id", type=int)
@click.option("--reason", required=True, help=N_("Why it is withdrawn (logged)."))
def cancel_cmd(moderation_id: int, reason: str) -> None:
    """Withdraw a moderation that has not been agreed."""
    from audit_tui.services import moderation

    moderation.cancel_moderation(app_context(), moderation_id, reason)
    click.echo(_("moderation {id} cancelled").format(id=moderation_id))


@moderation_group.command("agree")
@click.argument("moderation_id", type=int)
@click.option("--judgement", required=True, help=N_("The agreed judgement (its code)."))
@click.option("--comment", required=True, help=N_("How the agreement was reached (logged)."))
@click.option(
    "--answer",
    "answers",
    multiple=True,
    help=N_("QUESTION=ANSWER for each question where auditor and moderator differ (repeatable)."),
)
def agree_cmd(moderation_id: int, judgement: str, comment: str, answers: tuple[str, ...]) -> None:
    """Record the agreed version of a submitted moderation. Not by the audit's own auditor."""
    from audit_tui.services import moderation
    from audit_tui.services.moderation_schemas import AgreeIn

    agreed: dict[str, str] = {}
    for item in answers:
        qid, sep, code = item.partition("=")
        if not sep or not qid.strip() or not code.strip():
            raise UserError(
                _("--answer '{value}': write it as QUESTION=ANSWER, e.g. CF-AS-02=no").format(
                    value=item
                )
            )
        agreed[qid.strip()] = code.strip()
    result = moderation.agree(
        app_context(), moderation_id, AgreeIn(answers=agreed, judgement=judgement, comment=comment)
    )
    click.echo(
        _("moderation {id} agreed: {case} judged {judgement} ({n} answers differed)").format(
            id=moderation_id, case=result.case_reference, judgement=judgement, n=result.differences
        )
    )


def _statistic(r: GradeAgreement, value: float | None) -> str:
    return f"n<{r.min_pairs}" if r.too_few_pairs else number(value)


def _grade_rows(rows: list[GradeAgreement]) -> list[tuple[str, ...]]:
    return [
        (
            r.name,
            str(r.n),
            percent(r.exact_percent),
            percent(r.within_one_percent),
            _statistic(r, r.kappa),
            _statistic(r, r.ac1),
            number(r.mean_difference),
            _("yes") if r.generous else "",
            str(r.answers_n),
            percent(r.answers_agree_percent),
        )
        for r in rows
    ]


GRADE_HEAD = (
    N_("EXACT"),
    N_("WITHIN 1"),
    N_("KAPPA"),
    N_("AC1"),
    N_("MEAN DIFF"),
    N_("MORE GENEROUS"),
    N_("ANSWERS n"),
    N_("ANSWERS AGREE"),
)


@moderation_group.command("agreement")
@click.option("--framework", "framework_id", help=N_("Only audits under this framework."))
@click.option(
    "--period", help=N_("Only audits dated in this period (2025-26, 2025-26 Q1, 2025-07).")
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of tables."))
def agreement_cmd(framework_id: str | None, period: str | None, as_json: bool) -> None:
    """How far auditors agree with the moderators' blind grading.

    Judgements: exact agreement, agreement within one grade, linear-weighted Cohen's kappa,
    Gwet's AC1 (steadier than kappa when one grade is very common) and mean difference in
    grades (negative: the auditor grades more generously), each with n. Kappa and AC1 are
    not given under 10 pairs ("n<10"). Answers: the share of answers auditor and moderator
    gave alike.
    """
    from audit_tui.services.agreement import agreement_report

    report = agreement_report(app_context(), framework_id, period)
    if as_json:
        dump_json(report)
        return
    scope = ", ".join(x for x in (report.framework_id, report.period) if x) or _("all audits")
    click.echo(
        _("Agreement with moderators ({scope}): {n} judgement pairs").format(
            scope=scope, n=report.overall.n
        )
    )
    if report.overall.n == 0 and report.overall.answers_n == 0:
        click.echo(_("no submitted moderations yet: no data"))
        return
    click.echo("")
    table(
        (_("AUDITOR"), "n", *(_(h) for h in GRADE_HEAD)),
        _grade_rows([*report.auditors, report.overall]),
    )
    click.echo("")
    table(
        (_("TEAM"), "n", *(_(h) for h in GRADE_HEAD)), _grade_rows([*report.teams, report.overall])
    )
    click.echo("")
    table(
        (_("QUESTION"), "n", _("AGREE"), _("TEXT")),
        [
            (q.question_id, str(q.n), percent(q.percent_agree), (q.text or "")[:60])
            for q in report.questions
        ],
    )
    generous = [r.name for r in report.auditors if r.generous]
    if generous:
        click.echo("")
        click.echo(
            _("Consistently more generous than the moderator: {names}").format(
                names=", ".join(generous)
            )
        )


MODERATION_STATUS = {
    "requested": N_("requested"),
    "submitted": N_("submitted"),
    "agreed": N_("agreed"),
}


def register(cli: click.Group) -> None:
    """Add this module's commands to the root group."""
    cli.add_command(moderation_group)
