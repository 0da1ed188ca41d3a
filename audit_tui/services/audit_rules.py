"""The rules every service that touches an audit applies, in one place: finding the audit (and
locking a draft), its own framework version, which questions it asks and which answers it
takes, its answers that count, blind moderation, and logged changes to an answer's text.
The audit, moderation, profile, history and import services all use these."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.review import score_answers
from audit_tui.domain.scales import AnswerOption
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import AnswerOut, Figures
from audit_tui.store.models import Answer, Audit, Case, Moderation, Worker

# --- finding the audit ------------------------------------------------------------------------


class Conflict(UserError):
    """Someone else changed the audit (or its framework file) at the same time."""


def load_audit(session: Session, audit_id: int, *, lock: bool = False) -> Audit:
    # lock: on PostgreSQL, wait for anyone else changing this audit (SELECT ... FOR UPDATE) so
    # two people answering one draft queue up instead of failing on the version column.
    # SQLite needs no lock: a write transaction there already holds the whole database.
    audit = session.get(Audit, audit_id, with_for_update=lock or None)
    if audit is None:
        raise UserError(_("no audit {id}").format(id=audit_id))
    return audit


def draft_audit(session: Session, audit_id: int) -> Audit:
    """A draft, locked for this write; a finalised audit is refused."""
    audit = load_audit(session, audit_id, lock=True)
    if audit.status != "draft":
        raise UserError(
            _("audit {id} is finalised and locked: change it with amend, giving a reason").format(
                id=audit_id
            )
        )
    return audit


def audit_framework(ctx: AppContext, s: Session, audit: Audit) -> Framework:
    """The audit's own framework version (never the file on disk by id)."""
    return versions.of_audit(ctx, s, audit)


def framework_or_none(ctx: AppContext, s: Session, audit: Audit) -> Framework | None:
    """For lists: an audit whose version cannot be found still lists, without its counts."""
    try:
        return versions.of_audit(ctx, s, audit)
    except UserError:
        return None


# --- questions and answers ------------------------------------------------------------------


def question_in(fw: Framework, audit: Audit, question_id: str) -> Question:
    """A question of `fw` that applies to the audit's case type."""
    if not fw.has_question(question_id):
        raise UserError(
            _("question '{question}' is not in framework {framework}").format(
                question=question_id, framework=fw.id
            )
        )
    q = fw.question(question_id)
    if not fw.applies(q, audit.case_type):
        raise UserError(
            _("question {question} does not apply to {case_type} cases").format(
                question=question_id, case_type=fw.case_type_label(audit.case_type)
            )
        )
    return q


def check_option(fw: Framework, q: Question, answer: str) -> AnswerOption:
    """The option `answer` names on q's scale: refused when the scale has no such answer, or
    it is "not applicable" and q must be answered."""
    option = fw.option(q, answer)
    if option is None:
        codes = ", ".join(o.code for o in fw.scale(q.scale).options)
        raise UserError(
            _("'{answer}' is not an answer to {q} (choose one of: {codes})").format(
                answer=answer, q=q.id, codes=codes
            )
        )
    if option.is_na and not q.na_allowed:
        raise UserError(
            _("question {q} must be answered: not applicable is not allowed").format(q=q.id)
        )
    return option


def counted_answers_of(audit: Audit) -> dict[str, Answer]:
    """The answers that count: the agreed ones where the audit was moderated."""
    return {a.question_id: a for a in audit.answers if a.counted}


def original_answers_of(audit: Audit) -> dict[str, Answer]:
    """The auditor's own answers."""
    return {a.question_id: a for a in audit.answers if a.kind == "original"}


def answer_out(a: Answer) -> AnswerOut:
    return AnswerOut(
        question_id=a.question_id,
        section_id=a.section_id,
        answer=a.answer,
        points=a.points,
        note=a.note,
        na_reason=a.na_reason,
        answered_at=a.updated_at,
    )


def counted_figures(fw: Framework | None, audit: Audit) -> Figures | None:
    """What counts for a finalised audit: the stored figures, or for a moderated audit the
    figures of its agreed answers scored against its own version, with the agreed grade."""
    if audit.status != "finalised":
        return None
    if audit.moderated_judgement is None or fw is None:
        return Figures(
            percent_met=audit.percent_met,
            critical_failures=audit.critical_failures,
            suggested_judgement=audit.suggested_judgement,
            judgement=audit.moderated_judgement or audit.judgement,
        )
    rv = score_answers(fw, audit.id, audit.case_type, counted_answers_of(audit))
    return Figures(
        percent_met=rv.percent_met,
        critical_failures=len(rv.critical_failures),
        suggested_judgement=rv.suggested_judgement,
        judgement=audit.moderated_judgement,
    )


def case_values(case: Case) -> dict[str, object]:
    """A new case as its log entry records it (the columns `db verify` compares)."""
    return {
        "reference": case.reference,
        "case_type": case.case_type,
        "team_id": case.team_id,
        "worker_id": case.worker_id,
        "legal_status": case.legal_status,
        "age_band": case.age_band,
        "open_date": case.open_date,
        "is_demo": bool(case.is_demo),
    }


# --- logged changes ---------------------------------------------------------------------------


def touch(audit: Audit, at: datetime) -> None:
    """The audit's "last changed" time: the time of its last log entry about itself or its
    answers (`db verify` compares the two)."""
    audit.updated_at = at


def set_logged(
    ctx: AppContext,
    s: Session,
    audit: Audit,
    row: Answer,
    field: str,
    value: str | None,
    at: datetime,
) -> bool:
    """Change one text field of an answer, logging the old and new value if it changed.
    Returns whether it did."""
    old = getattr(row, field)
    if value == old:
        return False
    log_event(
        s,
        ctx.actor,
        field,
        "answer",
        row.id,
        audit_id=audit.id,
        field=row.question_id,
        old=old,
        new=value,
        at=at,
    )
    setattr(row, field, value)
    return True


def edit_summary(
    ctx: AppContext,
    s: Session,
    audit: Audit,
    strengths: str | None,
    areas_for_development: str | None,
    now: datetime,
) -> None:
    """Set the strengths and areas for development (None: leave as they are), logging each
    change."""
    for field, value in (
        ("strengths", strengths),
        ("areas_for_development", areas_for_development),
    ):
        if value is None:
            continue
        clean = value.strip() or None
        if clean != getattr(audit, field):
            log_event(
                s,
                ctx.actor,
                "edit",
                "audit",
                audit.id,
                audit_id=audit.id,
                field=field,
                old=getattr(audit, field),
                new=clean,
                at=now,
            )
            setattr(audit, field, clean)
            touch(audit, now)


# --- blind moderation -------------------------------------------------------------------------


def blind_moderations(ctx: AppContext, s: Session, audit_ids: list[int]) -> dict[int, int]:
    """Audit id -> moderation id, for those of `audit_ids` the person using the tool is
    moderating blind (requested, not yet submitted)."""
    if not audit_ids:
        return {}
    rows = s.execute(
        select(Moderation.audit_id, Moderation.id)
        .join(Worker, Worker.id == Moderation.moderator_id)
        .where(
            Moderation.audit_id.in_(audit_ids),
            Moderation.status == "requested",
            func.lower(Worker.name) == " ".join(ctx.actor.split()).lower(),
        )
    )
    return {audit_id: mid for audit_id, mid in rows}


def refuse_if_blind(ctx: AppContext, s: Session, audit: Audit) -> None:
    """Blindness holds in every view, not only the moderator's walk: the moderator of an audit
    still being answered blind cannot open its answers, notes, judgement or history."""
    blind = blind_moderations(ctx, s, [audit.id])
    if blind:
        raise UserError(
            _(
                "you are moderating audit {id} blind (moderation {moderation}): its answers, "
                "notes and judgement stay hidden until you submit your own"
            ).format(id=audit.id, moderation=blind[audit.id])
        )
