"""Fill a fresh database with demo data: teams, staff, cases and audits bulk-loaded in
chunks (audit_tui.store.bulk), then the story of this term told through the services
(audit_tui.demo.story).

Every row is marked `is_demo`; team names end in "(demo)", case references are DEMO-nnnnnn,
staff names are plainly invented and no child is named anywhere (notes use initials, as
auditors are asked to). Everything except the `created_at` of teams, workers and cases and the
closing log entry comes from `random.Random(seed)` and `ctx.today()`, so the same seed on the
same day gives the same audits, answers and log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.demo.content import FRAMEWORK
from audit_tui.demo.generator import Generator
from audit_tui.demo.shapes import Counts, Head
from audit_tui.demo.story import StorySummary, add_story
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.i18n import _, format_number, format_percent, ngettext
from audit_tui.services import framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import mark_kind
from audit_tui.services.eventlog import append_events, log_event
from audit_tui.store.bulk import insert_answers, insert_rows, move_sequences, next_id, quick_commits
from audit_tui.store.models import Answer, Audit, Case, Team, Worker, clock_set, utcnow

# What the generator writes, in rows and log entries: caches of generated databases (bench/)
# are keyed by it.
FORMAT = 2
CHUNK = 2_500  # audits per transaction: short enough to keep the WAL small, few enough commits


class DemoSummary(BaseModel):
    seed: int
    teams: int
    workers: int
    cases: int
    audits: int
    finalised: int
    drafts: int
    answers: int
    events: int
    first_date: date | None
    last_date: date | None
    mean_percent_met: float | None
    story: StorySummary | None = None

    @property
    def line(self) -> str:
        """What `audit-tui demo` prints: what was made, in the interface's language."""
        n = format_number
        span = (
            _(", {first} to {last}").format(first=self.first_date, last=self.last_date)
            if self.first_date
            else ""
        )
        mean = (
            _(", mean {percent} met").format(percent=format_percent(self.mean_percent_met, 1))
            if self.mean_percent_met is not None
            else ""
        )
        counts = _(
            "{audits} ({finalised} finalised, {drafts}), {answers}, {cases}, {teams}, {staff}"
        ).format(
            audits=ngettext("{n} audit", "{n} audits", self.audits).format(n=n(self.audits)),
            finalised=n(self.finalised),
            drafts=ngettext("{n} draft", "{n} drafts", self.drafts).format(n=n(self.drafts)),
            answers=ngettext("{n} answer", "{n} answers", self.answers).format(n=n(self.answers)),
            cases=ngettext("{n} case", "{n} cases", self.cases).format(n=n(self.cases)),
            teams=ngettext("{n} team", "{n} teams", self.teams).format(n=n(self.teams)),
            staff=ngettext("{n} member of staff", "{n} staff", self.workers).format(
                n=n(self.workers)
            ),
        )
        return _("demo data (seed {seed}): {counts}{span}{mean}").format(
            seed=self.seed, counts=counts, span=span, mean=mean
        ) + (f"; {self.story.line}" if self.story is not None else "")


def _chunks(items: list[Head], size: int) -> Iterator[list[Head]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _created(actor: str, at: datetime, entity: str, row: dict[str, Any]) -> dict[str, Any]:
    """The log entry creating a demo team, member of staff or case."""
    values = {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}
    return {
        "at": at,
        "actor": actor,
        "action": "create",
        "entity": entity,
        "entity_id": row["id"],
        "audit_id": None,
        "field": None,
        "old_value": None,
        "new_value": values,
        "reason": None,
    }


def _refuse_unless_fresh(ctx: AppContext, session: Session) -> None:
    """Demo data goes only into a database of its own: one holding any real audit, team or
    case is refused (as is one already holding demo data), before anything is written."""
    where = ctx.db.path or ctx.db.safe_url
    audits_n, teams_n, cases_n = (
        session.execute(
            select(func.count()).select_from(model).where(model.is_demo.is_(False))
        ).scalar_one()
        for model in (Audit, Team, Case)
    )
    real = [
        words.format(n=format_number(n))
        for n, words in (
            (audits_n, ngettext("{n} real audit", "{n} real audits", audits_n)),
            (teams_n, ngettext("{n} real team", "{n} real teams", teams_n)),
            (cases_n, ngettext("{n} real case", "{n} real cases", cases_n)),
        )
        if n
    ]
    if real:
        raise UserError(
            _(
                "{where}: holds {real}; demo data only goes into a database of its own "
                "(`audit-tui demo` without --db fills the demo database)"
            ).format(where=where, real=", ".join(real))
        )
    if session.execute(select(Team.id).where(Team.is_demo.is_(True)).limit(1)).first():
        raise UserError(
            _(
                "{where}: already holds demo data; give a new file with --db for another demo"
            ).format(where=where)
        )


def generate_demo(
    ctx: AppContext, audits: int = 2000, seed: int = 1, drafts: int | None = None
) -> DemoSummary:
    """Fill a fresh database with demo teams, staff, cases and audits against `case-file`."""
    if audits < 0:
        raise UserError(_("--audits {n}: must be 0 or more").format(n=audits))
    n_drafts = min(audits, max(1, audits // 100)) if drafts is None else drafts
    if not 0 <= n_drafts <= audits:
        raise UserError(
            _("--drafts {n}: must be between 0 and the number of audits").format(n=n_drafts)
        )
    fw = ctx.frameworks.get(FRAMEWORK)
    gen = Generator(ctx.db.is_sqlite, ctx.today(), fw, seed)
    # Everything below but the closing log entry runs on the generator's clock (yesterday
    # afternoon, a second a step), so the same seed on the same day gives the same rows.
    with clock_set(_StepClock(ctx.today())), quick_commits(ctx.db.write_engine, ctx.db.is_sqlite):
        summary = _generate(ctx, gen, fw, audits, n_drafts, seed)
    with ctx.db.write() as s:
        # The one entry with a wall-clock time: when this demo was made, and by whom.
        log_event(
            s,
            ctx.actor,
            "demo",
            "database",
            None,
            new={
                **summary.model_dump(mode="json"),
                "framework": {"id": fw.id, "version": fw.version, "hash": fw.content_hash},
            },
        )
    return summary


class _StepClock:
    def __init__(self, today: date) -> None:
        self.at = datetime.combine(today - timedelta(days=1), time(16, 0), UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


def _generate(
    ctx: AppContext, gen: Generator, fw: Framework, audits: int, n_drafts: int, seed: int
) -> DemoSummary:
    now = utcnow()
    teams = gen.teams()

    with ctx.db.write() as s:
        _refuse_unless_fresh(ctx, s)
        # The version every demo audit is read against; logged in the closing demo entry, so
        # the rest of the demo's log is the same for the same seed.
        framework_versions.store(ctx, s, fw, log=False)
        mark_kind(ctx, s, "demo")
        first_team, first_worker = next_id(s, Team), next_id(s, Worker)
        first_case, first_audit = next_id(s, Case), next_id(s, Audit)
        staff = gen.staff(teams, first_worker)
        heads, cases = gen.heads(audits, n_drafts, teams, staff, first_audit, first_case)
        gen.team_ids = {i: first_team + k for k, (i, _) in enumerate(teams)}
        first_day: dict[int, date] = {}
        for h in heads:
            first_day.setdefault(h.case.id, h.day)
        team_rows = [
            {"id": gen.team_ids[i], "name": spec.name, "is_demo": True, "created_at": now}
            for i, spec in teams
        ]
        worker_rows = [
            {
                "id": w.id,
                "name": w.name,
                "team_id": gen.team_ids[w.team] if w.team is not None else None,
                "is_manager": w.manager,
                "is_auditor": w.manager,
                "is_demo": True,
                "created_at": now,
            }
            for w in staff
        ]
        case_rows = [gen.case_row(c, first_day[c.id], now) for c in cases]
        insert_rows(s, Team, team_rows)
        insert_rows(s, Worker, worker_rows)
        insert_rows(s, Case, case_rows)
        move_sequences(s, Team, Worker, Case)
        # Each created as the directory and the case import log them.
        append_events(
            s,
            [
                _created(ctx.actor, now, entity, row)
                for entity, rows in (
                    ("team", team_rows),
                    ("worker", worker_rows),
                    ("case", case_rows),
                )
                for row in rows
            ],
        )
        directory_entries = len(team_rows) + len(worker_rows) + len(case_rows)

    counts = Counts(events=directory_entries)
    with ctx.db.read() as s:
        next_answer = next_id(s, Answer)
    for chunk in _chunks(heads, CHUNK):
        audit_rows: list[dict[str, Any]] = []
        answer_rows: list[tuple[Any, ...]] = []
        events: list[dict[str, Any]] = []
        for h in chunk:
            row, answers, entries = gen.audit(h, next_answer)
            next_answer += len(answers)
            audit_rows.append(row)
            answer_rows.extend(answers)
            events.extend(entries)
            if row["status"] == "finalised":
                counts.finalised += 1
                if row["percent_met"] is not None:
                    counts.percent_sum += row["percent_met"]
                    counts.percent_n += 1
        with ctx.db.write() as s:
            insert_rows(s, Audit, audit_rows)
            insert_answers(s, answer_rows)
            append_events(s, events)
            move_sequences(s, Audit, Answer)
        counts.answers += len(answer_rows)
        counts.events += len(events)

    summary = DemoSummary(
        seed=seed,
        teams=len(teams),
        workers=len(staff),
        cases=len(cases),
        audits=len(heads),
        finalised=counts.finalised,
        drafts=len(heads) - counts.finalised,
        answers=counts.answers,
        events=counts.events + 1,
        first_date=heads[0].day if heads else None,
        last_date=heads[-1].day if heads else None,
        mean_percent_met=counts.percent_sum / counts.percent_n if counts.percent_n else None,
    )
    if counts.finalised:
        summary.story = add_story(ctx, fw, seed)
    return summary
