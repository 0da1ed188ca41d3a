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

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.moderating import moderator_figures, pick_share
from audit_tui.domain.periods import period_filter
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import check_option, question_in
from audit_tui.services.context import AppContext
from audit_tui.services.directory import get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.services.moderation_agree import agree as agree
from audit_tui.services.moderation_rows import moderation_rows as moderation_rows
from audit_tui.services.moderation_rules import (
    answers_of,
    check_judgement,
    comparison_of,
    load_moderation,
    moderator_answers,
    refuse_unless_requested,
    refuse_while_blind,
    set_moderator_judgement,
    summary_of,
)
from audit_tui.services.moderation_schemas import (
    AgreeIn as AgreeIn,
)
from audit_tui.services.moderation_schemas import (
    ComparedQuestion as ComparedQuestion,
)
from audit_tui.services.moderation_schemas import (
    Comparison as Comparison,
)
from audit_tui.services.moderation_schemas import (
    ModerationRow as ModerationRow,
)
from audit_tui.services.moderation_schemas import (
    ModerationSelection as ModerationSelection,
)
from audit_tui.services.moderation_schemas import (
    ModerationSummary as ModerationSummary,
)
from audit_tui.services.moderation_schemas import (
    ModerationView as ModerationView,
)
from audit_tui.services.moderation_schemas import (
    ModeratorAnswerOut as ModeratorAnswerOut,
)
from audit_tui.services.moderation_schemas import (
    OriginalGrading as OriginalGrading,
)
from audit_tui.services.moderation_schemas import (
    QuestionView as QuestionView,
)
from audit_tui.services.moderation_schemas import (
    SelectionResult as SelectionResult,
)
from audit_tui.services.schemas import AnswerIn
from audit_tui.store.models import Audit, Moderation, ModerationAnswer, Team, Worker, utcnow


def _eligible(s: Session, audit: Audit, moderator: Worker) -> str | None:
    """Why this audit cannot be moderated by this moderator, or None when it can."""
    if audit.status != "finalised":
        return _("audit {id} is a draft: only finalised audits are moderated").format(id=audit.id)
    if audit.auditor_id == moderator.id:
        return _("audit {id} was audited by {name}: nobody moderates their own audit").format(
            id=audit.id, name=moderator.name
        )
    existing = s.execute(
        select(Moderation.id).where(Moderation.audit_id == audit.id).limit(1)
    ).scalar()
    if existing is not None:
        return _("audit {id} is already in moderation {moderation}").format(
            id=audit.id, moderation=existing
        )
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


# --- use cases ------------------------------------------------------------------------------


def select_for_moderation(ctx: AppContext, sel: ModerationSelection) -> SelectionResult:
    """Create moderations for the chosen audits, all or nothing. Listed audits that cannot be
    moderated are an error; a share silently skips drafts, the moderator's own audits and
    audits already in moderation."""
    period = period_filter(sel.period)
    if sel.framework_id is not None:
        ctx.frameworks.get(sel.framework_id)  # an unknown id is a clear error
    with ctx.db.write() as s:
        moderator = get_or_create_worker(ctx, s, sel.moderator, auditor=True)
        if moderator.left_on is not None:
            raise UserError(
                _("{name} left on {date}: a leaver gets no new moderations").format(
                    name=moderator.name, date=moderator.left_on.isoformat()
                )
            )
        created: list[Moderation] = []
        if sel.audit_ids is not None:
            for audit_id in dict.fromkeys(sel.audit_ids):
                audit = s.get(Audit, audit_id)
                if audit is None:
                    raise UserError(_("no audit {id}").format(id=audit_id))
                problem = _eligible(s, audit, moderator)
                if problem:
                    raise UserError(problem)
                created.append(_create(ctx, s, audit, moderator))
            return SelectionResult(seed=None, moderations=[summary_of(m) for m in created])
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
            raise UserError(_("no finalised audits to moderate match that choice"))
        for audit_id in pick_share(candidates, sel.share or 0, seed):
            created.append(_create(ctx, s, s.get(Audit, audit_id), moderator))  # type: ignore[arg-type]
        log_event(
            s,
            ctx.actor,
            "select_share",
            "moderation",
            None,
            new={"share": sel.share, "seed": seed, "per": sel.per, "picked": len(created)},
        )
        return SelectionResult(seed=seed, moderations=[summary_of(m) for m in created])


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
        return [summary_of(m) for m in s.execute(q).scalars()]


def moderation_view(ctx: AppContext, moderation_id: int, viewer: str) -> ModerationView:
    """The moderator's view. Before submission it holds the case and the questions and the
    moderator's own answers only; the first auditor's grading is added after submission."""
    with ctx.db.read() as s:
        m = load_moderation(s, moderation_id)
        if " ".join(viewer.split()).lower() != m.moderator.name.lower():
            raise UserError(
                _("moderation {id} is assigned to {name}, not to {viewer}").format(
                    id=m.id, name=m.moderator.name, viewer=viewer.strip()
                )
            )
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        applicable = fw.applicable_questions(audit.case_type)
        mine = moderator_answers(s, m.id)
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
        pct, suggested = moderator_figures(
            fw, {k: r.answer for k, r in mine.items()}, {k: r.points for k, r in mine.items()}
        )
        original = None
        if m.status != "requested":
            originals = answers_of(audit, "original")
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
        m = load_moderation(s, moderation_id)
        refuse_unless_requested(m)
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        q = question_in(fw, audit, ans.question_id)
        option = check_option(fw, q, ans.answer)
        row = moderator_answers(s, m.id).get(q.id)
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
        m = load_moderation(s, moderation_id)
        refuse_unless_requested(m)
        set_moderator_judgement(
            ctx, s, m, check_judgement(versions.of_audit(ctx, s, m.audit), judgement)
        )


def submit_moderation(
    ctx: AppContext, moderation_id: int, judgement: str | None = None
) -> ModerationSummary:
    """Close the blind stage: every applicable question answered and a judgement given."""
    with ctx.db.write() as s:
        m = load_moderation(s, moderation_id)
        refuse_unless_requested(m)
        audit = m.audit
        fw = versions.of_audit(ctx, s, audit)
        now = utcnow()
        if judgement is not None:
            set_moderator_judgement(ctx, s, m, check_judgement(fw, judgement), now)
        mine = moderator_answers(s, m.id)
        missing = [q.id for q in fw.applicable_questions(audit.case_type) if q.id not in mine]
        if missing:
            fields = {"id": m.id, "questions": ", ".join(missing[:3]), "n": len(missing) - 3}
            if len(missing) > 3:
                raise UserError(
                    _(
                        "cannot submit moderation {id}: not answered: {questions} (and {n} more)"
                    ).format(**fields)
                )
            raise UserError(
                _("cannot submit moderation {id}: not answered: {questions}").format(**fields)
            )
        if m.moderator_judgement is None:
            raise UserError(
                _("cannot submit moderation {id}: give the moderator's judgement").format(id=m.id)
            )
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
        return summary_of(m)


def cancel_moderation(ctx: AppContext, moderation_id: int, reason: str) -> None:
    """Withdraw a moderation that has not been agreed (a wrong pick, a moderator away)."""
    if not reason or not reason.strip():
        raise UserError(_("give a reason for cancelling a moderation"))
    with ctx.db.write() as s:
        m = load_moderation(s, moderation_id)
        if m.status == "agreed":
            raise UserError(
                _("moderation {id} is agreed: its agreed answers are on record").format(id=m.id)
            )
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


def comparison(ctx: AppContext, moderation_id: int) -> Comparison:
    """Both gradings side by side; refused while the moderation is still blind."""
    with ctx.db.read() as s:
        m = load_moderation(s, moderation_id)
        refuse_while_blind(m)
        return comparison_of(ctx, s, m)
