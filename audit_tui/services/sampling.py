"""Draw a fair sample of case files: random, stratified by team, reproducible from a seed.

The sample is saved as an audit round with a due date, and each sampled case is assigned to
an auditor: round-robin over the team's managers (or over the auditors given), never the
case's own case-holder.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import ChoiceError, UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.sample_draw import (
    Candidate,
    TeamDraw,
    assign,
    draw_team,
    teams_without_auditors,
)
from audit_tui.domain.sample_draw import months_before as months_before
from audit_tui.domain.sample_draw import parse_window as parse_window
from audit_tui.i18n import _, ngettext
from audit_tui.services import framework_choice
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Audit, Case, Round, RoundCase, Team, Worker, utcnow

DEFAULT_DUE_DAYS = 28
MAX_SEED = 999_999  # short enough to read out and type back in


class SampleRequest(BaseModel):
    """What to sample: up to `per_team` cases in every team, of one case type or all the
    framework covers, leaving out cases audited within the window (days; 0: none)."""

    per_team: int
    case_type: str | None = None
    exclude_audited_within_days: int = 365
    seed: int | None = None
    framework_id: str | None = None
    due_date: date | None = None
    auditors: list[str] | None = Field(default=None)
    name: str | None = None
    dry_run: bool = False


class TeamSample(BaseModel):
    team: str
    eligible: int
    requested: int
    sampled: int
    note: str | None = None  # set when the team had fewer eligible cases than requested


class SampledCase(BaseModel):
    round_case_id: int | None  # None in a dry run
    reference: str
    case_type: str
    team: str
    case_holder: str | None
    auditor: str


class RoundReport(BaseModel):
    round_id: int | None  # None in a dry run: nothing was saved
    name: str
    framework_id: str
    seed: int
    per_team: int
    case_type: str | None
    exclude_days: int
    excluded_since: date | None  # cases audited on or after this day were left out
    due_date: date
    dry_run: bool
    teams: list[TeamSample]
    cases: list[SampledCase]
    excluded_recently_audited: int
    excluded_already_assigned: int
    notes: list[str]


def _auditor_pool(
    ctx: AppContext, s: Session, auditors: list[str] | None, notes: list[str]
) -> list[Worker] | None:
    if not auditors:
        return None
    pool: list[Worker] = []
    for name in auditors:
        clean = " ".join(name.split())
        known = s.execute(
            select(Worker).where(func.lower(Worker.name) == clean.lower())
        ).scalar_one_or_none()
        if known is not None and known.left_on is not None:
            raise ChoiceError(
                "auditors",
                _("{name} left on {date}, so gets no new audits").format(
                    name=known.name, date=known.left_on.isoformat()
                ),
            )
        worker = get_or_create_worker(ctx, s, clean, auditor=True)
        if known is None:
            notes.append(_("added {name} as an auditor").format(name=worker.name))
        if worker.id not in {w.id for w in pool}:
            pool.append(worker)
    return pool


def _team_managers(s: Session) -> dict[int, list[Worker]]:
    out: dict[int, list[Worker]] = defaultdict(list)
    q = (
        select(Worker)
        .where(Worker.is_manager, Worker.team_id.is_not(None), Worker.left_on.is_(None))
        .order_by(Worker.name)
    )
    for w in s.execute(q).scalars():
        if w.team_id is not None:  # always, by the query
            out[w.team_id].append(w)
    return out


def _checked(ctx: AppContext, req: SampleRequest) -> tuple[Framework, list[str], str | None]:
    """The framework, the case types in scope and the one chosen (None: all), or a refusal
    naming what is wrong in the request."""
    if req.per_team < 1:
        raise ChoiceError("per_team", _("the number of cases per team must be at least 1"))
    if req.exclude_audited_within_days < 0:
        raise ChoiceError("exclude_audited_within", _("the exclusion window cannot be negative"))
    if req.seed is not None and not 0 <= req.seed <= 2_147_483_647:
        raise ChoiceError("seed", _("the seed must be a whole number from 0 to 2147483647"))
    fw = framework_choice.in_use(ctx, req.framework_id)
    if req.due_date is not None and req.due_date < ctx.today():
        raise ChoiceError(
            "due_date",
            _("the due date {date} is in the past").format(date=req.due_date.isoformat()),
        )
    types = list(fw.case_type_codes)
    if req.case_type is None:
        return fw, types, None
    code = fw.case_type_code(req.case_type)
    if code is None:
        covered = ", ".join(f"{c} ({fw.case_type_label(c)})" for c in types)
        raise ChoiceError(
            "case_type",
            _(
                "'{case_type}' is not a case type of framework {framework} (it covers: {covered})"
            ).format(case_type=req.case_type, framework=fw.id, covered=covered),
        )
    return fw, [code], code


class _Scope:
    """The cases a sample may draw from, and the counts of those it leaves out."""

    def __init__(self, types: list[str], since: date | None) -> None:
        self.in_scope = Case.case_type.in_(types)
        self.open_assignment = exists().where(
            RoundCase.case_id == Case.id, RoundCase.audit_id.is_(None)
        )
        self.recent = (
            exists().where(Audit.case_id == Case.id, Audit.audit_date >= since) if since else None
        )
        self.not_recent: list[ColumnElement[bool]] = (
            [~self.recent] if self.recent is not None else []
        )

    def count(self, s: Session, *where: ColumnElement[bool]) -> int:
        stmt = select(func.count()).select_from(Case).where(self.in_scope, *where)
        return int(s.execute(stmt).scalar_one())

    def draws(self, s: Session, per_team: int, seed: int) -> list[TeamDraw]:
        """Each team with cases in scope, with the cases drawn for it (teams with none
        eligible still get a line in the report)."""
        rows = s.execute(
            select(Case.id, Case.reference, Case.case_type, Case.worker_id, Team.id, Team.name)
            .join(Team, Team.id == Case.team_id)
            .where(self.in_scope, ~self.open_assignment, *self.not_recent)
            .order_by(Team.name, Case.reference)
        ).all()
        by_team: dict[int, list[Candidate]] = defaultdict(list)
        for row in rows:
            by_team[row[4]].append(Candidate(*row))
        teams = s.execute(
            select(Team.id, Team.name)
            .where(exists().where(Case.team_id == Team.id, self.in_scope))
            .order_by(Team.name)
        ).all()
        return [draw_team(name, by_team.get(tid, []), per_team, seed) for tid, name in teams]


def _auditors(
    ctx: AppContext,
    s: Session,
    draws: Sequence[TeamDraw],
    names: list[str] | None,
    notes: list[str],
) -> list[tuple[Candidate, Worker]]:
    """Each drawn case with its auditor: the named auditors in turn, else the team's managers."""
    pool = _auditor_pool(ctx, s, names, notes)
    managers = _team_managers(s) if pool is None else {}
    without = teams_without_auditors(draws, managers) if pool is None else []
    if without:
        raise ChoiceError(
            "auditors",
            ngettext(
                "no auditor for team {teams}: mark a manager in the team (a team manager column "
                "in the case list, or the staff list), or name the auditors to assign",
                "no auditor for teams {teams}: mark a manager in the team (a team manager column "
                "in the case list, or the staff list), or name the auditors to assign",
                len(without),
            ).format(teams=", ".join(without)),
        )
    return assign(draws, pool, lambda team_id: managers[team_id])


def _save_round(
    ctx: AppContext,
    s: Session,
    rnd: Round,
    assignments: list[tuple[Candidate, Worker]],
) -> list[int | None]:
    """The round and its cases, logged; the round cases' ids in the assignments' order."""
    now = rnd.created_at
    s.add(rnd)
    s.flush()
    links = [RoundCase(round_id=rnd.id, case_id=c.case_id, auditor_id=a.id) for c, a in assignments]
    s.add_all(links)
    s.flush()
    log_event(
        s,
        ctx.actor,
        "draw_sample",
        "round",
        rnd.id,
        new={
            "name": rnd.name,
            "framework_id": rnd.framework_id,
            "seed": rnd.seed,
            "per_team": rnd.per_team,
            "case_type": rnd.case_type,
            "exclude_days": rnd.exclude_days,
            "due_date": rnd.due_date.isoformat(),
            "cases": {c.reference: a.name for c, a in assignments},
        },
        at=now,
    )
    for rc, (c, a) in zip(links, assignments, strict=True):
        log_event(
            s,
            ctx.actor,
            "assign",
            "round_case",
            rc.id,
            new={
                "round_id": rnd.id,
                "case_id": rc.case_id,
                "auditor_id": rc.auditor_id,
                "case": c.reference,
                "auditor": a.name,
            },
            at=now,
        )
    return [rc.id for rc in links]


def _sampled_cases(
    s: Session, assignments: list[tuple[Candidate, Worker]], round_case_ids: list[int | None]
) -> list[SampledCase]:
    holder_ids = [c.holder_id for c, _ in assignments if c.holder_id]
    holders = {
        i: n for i, n in s.execute(select(Worker.id, Worker.name).where(Worker.id.in_(holder_ids)))
    }
    return [
        SampledCase(
            round_case_id=rc_id,
            reference=c.reference,
            case_type=c.case_type,
            team=c.team,
            case_holder=holders.get(c.holder_id) if c.holder_id else None,
            auditor=a.name,
        )
        for (c, a), rc_id in zip(assignments, round_case_ids, strict=True)
    ]


def _team_line(d: TeamDraw) -> TeamSample:
    return TeamSample(
        team=d.team, eligible=d.eligible, requested=d.requested, sampled=len(d.picked), note=d.note
    )


def _left_out_notes(n_assigned: int, n_recent: int, since: date | None) -> list[str]:
    notes = []
    if n_assigned:
        notes.append(
            ngettext(
                "{n} case left out: already assigned in a round and not started",
                "{n} cases left out: already assigned in a round and not started",
                n_assigned,
            ).format(n=n_assigned)
        )
    if since:
        notes.append(
            ngettext(
                "{n} case left out: audited on or after {date}",
                "{n} cases left out: audited on or after {date}",
                n_recent,
            ).format(n=n_recent, date=since.isoformat())
        )
    return notes


def draw_sample(ctx: AppContext, req: SampleRequest) -> RoundReport:
    """Sample up to `per_team` cases in every team and save them as a round.

    Eligible: cases of a type the framework covers (only `case_type` if given) with no audit,
    draft or finalised, dated within `exclude_audited_within_days` days before today (0 turns
    the window off), and not already assigned in a round without an audit started. Within
    each team the cases are drawn reproducibly from the seed (domain.sample_draw).
    With `dry_run` nothing is saved and round_case_id is None.
    """
    fw, types, code = _checked(ctx, req)
    today = ctx.today()
    due = req.due_date or today + timedelta(days=DEFAULT_DUE_DAYS)
    seed = req.seed if req.seed is not None else secrets.randbelow(MAX_SEED) + 1
    days = req.exclude_audited_within_days
    since = today - timedelta(days=days) if days else None
    scope = _Scope(types, since)
    notes: list[str] = []
    with ctx.db.write() as s:
        if scope.count(s) == 0:
            if code:
                raise UserError(
                    _("there are no {case_type} cases to sample: import a case list first").format(
                        case_type=fw.case_type_label(code)
                    )
                )
            raise UserError(
                _(
                    "there are no cases {framework} covers to sample: import a case list first"
                ).format(framework=fw.id)
            )
        n_recent = scope.count(s, scope.recent) if scope.recent is not None else 0
        n_assigned = scope.count(s, scope.open_assignment, *scope.not_recent)
        draws = scope.draws(s, req.per_team, seed)
        if not any(d.picked for d in draws):
            raise UserError(
                _(
                    "no eligible cases: every case in scope was audited within the window "
                    "or is already assigned"
                )
            )
        assignments = _auditors(ctx, s, draws, req.auditors, notes)
        clean_name = (req.name or "").strip()
        rnd = Round(
            name=(clean_name or f"{fw.id} sample {today.isoformat()}")[:120],
            framework_id=fw.id,
            due_date=due,
            seed=seed,
            per_team=req.per_team,
            case_type=code,
            exclude_days=days,
            created_at=utcnow(),
        )
        round_case_ids: list[int | None] = [None] * len(assignments)
        if not req.dry_run:
            # After the request's own checks (a bad auditor name is named first); a dry run
            # writes nothing, so it may look at the demo's cases.
            refuse_real_work_in_demo(ctx, s, _("drawing a sample"))
            round_case_ids = _save_round(ctx, s, rnd, assignments)
        cases = _sampled_cases(s, assignments, round_case_ids)
        if req.dry_run:
            s.rollback()  # auditors named for a dry run are not kept
    return RoundReport(
        round_id=None if req.dry_run else rnd.id,
        name=clean_name or f"{fw.id} sample {today.isoformat()}",
        framework_id=fw.id,
        seed=seed,
        per_team=req.per_team,
        case_type=code,
        exclude_days=days,
        excluded_since=since,
        due_date=due,
        dry_run=req.dry_run,
        teams=[_team_line(d) for d in draws],
        cases=cases,
        excluded_recently_audited=n_recent,
        excluded_already_assigned=n_assigned,
        notes=notes + _left_out_notes(n_assigned, n_recent, since),
    )
