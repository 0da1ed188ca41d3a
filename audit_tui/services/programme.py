"""The audit programme: rounds, who is assigned what, and who is behind.

A round case counts as "started" while its linked audit is a draft and "finalised" once the
audit is finalised; it is "overdue" when it is not finalised and the round's due date has
passed (the due day itself is not overdue). Only audits started from the assignment (with
NewAudit.round_case_id) are linked to it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _
from audit_tui.services.context import AppContext
from audit_tui.services.schemas import NewAudit
from audit_tui.store.models import Audit, Case, Round, RoundCase, Team, Worker


class RoundOut(BaseModel):
    id: int
    name: str
    framework_id: str
    due_date: date
    seed: int | None
    per_team: int
    case_type: str | None
    exclude_days: int
    cases: int


class ProgrammeRow(BaseModel):
    """Progress of one auditor in one team in one round."""

    round_id: int
    round_name: str
    due_date: date
    auditor: str
    team: str
    assigned: int
    not_started: int
    started: int  # an audit exists and is still a draft
    finalised: int
    overdue: int  # not finalised and the due date has passed


class ProgrammeStatus(BaseModel):
    round: RoundOut
    today: date
    is_overdue: bool  # the due date has passed
    rows: list[ProgrammeRow]  # by auditor, then team
    total: ProgrammeRow  # the whole round; auditor and team are "all"


class AssignedCase(BaseModel):
    """One sampled case as an auditor sees it: enough to start its audit pre-filled."""

    round_case_id: int
    round_id: int
    round_name: str
    framework_id: str
    due_date: date
    reference: str
    case_type: str
    case_type_label: str
    team: str
    case_holder: str | None
    auditor: str
    audit_id: int | None
    status: str  # "not started", "draft" or "finalised"
    overdue: bool

    def new_audit(self, audit_date: date) -> NewAudit:
        """The NewAudit that starts this case's audit and links it to the assignment."""
        return NewAudit(
            framework_id=self.framework_id,
            case_reference=self.reference,
            case_type=self.case_type,
            team=self.team,
            case_holder=self.case_holder,
            auditor=self.auditor,
            audit_date=audit_date,
            round_case_id=self.round_case_id,
        )


def _round_out(r: Round, cases: int) -> RoundOut:
    return RoundOut(
        id=r.id,
        name=r.name,
        framework_id=r.framework_id,
        due_date=r.due_date,
        seed=r.seed,
        per_team=r.per_team,
        case_type=r.case_type,
        exclude_days=r.exclude_days,
        cases=cases,
    )


def list_rounds(ctx: AppContext) -> list[RoundOut]:
    """Every round, newest first, with its number of cases."""
    with ctx.db.read() as s:
        counts = (
            select(RoundCase.round_id, func.count().label("n"))
            .group_by(RoundCase.round_id)
            .subquery()
        )
        q = (
            select(Round, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.round_id == Round.id)
            .order_by(Round.id.desc())
        )
        return [_round_out(r, n) for r, n in s.execute(q).all()]


def current_round(ctx: AppContext) -> RoundOut | None:
    """The most recently drawn round, or None before the first sample."""
    with ctx.db.read() as s:
        r = s.execute(select(Round).order_by(Round.id.desc()).limit(1)).scalar()
        if r is None:
            return None
        n = s.execute(
            select(func.count()).select_from(RoundCase).where(RoundCase.round_id == r.id)
        ).scalar_one()
        return _round_out(r, n)


def _resolve_round(ctx: AppContext, round_id: int | None) -> RoundOut:
    if round_id is None:
        current = current_round(ctx)
        if current is None:
            raise UserError(_("no audit round yet: draw one with `audit-tui sample`"))
        return current
    for r in list_rounds(ctx):
        if r.id == round_id:
            return r
    raise UserError(_("no audit round {id}").format(id=round_id))


def _not_finalised() -> ColumnElement[bool]:
    return or_(Audit.status.is_(None), Audit.status != "finalised")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def programme_rows(
    ctx: AppContext, round_id: int | None = None, today: date | None = None
) -> list[ProgrammeRow]:
    """Assigned, not started, started, finalised and overdue per round, auditor and team,
    aggregated in the database. `round_id` None means every round (newest first): the shape
    of the workbook's Programme sheet."""
    today = today or ctx.today()
    auditor = aliased(Worker)
    q = (
        select(
            Round.id,
            Round.name,
            Round.due_date,
            auditor.name,
            Team.name,
            func.count(RoundCase.id),
            _count_if(Audit.id.is_(None)),
            _count_if(Audit.status == "draft"),
            _count_if(Audit.status == "finalised"),
            _count_if(and_(Round.due_date < today, _not_finalised())),
        )
        .select_from(RoundCase)
        .join(Round, Round.id == RoundCase.round_id)
        .join(Case, Case.id == RoundCase.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(auditor, auditor.id == RoundCase.auditor_id)
        .outerjoin(Audit, Audit.id == RoundCase.audit_id)
        .group_by(Round.id, Round.name, Round.due_date, auditor.name, Team.name)
        .order_by(Round.id.desc(), auditor.name, Team.name)
    )
    if round_id is not None:
        q = q.where(Round.id == round_id)
    with ctx.db.read() as s:
        return [
            ProgrammeRow(
                round_id=rid,
                round_name=rname,
                due_date=due,
                auditor=aname,
                team=tname,
                assigned=n,
                not_started=int(ns or 0),
                started=int(st or 0),
                finalised=int(fi or 0),
                overdue=int(od or 0),
            )
            for rid, rname, due, aname, tname, n, ns, st, fi, od in s.execute(q).all()
        ]


def programme_status(
    ctx: AppContext, round_id: int | None = None, today: date | None = None
) -> ProgrammeStatus:
    """Progress of one round (the current one by default) per auditor and team."""
    today = today or ctx.today()
    rnd = _resolve_round(ctx, round_id)
    rows = programme_rows(ctx, rnd.id, today)
    total = ProgrammeRow(
        round_id=rnd.id,
        round_name=rnd.name,
        due_date=rnd.due_date,
        auditor="all",
        team="all",
        assigned=sum(r.assigned for r in rows),
        not_started=sum(r.not_started for r in rows),
        started=sum(r.started for r in rows),
        finalised=sum(r.finalised for r in rows),
        overdue=sum(r.overdue for r in rows),
    )
    return ProgrammeStatus(
        round=rnd, today=today, is_overdue=rnd.due_date < today, rows=rows, total=total
    )


def assigned_cases(
    ctx: AppContext,
    auditor: str | None = None,
    round_id: int | None = None,
    *,
    include_finalised: bool = True,
) -> list[AssignedCase]:
    """The cases assigned in a round (the current one by default), to `auditor` if given
    (matched ignoring case), sorted by auditor, team and reference. An empty list when there
    is no round yet or the auditor has nothing assigned."""
    if round_id is None:
        current = current_round(ctx)
        if current is None:
            return []
        round_id = current.id
    today = ctx.today()
    auditor_w = aliased(Worker)
    holder_w = aliased(Worker)
    q = (
        select(
            RoundCase.id,
            Round,
            Case.reference,
            Case.case_type,
            Team.name,
            holder_w.name,
            auditor_w.name,
            Audit.id,
            Audit.status,
        )
        .select_from(RoundCase)
        .join(Round, Round.id == RoundCase.round_id)
        .join(Case, Case.id == RoundCase.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(auditor_w, auditor_w.id == RoundCase.auditor_id)
        .outerjoin(holder_w, holder_w.id == Case.worker_id)
        .outerjoin(Audit, Audit.id == RoundCase.audit_id)
        .where(RoundCase.round_id == round_id)
        .order_by(auditor_w.name, Team.name, Case.reference)
    )
    if auditor:
        q = q.where(func.lower(auditor_w.name) == " ".join(auditor.split()).lower())
    if not include_finalised:
        q = q.where(_not_finalised())
    with ctx.db.read() as s:
        out = []
        for rc_id, rnd, ref, ctype, team, holder, aname, audit_id, status in s.execute(q).all():
            out.append(
                AssignedCase(
                    round_case_id=rc_id,
                    round_id=rnd.id,
                    round_name=rnd.name,
                    framework_id=rnd.framework_id,
                    due_date=rnd.due_date,
                    reference=ref,
                    case_type=ctype,
                    case_type_label=ctx.frameworks.case_type_label(ctype, rnd.framework_id),
                    team=team,
                    case_holder=holder,
                    auditor=aname,
                    audit_id=audit_id,
                    status=status
                    or "not started",  # not translated: a status code the screens word
                    overdue=rnd.due_date < today and status != "finalised",
                )
            )
        return out
