"""Synthetic demo data: believable, clearly marked, reproducible from a seed, and fast enough to
build benchmark databases of 200,000 audits.

Every row is marked `is_demo`; team names end in "(demo)", case references are DEMO-nnnnnn,
staff names are plainly invented and no child is named anywhere (notes use initials, as
auditors are asked to). Everything except the `created_at` of teams, workers and cases and the
closing log entry comes from `random.Random(seed)` and `ctx.today()`, so the same seed on the
same day gives the same audits, answers and log.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.periods import fy_start_year
from audit_tui.domain.scales import AnswerOption
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    percent_met,
    suggested_judgement,
)
from audit_tui.services import framework_versions
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import mark_kind
from audit_tui.services.demo_story import StorySummary, add_story
from audit_tui.services.eventlog import append_events, log_event
from audit_tui.store.models import Answer, Audit, Base, Case, Team, Worker, clock_set, utcnow

FRAMEWORK = "case-file"
# What the generator writes, in rows and log entries: caches of generated databases (bench/)
# are keyed by it.
FORMAT = 2
CHUNK = 2_500  # audits per transaction: short enough to keep the WAL small, few enough commits
YEARS = 3  # financial years of history, the current one included


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
        span = f", {self.first_date} to {self.last_date}" if self.first_date else ""
        mean = (
            f", mean {self.mean_percent_met:.1f}% met" if self.mean_percent_met is not None else ""
        )
        return (
            f"demo data (seed {self.seed}): {self.audits:,} audits ({self.finalised:,} finalised, "
            f"{self.drafts:,} drafts), {self.answers:,} answers, {self.cases:,} cases, "
            f"{self.teams} teams, {self.workers} staff{span}{mean}"
            + (f"; {self.story.line}" if self.story is not None else "")
        )


# --- the shape of the demo authority ---------------------------------------------------------


@dataclass(frozen=True)
class TeamSpec:
    name: str
    share: float  # of all audits
    case_types: tuple[tuple[str, float], ...]
    quality: float  # how good its files are at the start of the period (0-1)
    trend: float  # change in quality over the whole period: + improving, - declining
    staff: int


TEAMS = (
    TeamSpec(
        "Intake & Assessment (demo)",
        0.20,
        (("child_in_need", 0.7), ("child_protection", 0.2), ("disabled_children", 0.1)),
        0.66,
        0.0,
        9,
    ),
    # Improves: a new manager, a practice model, smaller caseloads.
    TeamSpec("Child Protection (demo)", 0.18, (("child_protection", 1.0),), 0.50, 0.30, 8),
    TeamSpec("Looked After Children (demo)", 0.17, (("looked_after", 1.0),), 0.70, 0.02, 8),
    # Declines: vacancies and agency turnover.
    TeamSpec("Disabled Children (demo)", 0.09, (("disabled_children", 1.0),), 0.78, -0.30, 4),
    TeamSpec("Care Leavers 16+ (demo)", 0.08, (("care_leaver", 1.0),), 0.66, 0.0, 4),
    TeamSpec("Early Help & Family Support (demo)", 0.12, (("child_in_need", 1.0),), 0.68, 0.04, 6),
    TeamSpec(
        "Children & Families West (demo)",
        0.16,
        (("child_in_need", 0.5), ("child_protection", 0.4), ("looked_after", 0.1)),
        0.62,
        -0.03,
        7,
    ),
)

# The inspection reports' recurring findings: these are weaker on most files.
WEAK_QUESTIONS = {
    "CF-AS-02": 0.30,  # child seen alone (critical: more "Partly" than "No")
    "CF-AS-04": 0.30,  # risk analysis explicit (critical)
    "CF-PL-02": 0.20,  # plan outcome-focused
    "CF-PL-04": 0.28,  # contingency plan
    "CF-MO-02": 0.24,  # supervision on file
    "CF-MO-01": 0.16,  # manager sign-off
}

LEGAL_STATUS = {
    "child_in_need": ("Care and support plan", "Care and support plan", "Assessment"),
    "child_protection": ("Child protection register", "Child protection register", "Section 47"),
    "looked_after": ("Care order (s31)", "Section 76 accommodation", "Interim care order"),
    "care_leaver": ("Category 2 care leaver", "Category 3 care leaver", "Category 1 care leaver"),
    "disabled_children": ("Care and support plan", "Short breaks", "Section 76 accommodation"),
}
AGE_BANDS = {
    "child_in_need": ("0-4", "5-9", "10-15", "16-17"),
    "child_protection": ("unborn", "0-4", "5-9", "10-15"),
    "looked_after": ("0-4", "5-9", "10-15", "16-17"),
    "care_leaver": ("16-17", "18-20", "21-25"),
    "disabled_children": ("0-4", "5-9", "10-15", "16-17"),
}

FIRST_NAMES = [
    "Alys",
    "Bryn",
    "Carys",
    "Dafydd",
    "Elin",
    "Ffion",
    "Gethin",
    "Heledd",
    "Iwan",
    "Jac",
    "Lowri",
    "Mali",
    "Nia",
    "Osian",
    "Rhian",
    "Sioned",
    "Tomos",
    "Wil",
    "Anwen",
    "Cai",
    "Deri",
    "Enfys",
    "Gwen",
    "Hywel",
    "Ifan",
    "Llio",
    "Meirion",
    "Nest",
    "Owain",
    "Rhodri",
]
# Surnames no real colleague will have: a demo name can never be mistaken for a real one.
SURNAMES = [
    "Demoford",
    "Sampleton",
    "Exampleby",
    "Mockridge",
    "Testwood",
    "Placeholt",
    "Fakenby",
    "Dummett",
    "Trialsworth",
    "Pretendon",
    "Specimen",
    "Modelby",
    "Practiceton",
    "Rehearsal",
]

NOTES = {
    "CF-AS-02": (
        "{c} not seen alone on the last two visits.",
        "No record {c} was seen alone; no reason given.",
        "Seen with parent present throughout - not alone.",
    ),
    "CF-AS-04": (
        "Describes events but no analysis of risk.",
        "Risks to {c} listed, not analysed.",
        "No 'what could happen next' - descriptive only.",
    ),
    "CF-PL-02": (
        "Plan is a list of tasks, not outcomes for {c}.",
        "Outcomes vague ('parents to engage').",
        "No measurable outcomes in the plan.",
    ),
    "CF-PL-04": (
        "No contingency plan on file.",
        "Contingency says 'escalate if needed' only.",
        "Contingency not updated since conference.",
    ),
    "CF-MO-02": (
        "No supervision recorded on file for {n} months.",
        "Supervision held separately, not on {c}'s file.",
        "Last supervision record has no decisions.",
    ),
    "CF-MO-01": (
        "Assessment not signed off by TM.",
        "Signed off without comment.",
        "Plan signed off {n} weeks late.",
    ),
}
GENERIC_NOTES = (
    "Partly evidenced - see case notes.",
    "Not evidenced on file; discussed with SW {w}.",
    "Evidence in emails, not on the file.",
    "Recorded {n} weeks late.",
    "Some evidence; needs to be clearer.",
    "Discussed with {w}; to be added to file.",
)
NA_REASONS = (
    "Not relevant at this stage of the case.",
    "Threshold not met during the audit period.",
    "Case open for less than the review period.",
    "No such parental factors identified.",
    "Case still open; no closure or step-down.",
)
OVERRIDE_REASONS = (
    "Impact for {c} outweighs the recording gaps.",
    "Drift since last review not reflected in the score.",
    "Strong direct work with {c}; recording lagging behind.",
    "Risk not well managed despite good compliance.",
)
STRENGTHS = (
    "{c}'s voice clear throughout.",
    "Good multi-agency working.",
    "Timely visits; relationship with {c} evident.",
    "Chronology up to date.",
    "Thorough assessment of family history.",
    "Clear, well-written records.",
)
DISAGREE = (
    "Visits were recorded on the paper file.",
    "Supervision held; recording delayed by sickness.",
    "Workload context not considered.",
)
LETTERS = "ABCDEFGHJKLMNPRSTW"


# --- generation ------------------------------------------------------------------------------


@dataclass
class _Staff:
    id: int
    name: str
    team: int | None  # index into TEAMS
    manager: bool
    skill: float  # case-holder's effect on quality, or auditor's leniency


@dataclass
class _Case:
    id: int
    reference: str
    case_type: str
    team: int
    worker: _Staff
    noise: float
    last_audit: int | None = None


@dataclass
class _Head:
    """An audit before its answers are drawn."""

    id: int
    day: date
    draft: bool
    case: _Case
    auditor: _Staff
    previous: int | None


@dataclass
class _Counts:
    answers: int = 0
    events: int = 0
    finalised: int = 0
    percent_sum: float = 0.0
    percent_n: int = 0


Choice = tuple[AnswerOption, ScoredAnswer]


@dataclass(frozen=True)
class _QuestionPlan:
    """Everything the inner loop needs about one question, worked out once."""

    id: str
    section_id: str
    weight: float
    critical: bool
    difficulty: float
    na_chance: float
    partly_share: float
    notes: tuple[str, ...]
    met: Choice
    partly: Choice
    not_met: Choice
    na: Choice | None


def _plan(fw: Framework, q: Question, difficulty: float) -> _QuestionPlan:
    by_kind: dict[str, AnswerOption] = {}
    for option in fw.scale(q.scale).options:
        by_kind.setdefault(option.kind, option)
    met = by_kind.get("met") or by_kind["not_met"]
    not_met = by_kind.get("not_met") or met

    def choice(option: AnswerOption) -> Choice:
        return option, ScoredAnswer(
            points=option.points, weight=q.weight, cap=fw.critical_cap_of(q, option.code)
        )

    na = by_kind.get("na") if q.na_allowed else None
    return _QuestionPlan(
        id=q.id,
        section_id=fw.section_of(q.id).id,
        weight=q.weight,
        critical=q.critical,
        difficulty=difficulty,
        # Questions that need a reason for N/A are the conditional ones ("where...").
        na_chance=0.3 if q.na_reason_required else 0.03,
        # A critical "No" is a strong statement: auditors more often say "Partly".
        partly_share=0.8 if q.critical else 0.5,
        notes=NOTES.get(q.id, GENERIC_NOTES),
        met=choice(met),
        partly=choice(by_kind.get("partly") or not_met),
        not_met=choice(not_met),
        na=choice(na) if na is not None else None,
    )


def _sqlite_stamp(at: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime writes (from a naive UTC time: formatting an aware
    # one is ten times slower), so these rows read back like any other.
    return at.isoformat(" ", "microseconds")


def _same(at: datetime) -> datetime:
    return at


class _Generator:
    def __init__(self, ctx: AppContext, fw: Framework, seed: int) -> None:
        self.ctx = ctx
        self.fw = fw
        self.rng = random.Random(seed)
        self.today = ctx.today()
        self.start = date(fy_start_year(self.today) - (YEARS - 1), 4, 1)
        self.span = max((self.today - self.start).days, 1)
        self.grades = fw.judgements.codes
        rng = self.rng
        # A little per-question variety on top of the known weak spots.
        difficulty = {
            q.id: WEAK_QUESTIONS.get(q.id, min(rng.gauss(-0.04, 0.04), 0.04)) for q in fw.questions
        }
        plans = {q.id: _plan(fw, q, difficulty[q.id]) for q in fw.questions}
        self.plans = {
            ct: [plans[q.id] for q in fw.applicable_questions(ct)] for ct in fw.case_types
        }
        self.offsets = [timedelta(seconds=80 * i + 20) for i in range(len(fw.questions) + 1)]
        self.naive = ctx.db.is_sqlite
        self.stamp = _sqlite_stamp if self.naive else _same
        self.team_ids: dict[int, int] = {}  # TEAMS index -> teams.id, once they are written

    def initials(self) -> str:
        return self.rng.choice(LETTERS) + self.rng.choice(LETTERS)

    def fill(self, template: str) -> str:
        return template.format(c=self.initials(), w=self.initials(), n=self.rng.randint(2, 7))

    # --- people and cases ----------------------------------------------------------------

    def teams(self) -> list[tuple[int, TeamSpec]]:
        specs = []
        for i, spec in enumerate(TEAMS):
            types = tuple((ct, w) for ct, w in spec.case_types if ct in self.fw.case_types)
            if types:
                specs.append((i, replace(spec, case_types=types)))
        if not specs:
            raise UserError(f"framework {self.fw.id} covers none of the demo teams' case types")
        return specs

    def staff(self, teams: list[tuple[int, TeamSpec]], first_id: int) -> list[_Staff]:
        names = [f"{f} {s}" for s in SURNAMES for f in FIRST_NAMES]
        self.rng.shuffle(names)
        out: list[_Staff] = []
        for i, spec in teams:
            managers = 1 if spec.staff < 7 else 2
            for k in range(spec.staff + managers):
                skill = self.rng.gauss(0, 0.06)
                out.append(_Staff(first_id + len(out), names.pop(), i, k < managers, skill))
        for _ in range(3):  # the quality assurance officers, in no team
            out.append(
                _Staff(first_id + len(out), names.pop(), None, True, self.rng.gauss(0, 0.03))
            )
        return out

    def heads(
        self,
        n: int,
        drafts: int,
        teams: list[tuple[int, TeamSpec]],
        staff: list[_Staff],
        first_audit: int,
        first_case: int,
    ) -> tuple[list[_Head], list[_Case]]:
        rng = self.rng
        last = self.today - timedelta(days=3)
        days = [
            self._weekday(self.start + timedelta(rng.randrange((last - self.start).days + 1)), last)
            for _ in range(n - drafts)
        ]
        days += [
            self._weekday(self.today - timedelta(rng.randrange(21)), self.today)
            for _ in range(drafts)
        ]
        order = sorted(range(n), key=lambda k: days[k])
        is_draft = [k >= n - drafts for k in range(n)]

        weights = [spec.share for _, spec in teams]
        holders = {i: [s for s in staff if s.team == i and not s.manager] for i, _ in teams}
        managers = {i: [s for s in staff if s.team == i and s.manager] for i, _ in teams}
        qa = [s for s in staff if s.team is None]
        by_team: dict[int, list[_Case]] = {i: [] for i, _ in teams}
        cases: list[_Case] = []
        out: list[_Head] = []
        for k in order:
            team_i, spec = rng.choices(teams, weights)[0]
            pool = by_team[team_i]
            if pool and rng.random() < 0.12:
                case = rng.choice(pool)  # a re-audit of a case seen before
            else:
                types, tw = zip(*spec.case_types, strict=True)
                ct = rng.choices(types, tw)[0]
                case = _Case(
                    first_case + len(cases),
                    f"DEMO-{first_case + len(cases):06d}",
                    ct,
                    team_i,
                    rng.choice(holders[team_i]),
                    rng.gauss(0, 0.07),
                )
                cases.append(case)
                pool.append(case)
            auditor = rng.choice(managers[team_i]) if rng.random() < 0.65 else rng.choice(qa)
            head = _Head(first_audit + len(out), days[k], is_draft[k], case, auditor, None)
            if case.last_audit is not None and not is_draft[k]:
                head.previous = case.last_audit
            case.last_audit = head.id
            out.append(head)
        return out, cases

    def _weekday(self, d: date, last: date) -> date:
        """Audits happen on weekdays: a weekend moves to Monday, or to Friday at the end."""
        if d.weekday() > 4:
            monday = d + timedelta(days=7 - d.weekday())
            d = monday if monday <= last else d - timedelta(days=d.weekday() - 4)
        return d

    def case_row(self, c: _Case, first_day: date, now: datetime) -> dict[str, Any]:
        rng = self.rng
        return {
            "id": c.id,
            "reference": c.reference,
            "case_type": c.case_type,
            "team_id": self.team_ids[c.team],
            "worker_id": c.worker.id,
            "legal_status": rng.choice(LEGAL_STATUS.get(c.case_type, ("Care and support plan",))),
            "age_band": rng.choice(AGE_BANDS.get(c.case_type, ("5-9",))),
            "open_date": first_day - timedelta(days=rng.randint(30, 900)),
            "is_demo": True,
            "created_at": now,
            "updated_at": now,
        }

    # --- audits and answers --------------------------------------------------------------

    def quality(self, h: _Head) -> float:
        spec = TEAMS[h.case.team]
        t = (h.day - self.start).days / self.span
        return (
            spec.quality
            + spec.trend * t
            + h.case.worker.skill
            + h.auditor.skill
            + h.case.noise
            + self.rng.gauss(0, 0.05)
        )

    def audit(
        self, h: _Head, first_answer: int
    ) -> tuple[dict[str, Any], list[tuple[Any, ...]], list[dict[str, Any]]]:
        """One audit's row, its answer rows (ANSWER_COLUMNS order, ids from `first_answer`)
        and its log entries: what the services would log, so `db verify` replays it. A
        draft's answers are logged one by one, as the walkthrough logs them; a finalised
        audit's come with its finalise entry (and carry its time), which keeps the log of
        200,000 audits to a few entries each."""
        rng = self.rng
        rand = rng.random
        fw = self.fw
        plans = self.plans[h.case.case_type]
        if h.draft:
            plans = plans[: rng.randint(len(plans) // 5, len(plans) * 9 // 10)]
        base = self.quality(h)
        started = datetime.combine(h.day, time(8, 30), UTC) + timedelta(minutes=rng.randrange(420))
        stamp = self.stamp
        first = started.replace(tzinfo=None) if self.naive else started
        answers: list[tuple[Any, ...]] = []
        answer_times: list[datetime] = []
        scored: list[ScoredAnswer] = []
        noes: list[str] = []
        for i, qp in enumerate(plans):
            note = na_reason = None
            if qp.na is not None and rand() < qp.na_chance:
                option, sa = qp.na
                na_reason = rng.choice(NA_REASONS)
            else:
                met = min(max(base - qp.difficulty, 0.03), 0.97)
                u = rand()
                if u < met:
                    option, sa = qp.met
                elif u < met + (1 - met) * qp.partly_share:
                    option, sa = qp.partly
                    if rand() < 0.2:
                        note = self.fill(rng.choice(qp.notes))
                else:
                    option, sa = qp.not_met
                    noes.append(qp.section_id)
                    if rand() < 0.4:
                        note = self.fill(rng.choice(qp.notes))
            answer_times.append(first + self.offsets[i])
            at = stamp(answer_times[-1])
            answers.append(
                (
                    first_answer + i,
                    h.id,
                    qp.id,
                    qp.section_id,
                    "original",
                    True,
                    option.code,
                    option.points,
                    qp.weight,
                    qp.critical,
                    note,
                    na_reason,
                    at,
                    at,
                )
            )
            scored.append(sa)
        last_change = started + self.offsets[max(len(plans) - 1, 0)]
        row: dict[str, Any] = {
            "id": h.id,
            "framework_id": fw.id,
            "framework_version": fw.version,
            "framework_hash": fw.content_hash,
            "case_id": h.case.id,
            "case_type": h.case.case_type,
            "team_id": self.team_ids[h.case.team],
            "worker_id": h.case.worker.id,
            "auditor_id": h.auditor.id,
            "audit_date": h.day,
            "status": "draft",
            "percent_met": None,
            "critical_failures": 0,
            "suggested_judgement": None,
            "judgement": None,
            "judgement_reason": None,
            "strengths": None,
            "areas_for_development": None,
            "previous_audit_id": h.previous,
            "practitioner_response": None,
            "practitioner_comment": None,
            "is_demo": True,
            "created_at": started,
            "updated_at": last_change,
            "finalised_at": None,
            "version": 1,
        }
        start = self.entry(h, started, "start", "audit", h.id, new=self.start_values(h, row))
        if h.draft:
            if not answers:
                row["updated_at"] = started
            return row, answers, [start, *self.answer_entries(h, answers, answer_times)]
        self.finalise(row, scored, noes)
        finalised_at = last_change + timedelta(minutes=rng.randint(5, 40))
        row["finalised_at"] = row["updated_at"] = finalised_at
        stamped = stamp(finalised_at.replace(tzinfo=None) if self.naive else finalised_at)
        answers = [(*a[:12], stamped, stamped) for a in answers]
        # Exactly what services.audits.finalise logs (`db verify` replays it), with the
        # answers' notes and N/A reasons, and the summary the auditor wrote.
        new: dict[str, Any] = {
            "judgement": row["judgement"],
            "suggested": row["suggested_judgement"],
            "percent_met": row["percent_met"],
            "answers": {a[2]: a[6] for a in answers},
        }
        notes = {a[2]: a[10] for a in answers if a[10] is not None}
        reasons = {a[2]: a[11] for a in answers if a[11] is not None}
        for key, value in (
            ("notes", notes),
            ("na_reasons", reasons),
            ("strengths", row["strengths"]),
            ("areas_for_development", row["areas_for_development"]),
        ):
            if value:
                new[key] = value
        entries = [
            start,
            self.entry(
                h, finalised_at, "finalise", "audit", h.id, old="draft", new=new,
                reason=row["judgement_reason"],
            ),
        ]  # fmt: skip
        if row["practitioner_response"] is not None:
            response = {
                "response": row["practitioner_response"],
                "comment": row["practitioner_comment"],
            }
            entries.append(
                self.entry(
                    h, finalised_at, "practitioner_response", "audit", h.id,
                    field="practitioner_response", new=response,
                )
            )  # fmt: skip
        return row, answers, entries

    def entry(
        self,
        h: _Head,
        at: datetime,
        action: str,
        entity: str,
        entity_id: int | None,
        *,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """A log entry of this audit, as its auditor would have made it."""
        return {
            "at": at,
            "actor": h.auditor.name,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "audit_id": h.id,
            "field": field,
            "old_value": old,
            "new_value": new,
            "reason": reason,
        }

    def start_values(self, h: _Head, row: dict[str, Any]) -> dict[str, Any]:
        """What services.audits.start_audit logs for this audit."""
        return {
            "framework": f"{self.fw.id} {self.fw.version}",
            "case": h.case.reference,
            "team": TEAMS[h.case.team].name,
            "case_holder": h.case.worker.name,
            "auditor": h.auditor.name,
            **{
                k: row[k]
                for k in (
                    "framework_id",
                    "framework_version",
                    "framework_hash",
                    "case_id",
                    "case_type",
                    "team_id",
                    "worker_id",
                    "auditor_id",
                    "audit_date",
                    "previous_audit_id",
                )
            },
            "is_demo": True,
        }

    def answer_entries(
        self, h: _Head, answers: list[tuple[Any, ...]], times: list[datetime]
    ) -> list[dict[str, Any]]:
        """A draft's answers as the walkthrough logs them: the answer, then its note and
        N/A reason."""
        out = []
        for a, at in zip(answers, times, strict=True):
            answer_id, qid = a[0], a[2]
            out.append(self.entry(h, at, "answer", "answer", answer_id, field=qid, new=a[6]))
            for action, value in (("note", a[10]), ("na_reason", a[11])):
                if value is not None:
                    out.append(self.entry(h, at, action, "answer", answer_id, field=qid, new=value))
        return out

    def finalise(self, row: dict[str, Any], scored: list[ScoredAnswer], noes: list[str]) -> None:
        rng = self.rng
        pct = percent_met(scored)
        suggested = suggested_judgement(self.fw, pct, critical_caps(scored))
        judgement = suggested or self.grades[1]
        reason = None
        if suggested is not None and rng.random() < 0.06:
            rank = self.grades.index(suggested) + rng.choice((-1, 1))
            if 0 <= rank < len(self.grades):
                judgement = self.grades[rank]
                reason = self.fill(rng.choice(OVERRIDE_REASONS))
        row.update(
            status="finalised",
            percent_met=pct,
            critical_failures=len(critical_caps(scored)),
            suggested_judgement=suggested,
            judgement=judgement,
            judgement_reason=reason,
        )
        if pct is not None and pct >= 60 and rng.random() < 0.7:
            row["strengths"] = self.fill(rng.choice(STRENGTHS))
        if noes and rng.random() < 0.8:
            titles = {s.id: s.title for s in self.fw.sections}
            worst = sorted(set(noes), key=lambda sid: (-noes.count(sid), sid))[:2]
            row["areas_for_development"] = "; ".join(titles[s] for s in worst) + "."
        u = rng.random()
        if u < 0.55:
            row["practitioner_response"] = "agree"
        elif u < 0.62:
            row["practitioner_response"] = "disagree"
            row["practitioner_comment"] = rng.choice(DISAGREE)


def _chunks(items: list[_Head], size: int) -> Iterator[list[_Head]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _next_id(session: Session, model: type[Base]) -> int:
    return (session.execute(select(func.max(model.id))).scalar() or 0) + 1  # type: ignore[attr-defined]


def _bulk(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """One executemany for rows that all carry every column: the ORM's bulk path would split
    them by which values are None and issue thousands of small statements."""
    if rows:
        session.execute(insert(model.__table__), rows)


ANSWER_COLUMNS = (
    "id",
    "audit_id",
    "question_id",
    "section_id",
    "kind",
    "counted",
    "answer",
    "points",
    "weight",
    "critical",
    "note",
    "na_reason",
    "answered_at",
    "updated_at",
)


def _insert_answers(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Answers are nearly all the rows (40 an audit), so they skip SQLAlchemy's per-row
    parameter processing: COPY on PostgreSQL, one plain executemany on SQLite."""
    if not rows:
        return
    conn = session.connection()
    columns = ", ".join(ANSWER_COLUMNS)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f"COPY answers ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(ANSWER_COLUMNS))
        conn.exec_driver_sql(f"INSERT INTO answers ({columns}) VALUES ({marks})", rows)
    else:
        _bulk(session, Answer, [dict(zip(ANSWER_COLUMNS, r, strict=True)) for r in rows])


def _move_sequences(session: Session, *models: type[Base]) -> None:
    """Ids were given explicitly: on PostgreSQL move each sequence past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


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
    real = []
    for model, word in ((Audit, "audit"), (Team, "team"), (Case, "case")):
        n = session.execute(
            select(func.count()).select_from(model).where(model.is_demo.is_(False))
        ).scalar_one()
        if n:
            real.append(f"{n:,} real {word}{'s' if n != 1 else ''}")
    if real:
        raise UserError(
            f"{where}: holds {', '.join(real)}; demo data only goes into a database of its own "
            "(`audit-tui demo` without --db fills the demo database)"
        )
    if session.execute(select(Team.id).where(Team.is_demo.is_(True)).limit(1)).first():
        raise UserError(
            f"{where}: already holds demo data; give a new file with --db for another demo"
        )


def generate_demo(
    ctx: AppContext, audits: int = 2000, seed: int = 1, drafts: int | None = None
) -> DemoSummary:
    """Fill a fresh database with demo teams, staff, cases and audits against `case-file`."""
    if audits < 0:
        raise UserError(f"--audits {audits}: must be 0 or more")
    n_drafts = min(audits, max(1, audits // 100)) if drafts is None else drafts
    if not 0 <= n_drafts <= audits:
        raise UserError(f"--drafts {n_drafts}: must be between 0 and the number of audits")
    fw = ctx.frameworks.get(FRAMEWORK)
    gen = _Generator(ctx, fw, seed)
    # Everything below but the closing log entry runs on the generator's clock (yesterday
    # afternoon, a second a step), so the same seed on the same day gives the same rows.
    with clock_set(_StepClock(ctx.today())), _quick_commits(ctx):
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


@contextmanager
def _quick_commits(ctx: AppContext) -> Iterator[None]:
    """While demo data is written, SQLite commits without waiting for the disk (WAL with
    synchronous=NORMAL: never corrupt, but a power cut may lose the last few commits - of
    made-up data, which is simply made again). Real work keeps synchronous=FULL."""
    engine = ctx.db.write_engine
    if not ctx.db.is_sqlite:
        yield
        return

    def relax(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous = NORMAL")

    event.listen(engine, "connect", relax)
    engine.dispose()  # pooled connections were opened with FULL
    try:
        yield
    finally:
        event.remove(engine, "connect", relax)
        engine.dispose()


class _StepClock:
    def __init__(self, today: date) -> None:
        self.at = datetime.combine(today - timedelta(days=1), time(16, 0), UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


def _generate(
    ctx: AppContext, gen: _Generator, fw: Framework, audits: int, n_drafts: int, seed: int
) -> DemoSummary:
    now = utcnow()
    teams = gen.teams()

    with ctx.db.write() as s:
        _refuse_unless_fresh(ctx, s)
        # The version every demo audit is read against; logged in the closing demo entry, so
        # the rest of the demo's log is the same for the same seed.
        framework_versions.store(ctx, s, fw, log=False)
        mark_kind(ctx, s, "demo")
        first_team, first_worker = _next_id(s, Team), _next_id(s, Worker)
        first_case, first_audit = _next_id(s, Case), _next_id(s, Audit)
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
        _bulk(s, Team, team_rows)
        _bulk(s, Worker, worker_rows)
        _bulk(s, Case, case_rows)
        _move_sequences(s, Team, Worker, Case)
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

    counts = _Counts(events=directory_entries)
    with ctx.db.read() as s:
        next_answer = _next_id(s, Answer)
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
            _bulk(s, Audit, audit_rows)
            _insert_answers(s, answer_rows)
            append_events(s, events)
            _move_sequences(s, Audit, Answer)
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
