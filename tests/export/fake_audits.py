"""Randomised audits written straight into the database with Core inserts (fast on both
SQLite and PostgreSQL), kept in Python too so tests can compute the expected figures plainly.

What the data exercises: drafts (never counted), N/A answers, a section always N/A ("no
data"), questions weighted 2, moderated audits (original answer not counted, an agreed one
counted, a moderated judgement), notes on No/Partly answers (some formula-like), and a team
with no audits in the period.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.stats import ClusterSums, clustered_interval, wilson_interval
from audit_tui.services.context import AppContext
from audit_tui.store.models import Answer, Audit, Case, Team, Worker
from tests.conftest import make_context

ANSWERS = {"yes": 1.0, "partly": 0.5, "no": 0.0, "na": None}
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","x")'


@dataclass
class FakeAnswer:
    question_id: str
    section_id: str
    answer: str
    points: float | None
    weight: float
    counted: bool
    kind: str
    note: str | None


@dataclass
class FakeAudit:
    id: int
    team: str
    case_reference: str
    case_type: str
    worker: str
    auditor: str
    audit_date: date
    status: str
    judgement: str | None
    moderated_judgement: str | None
    answers: list[FakeAnswer] = field(default_factory=list)

    @property
    def counted_judgement(self) -> str | None:
        return self.moderated_judgement or self.judgement


@dataclass
class FakeData:
    audits: list[FakeAudit]
    teams: list[str]
    empty_section: str

    def finalised(self, start: date, end: date, team: str | None = None) -> list[FakeAudit]:
        return [
            a
            for a in self.audits
            if a.status == "finalised"
            and start <= a.audit_date <= end
            and (team is None or a.team == team)
        ]


def weight_of(question_id: str) -> float:
    return 2.0 if sum(map(ord, question_id)) % 5 == 0 else 1.0


def seed_audits(
    ctx: AppContext,
    *,
    seed: int = 1,
    audits: int = 60,
    start: date,
    end: date,
    teams: tuple[str, ...] = ("North", "South", "East"),
    empty_team: str | None = "West (no audits)",
    framework_id: str = "case-file",
    note_rate: float = 0.5,
    prefix: str = "",
) -> FakeData:
    """`audits` audits dated between start and end over `teams`; `empty_team` exists but has
    audits only before `start`."""
    rnd = random.Random(seed)
    fw = ctx.frameworks.get(framework_id)
    codes = fw.judgements.codes
    empty_section = fw.sections[-1].id
    all_teams = [*teams, *([empty_team] if empty_team else [])]
    out: list[FakeAudit] = []
    with ctx.db.write() as s:
        team_ids: dict[str, int] = {}
        for name in all_teams:
            tid = s.execute(select(Team.id).where(Team.name == name)).scalar()
            if tid is None:
                tid = s.execute(insert(Team).values(name=name).returning(Team.id)).scalar_one()
            team_ids[name] = tid
        auditor_names = [f"{prefix}Auditor {i}" for i in range(3)]
        worker_names = {t: [f"{prefix}{t} worker {i}" for i in range(2)] for t in all_teams}
        worker_ids: dict[str, int] = {}
        for name in auditor_names:
            worker_ids[name] = s.execute(
                insert(Worker).values(name=name, is_manager=True).returning(Worker.id)
            ).scalar_one()
        for t, names in worker_names.items():
            for name in names:
                worker_ids[name] = s.execute(
                    insert(Worker).values(name=name, team_id=team_ids[t]).returning(Worker.id)
                ).scalar_one()

        plan: list[tuple[str, date]] = []
        span = (end - start).days
        for _ in range(audits):
            plan.append((rnd.choice(teams), start + timedelta(days=rnd.randint(0, span))))
        if empty_team:
            for _ in range(2):
                plan.append((empty_team, start - timedelta(days=rnd.randint(1, 300))))

        for i, (team, when) in enumerate(plan):
            case_type = rnd.choice(fw.case_types)
            status = "draft" if rnd.random() < 0.15 else "finalised"
            judgement = rnd.choice(codes) if status == "finalised" else None
            moderated = rnd.random() < 0.15 and status == "finalised"
            fa = FakeAudit(
                id=0,
                team=team,
                case_reference=f"{prefix}REF-{seed}-{i:05d}",
                case_type=case_type,
                worker=rnd.choice(worker_names[team]),
                auditor=rnd.choice(auditor_names),
                audit_date=when,
                status=status,
                judgement=judgement,
                moderated_judgement=rnd.choice(codes) if moderated else None,
            )
            case_id = s.execute(
                insert(Case)
                .values(
                    reference=fa.case_reference,
                    case_type=case_type,
                    team_id=team_ids[team],
                    worker_id=worker_ids[fa.worker],
                )
                .returning(Case.id)
            ).scalar_one()
            fa.id = s.execute(
                insert(Audit)
                .values(
                    framework_id=fw.id,
                    framework_version=fw.version,
                    framework_hash=fw.content_hash,
                    case_id=case_id,
                    case_type=case_type,
                    team_id=team_ids[team],
                    worker_id=worker_ids[fa.worker],
                    auditor_id=worker_ids[fa.auditor],
                    audit_date=when,
                    status=status,
                    judgement=judgement,
                    moderated_judgement=fa.moderated_judgement,
                )
                .returning(Audit.id)
            ).scalar_one()
            questions = fw.applicable_questions(case_type)
            if status == "draft":
                questions = questions[: rnd.randint(0, len(questions))]
            for q in questions:
                sec = fw.section_of(q.id).id
                code = "na" if sec == empty_section else rnd.choice(list(ANSWERS))
                points = ANSWERS[code]
                note = None
                if points is not None and points < 1 and rnd.random() < note_rate:
                    note = rnd.choice(
                        [f"{prefix}note {i} {q.id}", FORMULA_NOTE, "- no plan on file", "+ seen"]
                    )
                row = FakeAnswer(q.id, sec, code, points, weight_of(q.id), True, "original", note)
                fa.answers.append(row)
                if moderated and rnd.random() < 0.3:
                    # Moderation: the original stays but no longer counts; the agreed one does.
                    row.counted = False
                    agreed = "na" if sec == empty_section else rnd.choice(list(ANSWERS))
                    fa.answers.append(
                        FakeAnswer(
                            q.id, sec, agreed, ANSWERS[agreed], row.weight, True, "agreed", None
                        )
                    )
            if fa.answers:
                s.execute(
                    insert(Answer),
                    [
                        {
                            "audit_id": fa.id,
                            "question_id": a.question_id,
                            "section_id": a.section_id,
                            "kind": a.kind,
                            "counted": a.counted,
                            "answer": a.answer,
                            "points": a.points,
                            "weight": a.weight,
                            "note": a.note,
                        }
                        for a in fa.answers
                    ],
                )
            out.append(fa)
    return FakeData(audits=out, teams=all_teams, empty_section=empty_section)


def scored(a: FakeAudit, section: str | None, question: str | None) -> list[FakeAnswer]:
    """The audit's counted, scored (not N/A) answers, in a section or to a question."""
    return [
        ans
        for ans in a.answers
        if ans.counted
        and ans.points is not None
        and (section is None or ans.section_id == section)
        and (question is None or ans.question_id == question)
    ]


def expected_percent(
    audits: list[FakeAudit], section: str | None = None, question: str | None = None
) -> tuple[float | None, int]:
    """Percent met and scored n, computed plainly from the counted answers."""
    num = den = 0.0
    n = 0
    for a in audits:
        for ans in scored(a, section, question):
            num += ans.weight * ans.points  # type: ignore[operator]
            den += ans.weight
            n += 1
    return (100.0 * num / den if den else None), n


def expected_interval(
    audits: list[FakeAudit], section: str | None = None, question: str | None = None
) -> tuple[float, float] | None:
    """The 95% interval of percent met (0-100), from each audit's own sums computed plainly:
    the clustering the profile's SQL gathers by grouping answers per audit."""
    total = ClusterSums()
    for a in audits:
        x = y = 0.0
        n = 0
        for ans in scored(a, section, question):
            x += ans.weight
            y += ans.weight * ans.points  # type: ignore[operator]
            n += 1
        if n:
            total = total + ClusterSums(1 if x > 0 else 0, n, x, y, x * x, x * y, y * y)
    if question is not None:  # one answer per audit: independent answers, Wilson's interval
        interval = wilson_interval(total.y, total.x)
    else:
        interval = clustered_interval(total)
    return None if interval is None else (100 * interval[0], 100 * interval[1])


def open_seeded(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    registry: FrameworkRegistry,
    **seed_args: Any,
) -> tuple[AppContext, FakeData]:
    """A database seeded once for a module's read-only tests: SQLite, or PostgreSQL when the
    fixture is parametrised with "postgres" (as the shared `db_url` fixture is)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'audits.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    ctx = make_context(url, registry)
    return ctx, seed_audits(ctx, **seed_args)
