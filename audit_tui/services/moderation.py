"""Moderation: a second, blind pair of eyes on a finalised audit.

The flow is select -> the moderator answers blind -> submit -> compare -> agree. Blindness is
enforced here, not in the UI: until the moderator submits, nothing this module returns carries
the first auditor's answers, notes, percent or judgement, and `comparison` refuses.

Agreement keeps the original answers untouched (counted=False) and adds kind='agreed' rows
(counted=True), so profiles count the agreed version from then on and the original stays on
record. The audit's own percent and judgement are not recomputed: `moderated_judgement` carries
the agreed grade and profiles read COALESCE(moderated_judgement, judgement).
"""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period, parse_period
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    percent_met,
    suggested_judgement,
)
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import check_option, question_in
from audit_tui.services.context import AppContext
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import AnswerIn
from audit_tui.store.models import (
    Answer,
    Audit,
    Case,
    Moderation,
    ModerationAnswer,
    Team,
    Worker,
    utcnow,
)

# --- pydantic in / out ----------------------------------------------------------------------


class ModerationSelection(BaseModel):
    """Which finalised audits to moderate: listed by id, or a random share of each auditor's
    (or team's) audits. A share is reproducible: the same seed on the same audits picks the
    same ones."""

    moderator: str = Field(min_length=1, max_length=120)
    audit_ids: list[int] | None = None
    share: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    per: Literal["auditor", "team"] = "auditor"
    framework_id: str | None = None
    period: str | None = None

    @field_validator("moderator")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("a moderator's name cannot be empty")
        return v

    @model_validator(mode="after")
    def _one_way(self) -> ModerationSelection:
        if (self.audit_ids is None) == (self.share is None):
            raise ValueError("give either audit ids or a share, not both and not neither")
        if self.audit_ids is not None and not self.audit_ids:
            raise ValueError("give at least one audit id")
        return self


class ModerationSummary(BaseModel):
    """A moderation as a list shows it. Carries nothing of the first auditor's grading."""

    id: int
    audit_id: int
    framework_id: str
    case_reference: str
    case_type: str
    team: str
    auditor: str
    moderator: str
    audit_date: date
    status: str
    requested_by: str
    requested_at: datetime
    submitted_at: datetime | None
    agreed_at: datetime | None


class SelectionResult(BaseModel):
    seed: int | None  # the seed used for a share (None when audits were listed by hand)
    moderations: list[ModerationSummary]


class QuestionView(BaseModel):
    question_id: str
    section_id: str
    section_title: str
    text: str
    guidance_good: str
    guidance_look_for: str
    options: list[tuple[str, str]]  # (code, label) in scale order
    critical: bool
    na_allowed: bool


class ModeratorAnswerOut(BaseModel):
    question_id: str
    section_id: str
    answer: str
    points: float | None
    note: str | None


class OriginalGrading(BaseModel):
    """The first auditor's grading: only ever built once the moderator has submitted."""

    answers: dict[str, str]
    notes: dict[str, str]
    percent_met: float | None
    judgement: str | None
    judgement_reason: str | None


class ModerationView(BaseModel):
    """What the moderator sees. `original` stays None until the moderation is submitted."""

    id: int
    audit_id: int
    status: str
    framework_id: str
    framework_version: str
    framework_hash: str  # the audit's own version: the moderator answers the same questions
    case_reference: str
    case_type: str
    team: str
    case_holder: str | None
    audit_date: date
    moderator: str
    judgement_codes: list[str]
    questions: list[QuestionView]
    answers: dict[str, ModeratorAnswerOut]
    answered: int
    applicable: int
    percent_met: float | None  # of the moderator's own answers
    suggested_judgement: str | None  # from the moderator's own answers
    moderator_judgement: str | None
    original: OriginalGrading | None = None


class ComparedQuestion(BaseModel):
    question_id: str
    section_id: str
    text: str
    original: str | None
    original_note: str | None
    moderator: str | None
    moderator_note: str | None
    differ: bool
    agreed: str | None = None


class Comparison(BaseModel):
    moderation_id: int
    audit_id: int
    status: str
    case_reference: str
    auditor: str
    moderator: str
    questions: list[ComparedQuestion]
    differences: int
    original_percent_met: float | None
    moderator_percent_met: float | None
    original_judgement: str | None
    moderator_judgement: str | None
    judgements_differ: bool
    agreed_judgement: str | None
    comment: str | None
    agreed_at: datetime | None


class ModerationRow(BaseModel):
    """One row of the Moderation sheet of the export."""

    moderation_id: int
    audit_id: int
    framework_id: str
    case_reference: str
    case_type: str
    team: str
    auditor: str
    moderator: str
    audit_date: date
    status: str
    original_judgement: str | None  # None while the moderation is still blind
    moderator_judgement: str | None
    agreed_judgement: str | None
    questions_compared: int
    questions_agreeing: int
    answer_agreement_percent: float | None
    comment: str | None
    requested_at: datetime
    submitted_at: datetime | None
    agreed_at: datetime | None


# --- helpers --------------------------------------------------------------------------------


def resolve_period(period: str | Period | None) -> Period | None:
    if period is None or isinstance(period, Period):
        return period
    return parse_period(period)


def _load(s: Session, moderation_id: int) -> Moderation:
    m = s.get(Moderation, moderation_id)
    if m is None:
        raise UserError(f"no moderation {moderation_id}")
    return m


def _summary(m: Moderation) -> ModerationSummary:
    a = m.audit
    return ModerationSummary(
        id=m.id,
        audit_id=a.id,
        framework_id=a.framework_id,
        case_reference=a.case.reference,
        case_type=a.case_type,
        team=a.team.name,
        auditor=a.auditor.name,
        moderator=m.moderator.name,
        audit_date=a.audit_date,
        status=m.status,
        requested_by=m.requested_by,
        requested_at=m.requested_at,
        submitted_at=m.submitted_at,
        agreed_at=m.agreed_at,
    )


def _moderator_answers(s: Session, moderation_id: int) -> dict[str, ModerationAnswer]:
    rows = s.execute(
        select(ModerationAnswer).where(ModerationAnswer.moderation_id == moderation_id)
    ).scalars()
    return {r.question_id: r for r in rows}


def _answers_of(audit: Audit, kind: str) -> dict[str, Answer]:
    return {a.question_id: a for a in audit.answers if a.kind == kind}


def _score(fw: Framework, answers: dict[str, str | None], points: dict[str, float | None]):  # type: ignore[no-untyped-def]
    scored = [
        ScoredAnswer(
            points=points[qid],
            weight=fw.question(qid).weight,
            cap=fw.critical_cap_of(fw.question(qid), answers[qid]),
        )
        for qid in answers
        if fw.has_question(qid)
    ]
    pct = percent_met(scored)
    return pct, suggested_judgement(fw, pct, critical_caps(scored))


def _check_judgement(fw: Framework, judgement: str) -> str:
    code = judgement.strip()
    if code not in fw.judgements.codes:
        raise UserError(f"judgement '{judgement}' is not one of {', '.join(fw.judgements.codes)}")
    return code


def _blind(m: Moderation) -> None:
    if m.status == "requested":
        raise UserError(
            f"moderation {m.id} has not been submitted: the first auditor's answers stay "
            "hidden until the moderator submits"
        )


def _requested(m: Moderation) -> None:
    if m.status != "requested":
        raise UserError(f"moderation {m.id} is already {m.status}: the blind answers are closed")


def _eligible(s: Session, audit: Audit, moderator: Worker) -> str | None:
    """Why this audit cannot be moderated by this moderator, or None when it can."""
    if audit.status != "finalised":
        return f"audit {audit.id} is a draft: only finalised audits are moderated"
    if audit.auditor_id == moderator.id:
        return f"audit {audit.id} was audited by {moderator.name}: nobody moderates their own audit"
    existing = s.execute(
        select(Moderation.id).where(Moderation.audit_id == audit.id).limit(1)
    ).scalar()
    if existing is not None:
        return f"audit {audit.id} is already in moderation {existing}"
    return None


def _create(ctx: AppContext, s: Session, audit: Audit, moderator: Worker) -> Moderation:
    now = utcnow()
    m = Moderation(
        audit_id=audit.id,
        moderator_id=moderator.id,
        requested_by=ctx.actor,
        requested_at=now,
        status="requested",
    )
    s.add(m)
    s.flush()
    log_event(
        s,
        ctx.actor,
        "request",
        "moderation",
        m.id,
        audit_id=audit.id,
        new={"moderator": moderator.name, "moderator_id": moderator.id},
        at=now,
    )
    return m


def _pick_share(candidates: list[tuple[str, int]], share: float, seed: int) -> list[int]:
    """ceil(share x n) audits from each group, so every auditor with an eligible audit has at
    least one moderated. Groups and ids are sorted first: the pick depends only on the seed
    and the eligible audits, never on database row order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for key, audit_id in candidates:
        groups[key].append(audit_id)
    rng = random.Random(seed)
    picked: list[int] = []
    for key in sorted(groups):
        ids = sorted(groups[key])
        picked.extend(rng.sample(ids, math.ceil(share * len(ids))))
    return sorted(picked)


# --- use cases ------------------------------------------------------------------------------


def select_for_moderation(ctx: AppContext, sel: ModerationSelection) -> SelectionResult:
    """Create moderations for the chosen audits, all or nothing. Listed audits that cannot be
    moderated are an error; a share silently skips drafts, the moderator's own audits and
    audits already in moderation."""
    period = resolve_period(sel.period)
    if sel.framework_id is not None:
        ctx.frameworks.get(sel.framework_id)  # an unknown id is a clear error
    with ctx.db.write() as s:
        moderator = get_or_create_worker(ctx, s, sel.moderator, auditor=True)
        if moderator.left_on is not None:
            raise UserError(
                f"{moderator.name} left on {moderator.left_on.isoformat()}: a leaver gets no "
                "new moderations"
            )
        created: list[Moderation] = []
        if sel.audit_ids is not None:
            for audit_id in dict.fromkeys(sel.audit_ids):
                audit = s.get(Audit, audit_id)
                if audit is None:
                    raise UserError(f"no audit {audit_id}")
                problem = _eligible(s, audit, moderator)
                if problem:
                    raise UserError(problem)
                created.append(_create(ctx, s, audit, moderator))
            return SelectionResult(seed=None, moderations=[_summary(m) for m in created])
        seed = sel.seed if sel.seed is not None else secrets.randbelow(2**31)
        group_col = Worker.name if sel.per == "auditor" else Team.name
        q = (
            select(group_col, Audit.id)
            .join(Worker, Worker.id == Audit.auditor_id)
            .join(Team, Team.id == Audit.team_id)
            .where(
                Audit.status == "finalised",
                Audit.auditor_id != moderator.id,
                ~select(Moderation.id).where(Moderation.audit_id == Audit.id).exists(),
            )
        )
        if sel.framework_id is not None:
            q = q.where(Audit.framework_id == sel.framework_id)
        if period is not None:
            q = q.where(Audit.audit_date.between(period.start, period.end))
        candidates = [(str(k), int(i)) for k, i in s.execute(q).all()]
        if not candidates:
            raise UserError("no finalised audits to moderate match that choice")
        for audit_id in _pick_share(candidates, sel.share or 0, seed):
            created.append(_create(ctx, s, s.get(Audit, audit_id), moderator))  # type: ignore[arg-type]
        log_event(
            s,
            ctx.actor,
            "select_share",
            "moderation",
            None,
            new={"share": sel.share, "seed": seed, "per": sel.per, "picked": len(created)},
        )
        return SelectionResult(seed=seed, moderations=[_summary(m) for m in created])


def list_moderations(
    ctx: AppContext, *, status: str | None = None, moderator: str | None = None
) -> list[ModerationSummary]:
    with ctx.db.read() as s:
        q = select(Moderation).order_by(Moderation.requested_at.desc(), Moderation.id.desc())
        if status is not None:
            q = q.where(Moderation.status == status)
        if moderator is not None:
            q = q.join(Worker, Worker.id == Moderation.moderator_id).where(
                func.lower(Worker.name) == moderator.strip().lower()
            )
        return [_summary(m) for m in s.execute(q).scalars()]


def moderation_view(ctx: AppContext, moderation_id: int, viewer: str) -> ModerationView:
    """The moderator's view. Before submission it holds the case and the questions and the
    moderator's own answers only; the first auditor's grading is added after submission."""
    with ctx.db.read() as s:
        m = _load(s, moderation_id)
        if " ".join(viewer.split()).lower() != m.moderator.name.lower():
            raise UserError(
                f"moderation {m.id} is assigned to {m.moderator.name}, not to {viewer.strip()}"
            )
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        applicable = fw.applicable_questions(audit.case_type)
        mine = _moderator_answers(s, m.id)
        questions = [
            QuestionView(
                question_id=q.id,
                section_id=fw.section_of(q.id).id,
                section_title=fw.section_of(q.id).title,
                text=q.text,
                guidance_good=q.guidance.good,
                guidance_look_for=q.guidance.look_for,
                options=[(o.code, o.label) for o in fw.scale(q.scale).options],
                critical=q.critical,
                na_allowed=q.na_allowed,
            )
            for q in applicable
        ]
        pct, suggested = _score(
            fw, {k: r.answer for k, r in mine.items()}, {k: r.points for k, r in mine.items()}
        )
        original = None
        if m.status != "requested":
            originals = _answers_of(audit, "original")
            original = OriginalGrading(
                answers={k: a.answer for k, a in originals.items()},
                notes={k: a.note for k, a in originals.items() if a.note},
                percent_met=audit.percent_met,
                judgement=audit.judgement,
                judgement_reason=audit.judgement_reason,
            )
        return ModerationView(
            id=m.id,
            audit_id=audit.id,
            status=m.status,
            framework_id=fw.id,
            framework_version=audit.framework_version,
            framework_hash=audit.framework_hash,
            case_reference=audit.case.reference,
            case_type=audit.case_type,
            team=audit.team.name,
            case_holder=audit.worker.name if audit.worker else None,
            audit_date=audit.audit_date,
            moderator=m.moderator.name,
            judgement_codes=fw.judgements.codes,
            questions=questions,
            answers={
                k: ModeratorAnswerOut(
                    question_id=r.question_id,
                    section_id=r.section_id,
                    answer=r.answer,
                    points=r.points,
                    note=r.note,
                )
                for k, r in mine.items()
            },
            answered=sum(1 for q in applicable if q.id in mine),
            applicable=len(applicable),
            percent_met=pct,
            suggested_judgement=suggested,
            moderator_judgement=m.moderator_judgement,
            original=original,
        )


def record_moderation_answer(
    ctx: AppContext, moderation_id: int, ans: AnswerIn
) -> ModeratorAnswerOut:
    """The moderator's blind answer to one question, validated exactly as an audit answer."""
    with ctx.db.write() as s:
        m = _load(s, moderation_id)
        _requested(m)
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        q = question_in(fw, audit, ans.question_id)
        option = check_option(fw, q, ans.answer)
        row = _moderator_answers(s, m.id).get(q.id)
        old = row.answer if row else None
        if row is None:
            row = ModerationAnswer(
                moderation_id=m.id,
                question_id=q.id,
                section_id=fw.section_of(q.id).id,
                answer=option.code,
                points=option.points,
            )
            s.add(row)
        else:
            row.answer, row.points = option.code, option.points
        s.flush()
        now = utcnow()
        log_event(
            s,
            ctx.actor,
            "moderate_answer",
            "moderation",
            m.id,
            audit_id=audit.id,
            field=q.id,
            old=old,
            new=option.code,
            at=now,
        )
        if ans.note is not None and ans.note != row.note:
            # The moderator's note is a change of its own, in the log beside the answer.
            log_event(
                s,
                ctx.actor,
                "moderate_note",
                "moderation",
                m.id,
                audit_id=audit.id,
                field=q.id,
                old=row.note,
                new=ans.note,
                at=now,
            )
            row.note = ans.note
        return ModeratorAnswerOut(
            question_id=row.question_id,
            section_id=row.section_id,
            answer=row.answer,
            points=row.points,
            note=row.note,
        )


def record_moderator_judgement(ctx: AppContext, moderation_id: int, judgement: str) -> None:
    """The moderator's own blind judgement (may be changed until submission)."""
    with ctx.db.write() as s:
        m = _load(s, moderation_id)
        _requested(m)
        _set_judgement(ctx, s, m, _check_judgement(versions.of_audit(ctx, s, m.audit), judgement))


def _set_judgement(
    ctx: AppContext, s: Session, m: Moderation, code: str, at: datetime | None = None
) -> None:
    """The moderator's blind judgement, logged when it changes."""
    if code != m.moderator_judgement:
        log_event(
            s,
            ctx.actor,
            "moderate_judgement",
            "moderation",
            m.id,
            audit_id=m.audit_id,
            field="moderator_judgement",
            old=m.moderator_judgement,
            new=code,
            at=at,
        )
        m.moderator_judgement = code


def submit_moderation(
    ctx: AppContext, moderation_id: int, judgement: str | None = None
) -> ModerationSummary:
    """Close the blind stage: every applicable question answered and a judgement given."""
    with ctx.db.write() as s:
        m = _load(s, moderation_id)
        _requested(m)
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        now = utcnow()
        if judgement is not None:
            _set_judgement(ctx, s, m, _check_judgement(fw, judgement), now)
        mine = _moderator_answers(s, m.id)
        missing = [q.id for q in fw.applicable_questions(audit.case_type) if q.id not in mine]
        if missing:
            more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
            raise UserError(
                f"cannot submit moderation {m.id}: not answered: {', '.join(missing[:3])}{more}"
            )
        if m.moderator_judgement is None:
            raise UserError(f"cannot submit moderation {m.id}: give the moderator's judgement")
        m.status = "submitted"
        m.submitted_at = now
        s.flush()
        log_event(
            s,
            ctx.actor,
            "moderate_submit",
            "moderation",
            m.id,
            audit_id=audit.id,
            old="requested",
            new={
                "judgement": m.moderator_judgement,
                "answers": {k: r.answer for k, r in sorted(mine.items())},
            },
            at=now,
        )
        return _summary(m)


def cancel_moderation(ctx: AppContext, moderation_id: int, reason: str) -> None:
    """Withdraw a moderation that has not been agreed (a wrong pick, a moderator away)."""
    if not reason or not reason.strip():
        raise UserError("give a reason for cancelling a moderation")
    with ctx.db.write() as s:
        m = _load(s, moderation_id)
        if m.status == "agreed":
            raise UserError(f"moderation {m.id} is agreed: its agreed answers are on record")
        log_event(
            s,
            ctx.actor,
            "cancel",
            "moderation",
            m.id,
            audit_id=m.audit_id,
            old={"status": m.status, "moderator": m.moderator.name},
            reason=reason.strip(),
        )
        s.delete(m)


def _comparison(ctx: AppContext, s: Session, m: Moderation) -> Comparison:
    audit = m.audit
    fw = versions.of_audit(ctx, s, audit)
    originals = _answers_of(audit, "original")
    agreed = _answers_of(audit, "agreed")
    mine = _moderator_answers(s, m.id)
    questions: list[ComparedQuestion] = []
    for q in fw.applicable_questions(audit.case_type):
        o, md = originals.get(q.id), mine.get(q.id)
        questions.append(
            ComparedQuestion(
                question_id=q.id,
                section_id=fw.section_of(q.id).id,
                text=q.text,
                original=o.answer if o else None,
                original_note=o.note if o else None,
                moderator=md.answer if md else None,
                moderator_note=md.note if md else None,
                differ=(o.answer if o else None) != (md.answer if md else None),
                agreed=agreed[q.id].answer if q.id in agreed else None,
            )
        )
    mod_pct, _ = _score(
        fw, {k: r.answer for k, r in mine.items()}, {k: r.points for k, r in mine.items()}
    )
    return Comparison(
        moderation_id=m.id,
        audit_id=audit.id,
        status=m.status,
        case_reference=audit.case.reference,
        auditor=audit.auditor.name,
        moderator=m.moderator.name,
        questions=questions,
        differences=sum(1 for c in questions if c.differ),
        original_percent_met=audit.percent_met,
        moderator_percent_met=mod_pct,
        original_judgement=audit.judgement,
        moderator_judgement=m.moderator_judgement,
        judgements_differ=audit.judgement != m.moderator_judgement,
        agreed_judgement=m.agreed_judgement,
        comment=m.comment,
        agreed_at=m.agreed_at,
    )


def comparison(ctx: AppContext, moderation_id: int) -> Comparison:
    """Both gradings side by side; refused while the moderation is still blind."""
    with ctx.db.read() as s:
        m = _load(s, moderation_id)
        _blind(m)
        return _comparison(ctx, s, m)


def agree(
    ctx: AppContext,
    moderation_id: int,
    agreed_answers: dict[str, str],
    agreed_judgement: str,
    comment: str,
) -> Comparison:
    """Record the agreed version. A question left out of `agreed_answers` keeps the answer
    auditor and moderator share; where they differ it must be given."""
    clean_comment = (comment or "").strip()
    if not clean_comment:
        raise UserError("give a comment recording how the agreement was reached")
    with ctx.db.write() as s:
        m = _load(s, moderation_id)
        _blind(m)
        if m.status == "agreed":
            raise UserError(f"moderation {m.id} is already agreed")
        audit = m.audit
        # Separation of duties: the agreed version is never settled by the audit's own auditor.
        if " ".join(ctx.me.split()).lower() == audit.auditor.name.lower():
            raise UserError(
                f"moderation {m.id} is of your own audit: the moderator or the QA lead records "
                "the agreement, not the auditor"
            )
        fw = versions.of_audit(ctx, s, audit)
        judgement = _check_judgement(fw, agreed_judgement)
        originals = _answers_of(audit, "original")
        mine = _moderator_answers(s, m.id)
        applicable = {q.id for q in fw.applicable_questions(audit.case_type)}
        for qid in agreed_answers:
            question_in(fw, audit, qid)  # unknown or not applicable: a clear error
        chosen: dict[str, str] = {}
        for q in fw.applicable_questions(audit.case_type):
            o, md = originals.get(q.id), mine.get(q.id)
            if q.id in agreed_answers:
                chosen[q.id] = agreed_answers[q.id]
            elif o is not None and md is not None and o.answer == md.answer:
                chosen[q.id] = o.answer
            elif o is not None or md is not None:
                raise UserError(
                    f"agree an answer for {q.id}: the auditor said "
                    f"{o.answer if o else 'nothing'}, the moderator {md.answer if md else 'nothing'}"
                )
        now = utcnow()
        for qid, code in chosen.items():
            q = fw.question(qid)
            option = check_option(fw, q, code)
            o, md = originals.get(qid), mine.get(qid)
            # Keep the note of whichever side the agreed answer came from.
            if o is not None and o.answer == option.code:
                note, na_reason = o.note, o.na_reason
            elif md is not None and md.answer == option.code:
                note, na_reason = md.note, None
            else:
                note, na_reason = None, None
            row = Answer(
                audit_id=audit.id,
                question_id=qid,
                section_id=fw.section_of(qid).id,
                kind="agreed",
                counted=True,
                answer=option.code,
                points=option.points,
                weight=q.weight,
                critical=q.critical,
                note=note,
                na_reason=na_reason if option.is_na else None,
                answered_at=now,
                updated_at=now,
            )
            s.add(row)
            if o is not None:
                o.counted = False
            s.flush()
            log_event(
                s,
                ctx.actor,
                "moderate_agree",
                "answer",
                row.id,
                audit_id=audit.id,
                field=qid,
                old=o.answer if o else None,
                new=option.code,
                reason=clean_comment,
                at=now,
            )
            # The note and reason it keeps are in the log as the agreed answer's own.
            for column, value in (("note", row.note), ("na_reason", row.na_reason)):
                if value is not None:
                    log_event(
                        s,
                        ctx.actor,
                        column,
                        "answer",
                        row.id,
                        audit_id=audit.id,
                        field=qid,
                        new=value,
                        at=now,
                    )
        # An original answer to a question no longer applicable stays counted-out too, so
        # profiles never mix agreed and unmoderated answers on one audit.
        for qid, o in originals.items():
            if qid not in applicable and o.counted:
                o.counted = False
        log_event(
            s,
            ctx.actor,
            "moderate_agree",
            "audit",
            audit.id,
            audit_id=audit.id,
            field="moderated_judgement",
            old=audit.moderated_judgement,
            new=judgement,
            reason=clean_comment,
            at=now,
        )
        audit.moderated_judgement = judgement
        audit.updated_at = now
        m.agreed_judgement = judgement
        m.comment = clean_comment
        m.agreed_at = now
        m.status = "agreed"
        s.flush()
        log_event(
            s,
            ctx.actor,
            "moderate_agreed",
            "moderation",
            m.id,
            audit_id=audit.id,
            field="agreed_judgement",
            new=judgement,
            reason=clean_comment,
            at=now,
        )
        s.refresh(audit)
        return _comparison(ctx, s, m)


def moderation_rows(
    ctx: AppContext, framework_id: str | None = None, period: str | Period | None = None
) -> list[ModerationRow]:
    """Rows for the Moderation sheet: one per moderation of an audit in the period, with the
    answer agreement counted in SQL. Blind moderations show no original judgement."""
    per = resolve_period(period)
    auditor = aliased(Worker)
    moderator = aliased(Worker)
    original = aliased(Answer)
    counts = (
        select(
            ModerationAnswer.moderation_id.label("mid"),
            func.count(original.id).label("compared"),
            func.sum(case((original.answer == ModerationAnswer.answer, 1), else_=0)).label(
                "agreeing"
            ),
        )
        .join(Moderation, Moderation.id == ModerationAnswer.moderation_id)
        .join(
            original,
            and_(
                original.audit_id == Moderation.audit_id,
                original.question_id == ModerationAnswer.question_id,
                original.kind == "original",
            ),
        )
        .group_by(ModerationAnswer.moderation_id)
        .subquery()
    )
    q = (
        select(
            Moderation,
            Audit,
            Case.reference,
            Team.name,
            auditor.name,
            moderator.name,
            counts.c.compared,
            counts.c.agreeing,
        )
        .join(Audit, Audit.id == Moderation.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .join(moderator, moderator.id == Moderation.moderator_id)
        .outerjoin(counts, counts.c.mid == Moderation.id)
        .order_by(Audit.audit_date, Moderation.id)
    )
    if framework_id is not None:
        q = q.where(Audit.framework_id == framework_id)
    if per is not None:
        q = q.where(Audit.audit_date.between(per.start, per.end))
    rows: list[ModerationRow] = []
    with ctx.db.read() as s:
        for m, a, ref, team, auditor_name, moderator_name, compared, agreeing in s.execute(q):
            blind = m.status == "requested"
            compared = 0 if blind or compared is None else int(compared)
            agreeing = 0 if blind or agreeing is None else int(agreeing)
            rows.append(
                ModerationRow(
                    moderation_id=m.id,
                    audit_id=a.id,
                    framework_id=a.framework_id,
                    case_reference=ref,
                    case_type=a.case_type,
                    team=team,
                    auditor=auditor_name,
                    moderator=moderator_name,
                    audit_date=a.audit_date,
                    status=m.status,
                    original_judgement=None if blind else a.judgement,
                    moderator_judgement=None if blind else m.moderator_judgement,
                    agreed_judgement=m.agreed_judgement,
                    questions_compared=compared,
                    questions_agreeing=agreeing,
                    answer_agreement_percent=100.0 * agreeing / compared if compared else None,
                    comment=m.comment,
                    requested_at=m.requested_at,
                    submitted_at=m.submitted_at,
                    agreed_at=m.agreed_at,
                )
            )
    return rows
