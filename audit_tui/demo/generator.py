"""The demo's rows, drawn from one `random.Random(seed)`: teams, staff, cases, and audits
with their answers and log entries. A finalised audit's figures and finalise entry come from
the same domain rules the audit service finalises real audits with
(domain.review.figures, domain.audit_record), so `db verify` replays both alike."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from audit_tui.demo.content import (
    AGE_BANDS,
    DEFAULT_STATUS,
    DISAGREE,
    FIRST_NAMES,
    LEGAL_STATUS,
    LETTERS,
    NA_REASONS,
    OVERRIDE_REASONS,
    STRENGTHS,
    SURNAMES,
    TEAMS,
    WEAK_QUESTIONS,
    YEARS,
    TeamSpec,
)
from audit_tui.demo.shapes import DemoCase, Head, QuestionPlan, Staff, plan_question
from audit_tui.domain.audit_record import finalise_values, finalised_columns, start_values
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import fy_start_year
from audit_tui.domain.review import Figures, figures
from audit_tui.domain.scoring import ScoredAnswer
from audit_tui.i18n import _

Row = dict[str, Any]
AnswerRow = tuple[Any, ...]  # bulk.ANSWER_COLUMNS order


def _sqlite_stamp(at: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime writes (from a naive UTC time: formatting an aware
    # one is ten times slower), so these rows read back like any other.
    return at.isoformat(" ", "microseconds")


def _same(at: datetime) -> datetime:
    return at


def _weekday(d: date, last: date) -> date:
    """Audits happen on weekdays: a weekend moves to Monday, or to Friday at the end."""
    if d.weekday() > 4:
        monday = d + timedelta(days=7 - d.weekday())
        d = monday if monday <= last else d - timedelta(days=d.weekday() - 4)
    return d


@dataclass
class _Drawn:
    """One audit's answers as drawn: rows, when each was given, how each scores, and the
    sections of its "No"s."""

    rows: list[AnswerRow]
    times: list[datetime]
    scored: list[ScoredAnswer]
    noes: list[str]


@dataclass
class _Pools:
    """Who works in each team, and the cases each team has had audited so far."""

    holders: dict[int, list[Staff]]
    managers: dict[int, list[Staff]]
    qa: list[Staff]
    by_team: dict[int, list[DemoCase]]


class Generator:
    def __init__(self, is_sqlite: bool, today: date, fw: Framework, seed: int) -> None:
        self.fw = fw
        self.rng = random.Random(seed)
        self.today = today
        self.start = date(fy_start_year(self.today) - (YEARS - 1), 4, 1)
        self.span = max((self.today - self.start).days, 1)
        self.grades = fw.judgements.codes
        rng = self.rng
        # A little per-question variety on top of the known weak spots.
        difficulty = {
            q.id: WEAK_QUESTIONS.get(q.id, min(rng.gauss(-0.04, 0.04), 0.04)) for q in fw.questions
        }
        plans = {q.id: plan_question(fw, q, difficulty[q.id]) for q in fw.questions}
        self.plans = {
            ct: [plans[q.id] for q in fw.applicable_questions(ct)] for ct in fw.case_type_codes
        }
        self.offsets = [timedelta(seconds=80 * i + 20) for i in range(len(fw.questions) + 1)]
        self.naive = is_sqlite
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
            types = tuple((ct, w) for ct, w in spec.case_types if ct in self.fw.case_type_codes)
            if types:
                specs.append((i, replace(spec, case_types=types)))
        if not specs:
            raise UserError(
                _("framework {id} covers none of the demo teams' case types").format(id=self.fw.id)
            )
        return specs

    def staff(self, teams: list[tuple[int, TeamSpec]], first_id: int) -> list[Staff]:
        names = [f"{f} {s}" for s in SURNAMES for f in FIRST_NAMES]
        self.rng.shuffle(names)
        out: list[Staff] = []
        for i, spec in teams:
            managers = 1 if spec.staff < 7 else 2
            for k in range(spec.staff + managers):
                skill = self.rng.gauss(0, 0.06)
                out.append(Staff(first_id + len(out), names.pop(), i, k < managers, skill))
        for _qa in range(3):  # the quality assurance officers, in no team
            out.append(Staff(first_id + len(out), names.pop(), None, True, self.rng.gauss(0, 0.03)))
        return out

    def _days(self, n: int, drafts: int) -> list[date]:
        """Each audit's day: finalised ones over the whole period, drafts in the last weeks."""
        rng = self.rng
        last = self.today - timedelta(days=3)
        days = [
            _weekday(self.start + timedelta(rng.randrange((last - self.start).days + 1)), last)
            for _ in range(n - drafts)
        ]
        days += [
            _weekday(self.today - timedelta(rng.randrange(21)), self.today) for _ in range(drafts)
        ]
        return days

    def _case(
        self, team_i: int, spec: TeamSpec, pools: _Pools, cases: list[DemoCase], first_case: int
    ) -> DemoCase:
        """The case audited next in a team: now and then one seen before (a re-audit),
        otherwise a new one."""
        rng = self.rng
        pool = pools.by_team[team_i]
        if pool and rng.random() < 0.12:
            return rng.choice(pool)
        types, tw = zip(*spec.case_types, strict=True)
        ct = rng.choices(types, tw)[0]
        case = DemoCase(
            first_case + len(cases),
            f"DEMO-{first_case + len(cases):06d}",
            ct,
            team_i,
            rng.choice(pools.holders[team_i]),
            rng.gauss(0, 0.07),
        )
        cases.append(case)
        pool.append(case)
        return case

    def heads(
        self,
        n: int,
        drafts: int,
        teams: list[tuple[int, TeamSpec]],
        staff: list[Staff],
        first_audit: int,
        first_case: int,
    ) -> tuple[list[Head], list[DemoCase]]:
        rng = self.rng
        days = self._days(n, drafts)
        order = sorted(range(n), key=lambda k: days[k])
        is_draft = [k >= n - drafts for k in range(n)]
        weights = [spec.share for _, spec in teams]
        pools = _Pools(
            holders={i: [s for s in staff if s.team == i and not s.manager] for i, _ in teams},
            managers={i: [s for s in staff if s.team == i and s.manager] for i, _ in teams},
            qa=[s for s in staff if s.team is None],
            by_team={i: [] for i, _ in teams},
        )
        cases: list[DemoCase] = []
        out: list[Head] = []
        for k in order:
            team_i, spec = rng.choices(teams, weights)[0]
            case = self._case(team_i, spec, pools, cases, first_case)
            auditor = (
                rng.choice(pools.managers[team_i]) if rng.random() < 0.65 else rng.choice(pools.qa)
            )
            head = Head(first_audit + len(out), days[k], is_draft[k], case, auditor, None)
            if case.last_audit is not None and not is_draft[k]:
                head.previous = case.last_audit
            case.last_audit = head.id
            out.append(head)
        return out, cases

    def case_row(self, c: DemoCase, first_day: date, now: datetime) -> Row:
        rng = self.rng
        return {
            "id": c.id,
            "reference": c.reference,
            "case_type": c.case_type,
            "team_id": self.team_ids[c.team],
            "worker_id": c.worker.id,
            "legal_status": rng.choice(LEGAL_STATUS.get(c.case_type, (DEFAULT_STATUS,))),
            "age_band": rng.choice(AGE_BANDS.get(c.case_type, ("5-9",))),
            "open_date": first_day - timedelta(days=rng.randint(30, 900)),
            "is_demo": True,
            "created_at": now,
            "updated_at": now,
        }

    # --- audits and answers --------------------------------------------------------------

    def quality(self, h: Head) -> float:
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

    def _answer(
        self, qp: QuestionPlan, base: float
    ) -> tuple[Any, ScoredAnswer, str | None, str | None, bool]:
        """One answer drawn: the option, how it scores, its note, its N/A reason, and whether
        it is a "No"."""
        rng = self.rng
        rand = rng.random
        note = na_reason = None
        if qp.na is not None and rand() < qp.na_chance:
            option, sa = qp.na
            return option, sa, None, rng.choice(NA_REASONS), False
        met = min(max(base - qp.difficulty, 0.03), 0.97)
        u = rand()
        if u < met:
            option, sa = qp.met
            return option, sa, None, None, False
        if u < met + (1 - met) * qp.partly_share:
            option, sa = qp.partly
            if rand() < 0.2:
                note = self.fill(rng.choice(qp.notes))
            return option, sa, note, na_reason, False
        option, sa = qp.not_met
        if rand() < 0.4:
            note = self.fill(rng.choice(qp.notes))
        return option, sa, note, na_reason, True

    def _draw(
        self, h: Head, plans: list[QuestionPlan], base: float, first: datetime, first_answer: int
    ) -> _Drawn:
        drawn = _Drawn([], [], [], [])
        for i, qp in enumerate(plans):
            option, sa, note, na_reason, no = self._answer(qp, base)
            if no:
                drawn.noes.append(qp.section_id)
            drawn.times.append(first + self.offsets[i])
            at = self.stamp(drawn.times[-1])
            drawn.rows.append(
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
            drawn.scored.append(sa)
        return drawn

    def _row(self, h: Head, started: datetime, last_change: datetime) -> Row:
        fw = self.fw
        return {
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

    def audit(self, h: Head, first_answer: int) -> tuple[Row, list[AnswerRow], list[Row]]:
        """One audit's row, its answer rows (ANSWER_COLUMNS order, ids from `first_answer`)
        and its log entries: what the services would log, so `db verify` replays it. A
        draft's answers are logged one by one, as the walkthrough logs them; a finalised
        audit's come with its finalise entry (and carry its time), which keeps the log of
        200,000 audits to a few entries each."""
        rng = self.rng
        plans = self.plans[h.case.case_type]
        if h.draft:
            plans = plans[: rng.randint(len(plans) // 5, len(plans) * 9 // 10)]
        base = self.quality(h)
        started = datetime.combine(h.day, time(8, 30), UTC) + timedelta(minutes=rng.randrange(420))
        first = started.replace(tzinfo=None) if self.naive else started
        drawn = self._draw(h, plans, base, first, first_answer)
        row = self._row(h, started, started + self.offsets[max(len(plans) - 1, 0)])
        start = self.entry(h, started, "start", "audit", h.id, new=self.start_values(h, row))
        if h.draft:
            if not drawn.rows:
                row["updated_at"] = started
            return row, drawn.rows, [start, *self.answer_entries(h, drawn.rows, drawn.times)]
        return self._finalised(h, row, drawn, start)

    def _finalised(
        self, h: Head, row: Row, drawn: _Drawn, start: Row
    ) -> tuple[Row, list[AnswerRow], list[Row]]:
        """The audit finalised as the audit service finalises one: its figures, the columns
        finalising sets and the finalise entry, from the same domain rules."""
        figs, judgement, reason = self.judge(row, drawn.scored, drawn.noes)
        finalised_at = row["updated_at"] + timedelta(minutes=self.rng.randint(5, 40))
        row.update(finalised_columns(figs, judgement, reason, finalised_at))
        stamped = self.stamp(finalised_at.replace(tzinfo=None) if self.naive else finalised_at)
        answers = [(*a[:12], stamped, stamped) for a in drawn.rows]
        # With the answers' notes and N/A reasons, and the summary the auditor wrote.
        extra = {
            "notes": {a[2]: a[10] for a in answers if a[10] is not None},
            "na_reasons": {a[2]: a[11] for a in answers if a[11] is not None},
            "strengths": row["strengths"],
            "areas_for_development": row["areas_for_development"],
        }
        new = finalise_values(figs, judgement, {a[2]: a[6] for a in answers}, extra)
        entries = [
            start,
            self.entry(
                h, finalised_at, "finalise", "audit", h.id, old="draft", new=new, reason=reason
            ),
        ]
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
        h: Head,
        at: datetime,
        action: str,
        entity: str,
        entity_id: int | None,
        *,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str | None = None,
    ) -> Row:
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

    def start_values(self, h: Head, row: Row) -> dict[str, object]:
        """What services.audits.start_audit logs for this audit."""
        return start_values(
            row,
            case=h.case.reference,
            team=TEAMS[h.case.team].name,
            holder=h.case.worker.name,
            auditor=h.auditor.name,
        )

    def answer_entries(self, h: Head, answers: list[AnswerRow], times: list[datetime]) -> list[Row]:
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

    def judge(
        self, row: Row, scored: list[ScoredAnswer], noes: list[str]
    ) -> tuple[Figures, str, str | None]:
        """The auditor's judgement (the suggestion, now and then overridden with a reason),
        the summary they write and the practitioner's response, on `row`; returns the
        figures, judgement and reason finalising records."""
        rng = self.rng
        figs = figures(self.fw, scored)
        suggested = figs.suggested_judgement
        judgement = suggested or self.grades[1]
        reason = None
        if suggested is not None and rng.random() < 0.06:
            rank = self.grades.index(suggested) + rng.choice((-1, 1))
            if 0 <= rank < len(self.grades):
                judgement = self.grades[rank]
                reason = self.fill(rng.choice(OVERRIDE_REASONS))
        pct = figs.percent_met
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
        return figs, judgement, reason
