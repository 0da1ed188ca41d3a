"""The rest of the product on demo data, made through the same services real work uses: an
audit round (some cases started, some overdue), moderations at every stage with agreement
figures, actions open, overdue, done and not needed, safeguarding escalations (one open, one
acknowledged, one concern not escalated yet), and an amended audit.

Each step acts as the demo person who would do it (the auditor answers, the moderator
moderates, the QA lead selects), so the log reads like real use. One demo manager is the
"persona" a newcomer can be: the person with drafts, assigned cases, moderations to answer,
actions to follow and an escalation to acknowledge. It runs under the generator's clock, so
the same seed on the same day gives the same rows and log.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import aliased

from audit_tui.domain.framework import Framework, Question
from audit_tui.i18n import _, ngettext
from audit_tui.services import actions, audits, escalation, moderation
from audit_tui.services.actions import NewAction, ReauditIn
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import set_info
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.programme import assigned_cases
from audit_tui.services.sampling import SampleRequest, draw_sample
from audit_tui.services.schemas import Amend, AnswerIn, Finalise
from audit_tui.store.models import Audit, Moderation, Team, Worker

PERSONA_KEY = "demo_persona"


class StorySummary(BaseModel):
    persona: str
    round_cases: int
    round_started: int
    moderations: int
    actions: int
    escalations: int
    amended: int

    @property
    def line(self) -> str:
        return _(
            "this term: {round}, {moderations}, {actions}, {concerns}, {amended}; try it as {who}"
        ).format(
            round=ngettext(
                "an audit round of {n} case ({started} started)",
                "an audit round of {n} cases ({started} started)",
                self.round_cases,
            ).format(n=self.round_cases, started=self.round_started),
            moderations=ngettext("{n} moderation", "{n} moderations", self.moderations).format(
                n=self.moderations
            ),
            actions=ngettext("{n} action", "{n} actions", self.actions).format(n=self.actions),
            concerns=ngettext(
                "{n} safeguarding concern", "{n} safeguarding concerns", self.escalations
            ).format(n=self.escalations),
            amended=ngettext("{n} amended audit", "{n} amended audits", self.amended).format(
                n=self.amended
            ),
            who=self.persona,
        )


# not translated: records the demo writes (a team, a round), as an English-speaking authority would
PERSONA_TEAM = "Child Protection (demo)"
ROUND_NAME = "Case-file sample, autumn (demo)"  # not translated: a demo record
AGREED = 4  # moderations taken all the way to agreement


@dataclass
class _People:
    persona: str
    managers: dict[str, list[str]]  # team name -> its managers
    qa: list[str]  # quality assurance officers (no team)


def _people(ctx: AppContext) -> _People:
    with ctx.db.read() as s:
        rows = s.execute(
            select(Worker.name, Team.name)
            .outerjoin(Team, Team.id == Worker.team_id)
            .where(Worker.is_manager)
            .order_by(Worker.id)
        ).all()
    managers: dict[str, list[str]] = {}
    qa: list[str] = []
    for name, team in rows:
        if team is None:
            qa.append(name)
        else:
            managers.setdefault(team, []).append(name)
    persona_team = PERSONA_TEAM if PERSONA_TEAM in managers else sorted(managers)[0]
    return _People(persona=managers[persona_team][0], managers=managers, qa=qa)


def _finalised(ctx: AppContext, since: date, exclude: set[int]) -> list[tuple[int, str, str]]:
    """(audit id, auditor, team) of unmoderated finalised audits dated since `since`."""
    auditor = aliased(Worker)
    with ctx.db.read() as s:
        rows = s.execute(
            select(Audit.id, auditor.name, Team.name)
            .join(auditor, auditor.id == Audit.auditor_id)
            .join(Team, Team.id == Audit.team_id)
            .where(
                Audit.status == "finalised",
                Audit.audit_date >= since,
                ~select(Moderation.id).where(Moderation.audit_id == Audit.id).exists(),
            )
            .order_by(Audit.id)
        ).all()
    return [(int(i), str(a), str(t)) for i, a, t in rows if int(i) not in exclude]


def _weekday(day: date) -> date:
    """Audits happen on weekdays: a weekend day moves back to the Friday."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


class _Story:
    def __init__(self, ctx: AppContext, fw: Framework, seed: int) -> None:
        # Real-work guards do not apply: this is the demo database, filled on purpose.
        self.ctx = replace(ctx, demo_confirmed=True, identity=None)
        self.fw = fw
        self.rng = random.Random(f"demo-story:{seed}")
        self.today = ctx.today()
        self.people = _people(self.ctx)
        self.used: set[int] = set()
        self.counts = {"round": 0, "started": 0, "moderations": 0, "actions": 0, "concerns": 0}
        self.amended = 0

    def as_(self, name: str, today: date | None = None) -> AppContext:
        """The context of `name` doing their part (their name in the log)."""
        ctx = replace(self.ctx, actor=name)
        if today is not None:
            ctx = replace(ctx, today=lambda: today)
        return ctx

    # --- the audit round -------------------------------------------------------------------

    def audit_round(self) -> None:
        """Drawn five weeks ago with the usual four weeks to do it: overdue now. In every team
        one case is started; the persona's team has one finalised too."""
        drawn = self.today - timedelta(days=35)
        lead = self.people.qa[0] if self.people.qa else self.people.persona
        draw_sample(
            self.as_(lead, drawn),
            SampleRequest(
                per_team=3,
                exclude_audited_within_days=0,
                seed=self.rng.randrange(1, 2**31),
                name=ROUND_NAME,
            ),
        )
        persona = self.people.persona
        started_teams: set[str] = set()
        persona_cases = 0
        cases = assigned_cases(self.ctx, None)
        self.counts["round"] = len(cases)
        for case in cases:
            mine = case.auditor == persona
            if not mine and case.team in started_teams:
                continue
            started_teams.add(case.team)
            # The persona's first case is half done (a draft of theirs), the second finalised.
            finish = mine and persona_cases == 1
            persona_cases += mine
            if mine and persona_cases > 2:
                continue
            who = self.as_(case.auditor)
            detail = audits.start_audit(
                who, case.new_audit(_weekday(self.today - timedelta(days=3)))
            )
            self.counts["started"] += 1
            questions = self.fw.applicable_questions(case.case_type)
            for q in questions[: len(questions) if finish else len(questions) // 4]:
                audits.record_answer(
                    who, detail.id, AnswerIn(question_id=q.id, answer=self._code(q))
                )
            if finish:
                rv = audits.review(who, detail.id)
                audits.finalise(
                    who, detail.id, Finalise(judgement=rv.suggested_judgement or "good")
                )

    def _code(self, q: Question) -> str:
        options = self.fw.scale(q.scale).options
        kinds = {o.kind: o.code for o in options}
        u = self.rng.random()
        if u < 0.65 and "met" in kinds:
            return kinds["met"]
        if u < 0.9 and "partly" in kinds:
            return kinds["partly"]
        return kinds.get("not_met", options[0].code)

    # --- moderation ----------------------------------------------------------------------

    def moderations(self) -> None:
        """Every stage: the persona has one to answer blind, one half answered and one to
        agree; the QA officers' are agreed, which gives the period its agreement figures."""
        fy_start = date(self.today.year if self.today.month >= 4 else self.today.year - 1, 4, 1)
        lead = self.people.qa[0] if self.people.qa else self.people.persona
        pool = _finalised(self.ctx, fy_start, self.used)
        self.rng.shuffle(pool)
        persona = self.people.persona
        plan = [(persona, "requested"), (persona, "blind"), (persona, "submitted")]
        moderators = self.people.qa[1:] or [lead]
        plan += [(moderators[i % len(moderators)], "agreed") for i in range(AGREED)]
        for moderator, stage in plan:
            audit_id = next(
                (a for a, auditor, _ in pool if auditor != moderator and a not in self.used), None
            )
            if audit_id is None:
                return  # too few audits this year for every stage
            self.used.add(audit_id)
            chosen = moderation.select_for_moderation(
                self.as_(lead),
                ModerationSelection(moderator=moderator, audit_ids=[audit_id]),
            ).moderations[0]
            self.counts["moderations"] += 1
            if stage == "requested":
                continue
            self._moderate(chosen.id, audit_id, moderator, stage)

    def _moderate(self, moderation_id: int, audit_id: int, moderator: str, stage: str) -> None:
        who = self.as_(moderator)
        original = audits.get_audit(self.ctx, audit_id)
        questions = self.fw.applicable_questions(original.case_type)
        if stage == "blind":
            questions = questions[: len(questions) // 2]
        for q in questions:
            code = original.answers[q.id].answer if q.id in original.answers else self._code(q)
            if self.rng.random() < 0.15:
                code = self._nearby(q, code)
            moderation.record_moderation_answer(
                who, moderation_id, AnswerIn(question_id=q.id, answer=code)
            )
        if stage == "blind":
            return
        view = moderation.moderation_view(who, moderation_id, moderator)
        judgement = view.suggested_judgement or original.judgement or "good"
        moderation.submit_moderation(who, moderation_id, judgement)
        if stage != "agreed":
            return
        compared = moderation.comparison(who, moderation_id)
        agreed = {
            c.question_id: (c.moderator if self.rng.random() < 0.5 else c.original) or ""
            for c in compared.questions
            if c.differ
        }
        moderation.agree(
            who,
            moderation_id,
            AgreeIn(
                answers={k: v for k, v in agreed.items() if v},
                judgement=judgement
                if self.rng.random() < 0.6
                else (original.judgement or judgement),
                comment="Discussed with the auditor; evidence on file reviewed together.",  # not translated: a demo record
            ),
        )

    def _nearby(self, q: Question, code: str) -> str:
        codes = [o.code for o in self.fw.scale(q.scale).options if not o.is_na]
        if code not in codes:
            return code
        i = codes.index(code)
        j = i + self.rng.choice((-1, 1))
        return codes[j] if 0 <= j < len(codes) else codes[i - 1 if i else 1]

    # --- actions, escalations, an amendment -----------------------------------------------

    def _with_no(self, since: date) -> list[tuple[int, str, str, str]]:
        """(audit id, question id, auditor, case-holder) of 'No' answers in finalised,
        unmoderated audits since `since`."""
        pool = _finalised(self.ctx, since, self.used)
        out = []
        for audit_id, auditor, _team in pool[-40:]:
            detail = audits.get_audit(self.ctx, audit_id)
            for qid, a in detail.answers.items():
                if a.answer == "no":
                    out.append((audit_id, qid, auditor, detail.case_holder or auditor))
                    break
        return out

    def actions(self) -> None:
        found = self._with_no(self.today - timedelta(days=120))
        persona = self.people.persona
        # (due in days from today, what happens, owner)
        plan = [
            (21, "open", None),
            (14, "open", persona),
            (-9, "overdue", None),
            (-20, "overdue", persona),
            (-30, "done", None),
            (-40, "not_needed", None),
            (60, "reaudit", None),
        ]
        for (audit_id, qid, auditor, holder), (days, what, owner) in zip(found, plan, strict=False):
            self.used.add(audit_id)
            who = self.as_(auditor)
            action = actions.create_action(
                who,
                NewAction(
                    audit_id=audit_id,
                    question_id=qid,
                    description=self.rng.choice(
                        (
                            "Record the risk analysis on file with the SW",  # not translated: a demo record
                            "Add the contingency plan agreed at the review",  # not translated: a demo record
                            "Put supervision notes on the child's file",  # not translated: a demo record
                            "See the child alone and record their views",  # not translated: a demo record
                        )
                    ),
                    owner=owner or holder,
                    due_date=self.today + timedelta(days=days),
                    reaudit_by=self.today + timedelta(days=days) if what == "reaudit" else None,
                ),
            )
            self.counts["actions"] += 1
            if what == "done":
                actions.complete_action(who, action.id)
            elif what == "not_needed":
                closed = "Case closed before the action was due"  # not translated: a demo record
                actions.mark_not_needed(who, action.id, closed)
            elif what == "reaudit":
                actions.start_reaudit(
                    who, action.id, ReauditIn(auditor=auditor, audit_date=_weekday(self.today))
                )

    def escalations(self) -> None:
        """One acknowledged, one waiting for acknowledgement (raised by a colleague of the
        persona, so the persona can acknowledge it), and a concern not yet escalated."""
        pool = _finalised(self.ctx, self.today - timedelta(days=60), self.used)
        persona = self.people.persona
        others = [(a, auditor) for a, auditor, _ in pool if auditor != persona]
        lead = self.people.qa[0] if self.people.qa else persona
        # The lead acknowledges the first, so it is never an audit of the lead's own: whoever
        # escalated may not acknowledge it (separation of duties).
        acked = [o for o in others[:-1] if o[1] != lead][-1:]
        pairs = [(o, True) for o in acked] + [(o, False) for o in others[-1:]]
        for (audit_id, auditor), acknowledged in pairs:
            self.used.add(audit_id)
            when = self.today - timedelta(days=2 if acknowledged else 1)
            escalation.record_escalation(
                self.as_(auditor),
                audit_id,
                "Duty team manager",  # not translated: a demo record
                when,
                "Child seen with unexplained bruising; CP referral discussed (initials only).",  # not translated: a demo record
            )
            self.counts["concerns"] += 1
            if acknowledged:
                escalation.acknowledge_escalation(self.as_(lead), audit_id)
        drafts = audits.list_drafts(self.ctx, limit=None)
        draft = next((d for d in drafts if d.auditor != persona), None)
        if draft is not None:
            escalation.raise_concern(
                self.as_(draft.auditor),
                draft.id,
                "Parent's new partner not assessed; child AB says they are scared at home.",  # not translated: a demo record
            )
            self.counts["concerns"] += 1

    def amendment(self) -> None:
        pool = _finalised(self.ctx, self.today - timedelta(days=90), self.used)
        for audit_id, auditor, _team in reversed(pool):
            detail = audits.get_audit(self.ctx, audit_id)
            partly = next((q for q, a in detail.answers.items() if a.answer == "partly"), None)
            if partly is None:
                continue
            self.used.add(audit_id)
            audits.amend(
                self.as_(auditor),
                audit_id,
                Amend(
                    reason="Visit record found on the paper file after the audit",  # not translated: a demo record
                    question_id=partly,
                    answer="yes",
                ),
            )
            self.amended += 1
            return


def add_story(ctx: AppContext, fw: Framework, seed: int) -> StorySummary:
    """Add the round, moderations, actions, escalations and an amendment to freshly generated
    demo data. The persona's name is kept in database_info too."""
    story = _Story(ctx, fw, seed)
    story.audit_round()
    story.moderations()
    story.actions()
    story.escalations()
    story.amendment()
    with ctx.db.write() as s:
        set_info(ctx, s, PERSONA_KEY, story.people.persona)
    c = story.counts
    return StorySummary(
        persona=story.people.persona,
        round_cases=c["round"],
        round_started=c["started"],
        moderations=c["moderations"],
        actions=c["actions"],
        escalations=c["concerns"],
        amended=story.amended,
    )
