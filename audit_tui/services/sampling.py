"""Draw a fair sample of case files: random, stratified by team, reproducible from a seed.

The sample is saved as an audit round with a due date, and each sampled case is assigned to
an auditor: round-robin over the team's managers (or over the auditors given), never the
case's own case-holder.
"""

from __future__ import annotations

import calendar
import re
import secrets
from collections import defaultdict
from datetime import date, timedelta
from random import Random
from typing import Any

from pydantic import BaseModel
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.services import framework_choice
from audit_tui.services.context import AppContext
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Audit, Case, Round, RoundCase, Team, Worker, utcnow

DEFAULT_DUE_DAYS = 28
MAX_SEED = 999_999  # short enough to read out and type back in


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


_WINDOW = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` calendar months earlier (clamped to month end)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_window(text: str, today: date) -> int:
    """'90d', '12w', '12m' or '1y' -> days before `today`. Months and years are calendar
    ones: '12m' on 20 November 2026 reaches back to 20 November 2025 (365 days). A bare
    number is days."""
    m = _WINDOW.match(text)
    if not m:
        raise UserError(
            f"--exclude-audited-within '{text}': write a number of days, weeks, months or "
            "years, like 90d, 12w, 12m or 1y"
        )
    n, unit = int(m.group(1)), (m.group(2) or "d").lower()
    if unit == "d":
        return n
    if unit == "w":
        return 7 * n
    months = n if unit == "m" else 12 * n
    if months > 12 * 100:
        raise UserError(f"--exclude-audited-within '{text}': at most 100 years")
    return (today - months_before(today, months)).days


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
            raise UserError(
                f"--auditor '{known.name}': left on {known.left_on.isoformat()}, "
                "so gets no new audits"
            )
        worker = get_or_create_worker(ctx, s, clean, auditor=True)
        if known is None:
            notes.append(f"added {worker.name} as an auditor")
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
        out[w.team_id].append(w)  # type: ignore[index]
    return out


class _Rotation:
    """Round-robin over a list of auditors that skips the case's own case-holder."""

    def __init__(self, pool: list[Worker]) -> None:
        self.pool = pool
        self.next = 0

    def pick(self, holder_id: int | None) -> Worker | None:
        for step in range(len(self.pool)):
            w = self.pool[(self.next + step) % len(self.pool)]
            if w.id != holder_id:
                self.next = (self.next + step + 1) % len(self.pool)
                return w
        return None


def draw_sample(
    ctx: AppContext,
    per_team: int,
    case_type: str | None = None,
    exclude_audited_within_days: int = 365,
    seed: int | None = None,
    framework_id: str | None = None,
    due_date: date | None = None,
    auditors: list[str] | None = None,
    name: str | None = None,
    *,
    dry_run: bool = False,
) -> RoundReport:
    """Sample up to `per_team` cases in every team and save them as a round.

    Eligible: cases of a type the framework covers (only `case_type` if given) with no audit,
    draft or finalised, dated within `exclude_audited_within_days` days before today (0 turns
    the window off), and not already assigned in a round without an audit started. Within
    each team the cases are sorted by reference and drawn with random.Random(f"{seed}:{team}"),
    so the same seed on the same case list gives the same sample whatever the database's row
    order, and one team's sample does not change when another team's cases do.
    With `dry_run` nothing is saved and round_case_id is None.
    """
    if per_team < 1:
        raise UserError("--per-team must be at least 1")
    if exclude_audited_within_days < 0:
        raise UserError("the exclusion window cannot be negative")
    if seed is not None and not 0 <= seed <= 2_147_483_647:
        raise UserError("--seed must be a whole number from 0 to 2147483647")
    fw = framework_choice.in_use(ctx, framework_id)
    today = ctx.today()
    due = due_date or today + timedelta(days=DEFAULT_DUE_DAYS)
    if due < today:
        raise UserError(f"the due date {due.isoformat()} is in the past")
    types = list(fw.case_type_codes)
    code: str | None = None
    if case_type is not None:
        code = fw.case_type_code(case_type)
        if code is None:
            covered = ", ".join(f"{c} ({fw.case_type_label(c)})" for c in types)
            raise UserError(
                f"--case-type '{case_type}' is not a case type of framework {fw.id} "
                f"(it covers: {covered})"
            )
        types = [code]
    if seed is None:
        seed = secrets.randbelow(MAX_SEED) + 1
    since = (
        today - timedelta(days=exclude_audited_within_days) if exclude_audited_within_days else None
    )
    notes: list[str] = []

    in_scope = Case.case_type.in_(types)
    open_assignment = exists().where(RoundCase.case_id == Case.id, RoundCase.audit_id.is_(None))
    recent = exists().where(Audit.case_id == Case.id, Audit.audit_date >= since) if since else None
    not_recent = [~recent] if recent is not None else []

    with ctx.db.write() as s:
        total = s.execute(select(func.count()).select_from(Case).where(in_scope)).scalar_one()
        if total == 0:
            what = f"{fw.case_type_label(code)} cases" if code else f"cases {fw.id} covers"
            raise UserError(f"there are no {what} to sample: import a case list first")
        n_recent = 0
        if recent is not None:
            n_recent = s.execute(
                select(func.count()).select_from(Case).where(in_scope, recent)
            ).scalar_one()
        n_assigned = s.execute(
            select(func.count()).select_from(Case).where(in_scope, open_assignment, *not_recent)
        ).scalar_one()
        rows = s.execute(
            select(Case.id, Case.reference, Case.case_type, Case.worker_id, Team.id, Team.name)
            .join(Team, Team.id == Case.team_id)
            .where(in_scope, ~open_assignment, *not_recent)
            .order_by(Team.name, Case.reference)
        ).all()
        # Teams with cases in scope but none eligible still get a line in the report.
        teams_in_scope = s.execute(
            select(Team.id, Team.name)
            .where(exists().where(Case.team_id == Team.id, in_scope))
            .order_by(Team.name)
        ).all()

        by_team: dict[int, list] = defaultdict(list)  # type: ignore[type-arg]
        for row in rows:
            by_team[row[4]].append(row)
        chosen: dict[int, list] = {}  # type: ignore[type-arg]
        team_reports: list[TeamSample] = []
        for team_id, team_name in teams_in_scope:
            candidates = sorted(by_team.get(team_id, []), key=lambda r: r[1])
            if len(candidates) <= per_team:
                picked = candidates
            else:
                picked = sorted(
                    Random(f"{seed}:{team_name}").sample(candidates, per_team), key=lambda r: r[1]
                )
            note = None
            if not candidates:
                note = "no eligible cases"
            elif len(candidates) < per_team:
                plural = "s" if len(candidates) != 1 else ""
                note = f"only {len(candidates)} eligible case{plural}: took all"
            team_reports.append(
                TeamSample(
                    team=team_name,
                    eligible=len(candidates),
                    requested=per_team,
                    sampled=len(picked),
                    note=note,
                )
            )
            if picked:
                chosen[team_id] = picked
        if not chosen:
            raise UserError(
                "no eligible cases: every case in scope was audited within the window "
                "or is already assigned"
            )

        pool = _auditor_pool(ctx, s, auditors, notes)
        managers = _team_managers(s) if pool is None else {}
        team_names = dict(teams_in_scope)
        without = [team_names[t] for t in chosen if pool is None and not managers.get(t)]
        if without:
            raise UserError(
                f"no auditor for team{'s' if len(without) > 1 else ''} {', '.join(without)}: "
                "mark a manager in the team (`audit-tui staff manager NAME`, a team manager "
                "column in the case list, or `audit-tui import-staff`), or name auditors with "
                "--auditor"
            )
        shared = _Rotation(pool) if pool is not None else None
        assignments: list[tuple[Any, int, str]] = []  # (case row, auditor id, auditor name)
        for team_id, picked in chosen.items():
            rotation = shared or _Rotation(managers[team_id])
            for row in picked:
                auditor = rotation.pick(row[3])
                if auditor is None:
                    raise UserError(
                        f"case {row[1]} in {team_names[team_id]}: its case-holder is the only "
                        "auditor available; name another auditor with --auditor"
                    )
                assignments.append((row, auditor.id, auditor.name))

        holders = {
            w.id: w.name
            for w in s.execute(
                select(Worker).where(Worker.id.in_([r[3] for r, _, _ in assignments if r[3]]))
            ).scalars()
        }
        round_name = (
            name.strip() if name and name.strip() else f"{fw.id} sample {today.isoformat()}"
        )
        round_id: int | None = None
        round_case_ids: list[int | None] = [None] * len(assignments)
        if not dry_run:
            now = utcnow()
            rnd = Round(
                name=round_name[:120],
                framework_id=fw.id,
                due_date=due,
                seed=seed,
                per_team=per_team,
                case_type=code,
                exclude_days=exclude_audited_within_days,
                created_at=now,
            )
            s.add(rnd)
            s.flush()
            links = [
                RoundCase(round_id=rnd.id, case_id=r[0], auditor_id=a) for r, a, _ in assignments
            ]
            s.add_all(links)
            s.flush()
            round_id = rnd.id
            round_case_ids = [rc.id for rc in links]
            log_event(
                s,
                ctx.actor,
                "draw_sample",
                "round",
                rnd.id,
                new={
                    "name": rnd.name,
                    "framework_id": fw.id,
                    "seed": seed,
                    "per_team": per_team,
                    "case_type": code,
                    "exclude_days": exclude_audited_within_days,
                    "due_date": due.isoformat(),
                    "cases": {r[1]: a for r, _, a in assignments},
                },
                at=now,
            )
            for rc, (r, _, auditor_name) in zip(links, assignments, strict=True):
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
                        "case": r[1],
                        "auditor": auditor_name,
                    },
                    at=now,
                )
        cases = [
            SampledCase(
                round_case_id=rc_id,
                reference=r[1],
                case_type=r[2],
                team=r[5],
                case_holder=holders.get(r[3]) if r[3] else None,
                auditor=a,
            )
            for (r, _, a), rc_id in zip(assignments, round_case_ids, strict=True)
        ]
        if dry_run:
            s.rollback()  # auditors named for a dry run are not kept
    if n_assigned:
        notes.append(
            f"{n_assigned} case{'s' if n_assigned != 1 else ''} left out: already assigned "
            "in a round and not started"
        )
    if since:
        notes.append(
            f"{n_recent} case{'s' if n_recent != 1 else ''} left out: audited on or after "
            f"{since.isoformat()}"
        )
    return RoundReport(
        round_id=round_id,
        name=round_name,
        framework_id=fw.id,
        seed=seed,
        per_team=per_team,
        case_type=code,
        exclude_days=exclude_audited_within_days,
        excluded_since=since,
        due_date=due,
        dry_run=dry_run,
        teams=team_reports,
        cases=cases,
        excluded_recently_audited=n_recent,
        excluded_already_assigned=n_assigned,
        notes=notes,
    )
