"""Audit use cases: start, answer, review, finalise, amend. A finalised audit changes only
through `amend`, with a reason, and every change is in the event log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from audit_tui.domain.case_types import case_type_label
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scoring import (
    ScoredAnswer,
    critical_caps,
    percent_met,
    scored_count,
    suggested_judgement,
)
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.directory import find_team, get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import (
    Amend,
    AnswerIn,
    AnswerOut,
    AuditDetail,
    AuditSummary,
    DraftMove,
    Figures,
    Finalise,
    MissingItem,
    NewAudit,
    Review,
    SectionScore,
)
from audit_tui.store.models import (
    Answer,
    Audit,
    Case,
    Moderation,
    RoundCase,
    Worker,
    utcnow,
)


class FinaliseRefused(UserError):
    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        first = "; ".join(
            f"{m.question_id}: {m.problem}" if m.question_id else m.problem for m in missing[:3]
        )
        more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        super().__init__(f"cannot finalise: {first}{more}")


class Conflict(UserError):
    pass


# --- helpers -------------------------------------------------------------------------------


def _load(session: Session, audit_id: int, *, lock: bool = False) -> Audit:
    # lock: on PostgreSQL, wait for anyone else changing this audit (SELECT ... FOR UPDATE) so
    # two people answering one draft queue up instead of failing on the version column.
    # SQLite needs no lock: a write transaction there already holds the whole database.
    audit = session.get(Audit, audit_id, with_for_update=lock or None)
    if audit is None:
        raise UserError(f"no audit {audit_id}")
    return audit


def _draft(session: Session, audit_id: int) -> Audit:
    audit = _load(session, audit_id, lock=True)
    if audit.status != "draft":
        raise UserError(
            f"audit {audit_id} is finalised and locked: change it with amend, giving a reason"
        )
    return audit


def _question(fw: Framework, audit: Audit, question_id: str) -> Question:
    if not fw.has_question(question_id):
        raise UserError(f"question '{question_id}' is not in framework {fw.id}")
    q = fw.question(question_id)
    if not fw.applies(q, audit.case_type):
        raise UserError(
            f"question {question_id} does not apply to {fw.case_type_label(audit.case_type)} cases"
        )
    return q


def _framework(ctx: AppContext, s: Session, audit: Audit) -> Framework:
    """The audit's own framework version (never the file on disk by id)."""
    return versions.of_audit(ctx, s, audit)


def _framework_or_none(ctx: AppContext, s: Session, audit: Audit) -> Framework | None:
    """For lists: an audit whose version cannot be found still lists, without its counts."""
    try:
        return versions.of_audit(ctx, s, audit)
    except UserError:
        return None


def _check_option(fw: Framework, q: Question, answer: str):  # type: ignore[no-untyped-def]
    option = fw.option(q, answer)
    if option is None:
        codes = ", ".join(o.code for o in fw.scale(q.scale).options)
        raise UserError(f"'{answer}' is not an answer to {q.id} (choose one of: {codes})")
    if option.is_na and not q.na_allowed:
        raise UserError(f"question {q.id} must be answered: not applicable is not allowed")
    return option


def _counted_answers(audit: Audit) -> dict[str, Answer]:
    return {a.question_id: a for a in audit.answers if a.counted}


def _original_answers(audit: Audit) -> dict[str, Answer]:
    return {a.question_id: a for a in audit.answers if a.kind == "original"}


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
    rv = score_answers(fw, audit.id, audit.case_type, _counted_answers(audit))
    return Figures(
        percent_met=rv.percent_met,
        critical_failures=len(rv.critical_failures),
        suggested_judgement=rv.suggested_judgement,
        judgement=audit.moderated_judgement,
    )


def _summary(audit: Audit, fw: Framework | None) -> dict:  # type: ignore[type-arg]
    applicable = len(fw.applicable_questions(audit.case_type)) if fw else 0
    return {
        "id": audit.id,
        "framework_id": audit.framework_id,
        "framework_version": audit.framework_version,
        "framework_hash": audit.framework_hash,
        "case_reference": audit.case.reference,
        "case_type": audit.case_type,
        "case_type_label": fw.case_type_label(audit.case_type)
        if fw
        else case_type_label(audit.case_type),
        "team": audit.team.name,
        "case_holder": audit.worker.name if audit.worker else None,
        "auditor": audit.auditor.name,
        "audit_date": audit.audit_date,
        "status": audit.status,
        "percent_met": audit.percent_met,
        "suggested_judgement": audit.suggested_judgement,
        "judgement": audit.judgement,
        "critical_failures": audit.critical_failures,
        "moderated_judgement": audit.moderated_judgement,
        "counted": counted_figures(fw, audit),
        "answered": len(_original_answers(audit)),
        "applicable": applicable,
        "concern_open": audit.concern_open,
        "escalated_to": audit.escalated_to,
        "escalation_acknowledged": audit.escalation_acknowledged_at is not None,
        "updated_at": audit.updated_at,
        "version": audit.version,
    }


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


def _detail(ctx: AppContext, s: Session, audit: Audit) -> AuditDetail:
    fw = _framework_or_none(ctx, s, audit)
    counted = _counted_answers(audit)
    originals = _original_answers(audit)
    return AuditDetail(
        **_summary(audit, fw),
        judgement_reason=audit.judgement_reason,
        strengths=audit.strengths,
        areas_for_development=audit.areas_for_development,
        answers={qid: answer_out(a) for qid, a in counted.items()},
        original_answers={
            qid: answer_out(o)
            for qid, o in originals.items()
            if qid in counted and counted[qid] is not o and counted[qid].answer != o.answer
        },
        finalised_at=audit.finalised_at,
        escalated_at=audit.escalated_at,
        escalation_note=audit.escalation_note,
        practitioner_response=audit.practitioner_response,
        practitioner_comment=audit.practitioner_comment,
        previous_audit_id=audit.previous_audit_id,
    )


def _touch(audit: Audit, at: datetime) -> None:
    """The audit's "last changed" time: the time of its last log entry about itself or its
    answers (`db verify` compares the two)."""
    audit.updated_at = at


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


# --- use cases -----------------------------------------------------------------------------


def start_audit(ctx: AppContext, new: NewAudit) -> AuditDetail:
    fw = ctx.frameworks.get(new.framework_id)
    if new.case_type not in fw.case_type_codes:
        covered = ", ".join(fw.case_type_codes)
        raise UserError(
            f"framework {fw.id} does not cover case type '{new.case_type}' (it covers: {covered})"
        )
    with ctx.db.write() as s:
        demo = refuse_real_work_in_demo(ctx, s, "starting an audit")
        now = utcnow()
        # The version is stored before the audit that uses it; a file that conflicts with a
        # stored version is refused here, with one line.
        versions.store(ctx, s, fw)
        team = find_team(s, new.team)
        if team.is_demo and not demo:
            raise UserError(
                f"team '{team.name}' is demo data: file a real audit under a real team "
                "(add one with ctrl+t, or import your case list)"
            )
        auditor = get_or_create_worker(ctx, s, new.auditor, auditor=True)
        if auditor.left_on is not None:
            raise UserError(
                f"{auditor.name} left on {auditor.left_on.isoformat()}: a leaver gets no new "
                "audits (choose another auditor)"
            )
        holder = get_or_create_worker(ctx, s, new.case_holder, team) if new.case_holder else None
        case = s.execute(select(Case).where(Case.reference == new.case_reference)).scalar()
        if case is not None and case.is_demo and not demo:
            raise UserError(
                f"case {case.reference} is demo data: a real audit needs a real case reference"
            )
        if case is None:
            case = Case(
                reference=new.case_reference,
                case_type=new.case_type,
                team_id=team.id,
                worker_id=holder.id if holder else None,
                is_demo=demo,
            )
            s.add(case)
            s.flush()
            log_event(s, ctx.actor, "create", "case", case.id, new=case_values(case), at=now)
        audit = Audit(
            framework_id=fw.id,
            framework_version=fw.version,
            framework_hash=fw.content_hash,
            case_id=case.id,
            case_type=new.case_type,
            team_id=team.id,
            worker_id=holder.id if holder else None,
            auditor_id=auditor.id,
            audit_date=new.audit_date,
            status="draft",
            previous_audit_id=new.previous_audit_id,
            is_demo=demo,
            created_at=now,
            updated_at=now,
        )
        s.add(audit)
        s.flush()
        log_event(
            s,
            ctx.actor,
            "start",
            "audit",
            audit.id,
            audit_id=audit.id,
            new=start_values(audit, case.reference, team.name, holder, auditor.name),
            at=now,
        )
        if new.round_case_id is not None:
            rc = s.get(RoundCase, new.round_case_id)
            if rc is None:
                raise UserError(f"no assigned case {new.round_case_id}")
            rc.audit_id = audit.id
            log_event(
                s,
                ctx.actor,
                "link",
                "round_case",
                rc.id,
                audit_id=audit.id,
                field="audit_id",
                new=audit.id,
                at=now,
            )
        s.refresh(audit)
        return _detail(ctx, s, audit)


def start_values(
    audit: Audit, case: str, team: str, holder: Worker | None, auditor: str
) -> dict[str, object]:
    """What a start entry records: the audit's header in full (ids for `db verify`, names
    for its history)."""
    return {
        "framework": f"{audit.framework_id} {audit.framework_version}",
        "case": case,
        "team": team,
        "case_holder": holder.name if holder else None,
        "auditor": auditor,
        "framework_id": audit.framework_id,
        "framework_version": audit.framework_version,
        "framework_hash": audit.framework_hash,
        "case_id": audit.case_id,
        "case_type": audit.case_type,
        "team_id": audit.team_id,
        "worker_id": audit.worker_id,
        "auditor_id": audit.auditor_id,
        "audit_date": audit.audit_date,
        "previous_audit_id": audit.previous_audit_id,
        "is_demo": bool(audit.is_demo),
    }


def _blind_moderations(ctx: AppContext, s: Session, audit_ids: list[int]) -> dict[int, int]:
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
    blind = _blind_moderations(ctx, s, [audit.id])
    if blind:
        raise UserError(
            f"you are moderating audit {audit.id} blind (moderation {blind[audit.id]}): its "
            "answers, notes and judgement stay hidden until you submit your own"
        )


def get_audit(ctx: AppContext, audit_id: int) -> AuditDetail:
    with ctx.db.read() as s:
        audit = _load(s, audit_id)
        refuse_if_blind(ctx, s, audit)
        return _detail(ctx, s, audit)


def record_answer(ctx: AppContext, audit_id: int, ans: AnswerIn) -> AnswerOut:
    """Validate and commit one answer at once. Returns what was stored."""
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        fw = _framework(ctx, s, audit)
        q = _question(fw, audit, ans.question_id)
        option = _check_option(fw, q, ans.answer)
        row = _original_answers(audit).get(q.id)
        old = row.answer if row else None
        now = utcnow()
        if row is None:
            row = Answer(
                audit_id=audit.id,
                question_id=q.id,
                section_id=fw.section_of(q.id).id,
                kind="original",
                counted=True,
                answer=option.code,
                points=option.points,
                weight=q.weight,
                critical=q.critical,
                answered_at=now,
                updated_at=now,
            )
            s.add(row)
        else:
            row.answer = option.code
            row.points = option.points
            row.updated_at = now
        _touch(audit, now)
        s.flush()
        log_event(
            s,
            ctx.actor,
            "answer",
            "answer",
            row.id,
            audit_id=audit.id,
            field=q.id,
            old=old,
            new=option.code,
            at=now,
        )
        # The note and N/A reason given with the answer are changes of their own, logged
        # after it (a reason goes when the answer is no longer "not applicable").
        if ans.note is not None:
            _set_logged(ctx, s, audit, row, "note", ans.note, now)
        reason = (ans.na_reason or row.na_reason) if option.is_na else None
        _set_logged(ctx, s, audit, row, "na_reason", reason, now)
        return answer_out(row)


def _set_logged(
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


def record_note(
    ctx: AppContext,
    audit_id: int,
    question_id: str,
    note: str | None,
    na_reason: str | None = None,
) -> AnswerOut:
    """Set the note (and N/A reason) on an answered question. Use initials, never names."""
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        fw = _framework(ctx, s, audit)
        q = _question(fw, audit, question_id)
        row = _original_answers(audit).get(q.id)
        if row is None:
            raise UserError(f"answer question {question_id} before adding a note")
        now = utcnow()
        changed = _set_logged(ctx, s, audit, row, "note", (note or "").strip() or None, now)
        if na_reason is not None:
            reason = na_reason.strip() or None
            if row.points is not None and reason:
                raise UserError(f"{question_id} is not answered 'not applicable'")
            changed = _set_logged(ctx, s, audit, row, "na_reason", reason, now) or changed
        if changed:
            row.updated_at = now
            _touch(audit, now)
        s.flush()
        return answer_out(row)


def update_summary(
    ctx: AppContext,
    audit_id: int,
    *,
    strengths: str | None = None,
    areas_for_development: str | None = None,
) -> None:
    with ctx.db.write() as s:
        _edit_summary(ctx, s, _draft(s, audit_id), strengths, areas_for_development, utcnow())


def _edit_summary(
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
            _touch(audit, now)


class _Scorable(Protocol):
    answer: str
    points: float | None
    weight: float
    critical: bool
    na_reason: str | None


def _review(fw: Framework, audit: Audit, answers: Mapping[str, _Scorable]) -> Review:
    return score_answers(fw, audit.id, audit.case_type, answers)


def score_answers(
    fw: Framework, audit_id: int, case_type: str, answers: Mapping[str, _Scorable]
) -> Review:
    """Score one audit's answers against one framework version: per section with n, the
    critical failures, the suggested judgement and what is missing."""
    sections: list[SectionScore] = []
    missing: list[MissingItem] = []
    all_scored: list[ScoredAnswer] = []
    criticals: list[str] = []
    for section, questions in fw.applicable_sections(case_type):
        scored: list[ScoredAnswer] = []
        sec_critical: list[str] = []
        for q in questions:
            a = answers.get(q.id)
            if a is None:
                missing.append(MissingItem(question_id=q.id, problem="not answered"))
                continue
            if a.points is None and q.na_reason_required and not a.na_reason:
                missing.append(
                    MissingItem(question_id=q.id, problem="not applicable needs a reason")
                )
            sa = ScoredAnswer(points=a.points, weight=a.weight, cap=fw.critical_cap_of(q, a.answer))
            scored.append(sa)
            if sa.cap is not None:
                sec_critical.append(q.id)
        sections.append(
            SectionScore(
                section_id=section.id,
                title=section.title,
                answered=sum(1 for q in questions if q.id in answers),
                applicable=len(questions),
                scored_n=scored_count(scored),
                percent_met=percent_met(scored),
                critical_failures=sec_critical,
            )
        )
        all_scored.extend(scored)
        criticals.extend(sec_critical)
    pct = percent_met(all_scored)
    return Review(
        audit_id=audit_id,
        sections=sections,
        percent_met=pct,
        scored_n=scored_count(all_scored),
        critical_failures=criticals,
        suggested_judgement=suggested_judgement(fw, pct, critical_caps(all_scored)),
        missing=missing,
    )


def review(ctx: AppContext, audit_id: int) -> Review:
    """Scores per section with n, critical failures, the suggested judgement, what is missing."""
    with ctx.db.read() as s:
        audit = _load(s, audit_id)
        refuse_if_blind(ctx, s, audit)
        return _review(_framework(ctx, s, audit), audit, _counted_answers(audit))


def finalise(ctx: AppContext, audit_id: int, data: Finalise) -> AuditDetail:
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        fw = _framework(ctx, s, audit)
        rv = _review(fw, audit, _counted_answers(audit))
        missing = list(rv.missing)
        if data.judgement not in fw.judgements.codes:
            missing.append(
                MissingItem(
                    question_id=None,
                    problem=f"judgement '{data.judgement}' is not one of {', '.join(fw.judgements.codes)}",
                )
            )
        elif (
            rv.suggested_judgement is not None
            and data.judgement != rv.suggested_judgement
            and not data.judgement_reason
        ):
            missing.append(
                MissingItem(
                    question_id=None,
                    problem=(
                        f"give a reason for judging {fw.judgements.label(data.judgement)} when the "
                        f"suggestion is {fw.judgements.label(rv.suggested_judgement)}"
                    ),
                )
            )
        if audit.concern_open and not audit.escalated_to:
            missing.append(
                MissingItem(
                    question_id=None,
                    problem="a safeguarding concern is open: record the escalation first",
                )
            )
        if missing:
            raise FinaliseRefused(missing)
        now = utcnow()
        _edit_summary(ctx, s, audit, data.strengths, data.areas_for_development, now)
        audit.percent_met = rv.percent_met
        audit.critical_failures = len(rv.critical_failures)
        audit.suggested_judgement = rv.suggested_judgement
        audit.judgement = data.judgement
        audit.judgement_reason = data.judgement_reason
        audit.status = "finalised"
        audit.finalised_at = now
        _touch(audit, now)
        s.flush()
        log_event(
            s,
            ctx.actor,
            "finalise",
            "audit",
            audit.id,
            audit_id=audit.id,
            old="draft",
            new={
                "judgement": data.judgement,
                "suggested": rv.suggested_judgement,
                "percent_met": rv.percent_met,
                "answers": {a.question_id: a.answer for a in audit.answers if a.kind == "original"},
            },
            reason=data.judgement_reason,
            at=now,
        )
        return _detail(ctx, s, audit)


def amend(ctx: AppContext, audit_id: int, change: Amend) -> AuditDetail:
    """Change a finalised audit: an answer, a note or the judgement, with a logged reason."""
    try:
        with ctx.db.write() as s:
            audit = _load(s, audit_id)
            if audit.status != "finalised":
                raise UserError(f"audit {audit_id} is a draft: change it directly, not by amend")
            if audit.moderated_judgement is not None:
                # The agreed (moderated) version is what counts; amending the superseded
                # original would change nothing visible and confuse the record.
                raise UserError(
                    f"audit {audit_id} has been moderated and the agreed version counts: "
                    "ask the QA lead to moderate it again rather than amend it"
                )
            if change.expected_version is not None and change.expected_version != audit.version:
                raise Conflict(
                    f"audit {audit_id} was changed by someone else since you opened it "
                    "(reopen it to see their change)"
                )
            fw = _framework(ctx, s, audit)
            now = utcnow()
            if change.question_id is not None:
                q = _question(fw, audit, change.question_id)
                row = _original_answers(audit).get(q.id)
                if row is None:
                    raise UserError(f"question {q.id} has no answer to amend")
                if change.answer is not None:
                    option = _check_option(fw, q, change.answer)
                    log_event(
                        s,
                        ctx.actor,
                        "amend",
                        "answer",
                        row.id,
                        audit_id=audit.id,
                        field=q.id,
                        old=row.answer,
                        new=option.code,
                        reason=change.reason,
                        at=now,
                    )
                    row.answer, row.points = option.code, option.points
                if change.note is not None:
                    note = change.note.strip() or None
                    log_event(
                        s,
                        ctx.actor,
                        "amend_note",
                        "answer",
                        row.id,
                        audit_id=audit.id,
                        field=q.id,
                        old=row.note,
                        new=note,
                        reason=change.reason,
                        at=now,
                    )
                    row.note = note
                row.updated_at = now
            rv = _review(fw, audit, _counted_answers(audit))
            judgement, reason = audit.judgement, audit.judgement_reason
            if change.judgement is not None:
                if change.judgement not in fw.judgements.codes:
                    raise UserError(
                        f"judgement '{change.judgement}' is not on {fw.judgement_scale}"
                    )
                judgement = change.judgement
                reason = change.judgement_reason or change.reason
            if rv.suggested_judgement is not None and judgement != rv.suggested_judgement:
                reason = reason or change.reason
            # Both logged before either is set: a flush in between would store a judgement
            # without the reason the database requires for it.
            for field, old, value in (
                ("judgement", audit.judgement, judgement),
                ("judgement_reason", audit.judgement_reason, reason),
            ):
                if value != old:
                    log_event(
                        s,
                        ctx.actor,
                        "amend",
                        "audit",
                        audit.id,
                        audit_id=audit.id,
                        field=field,
                        old=old,
                        new=value,
                        reason=change.reason,
                        at=now,
                    )
            audit.judgement, audit.judgement_reason = judgement, reason
            audit.percent_met = rv.percent_met
            audit.critical_failures = len(rv.critical_failures)
            audit.suggested_judgement = rv.suggested_judgement
            _touch(audit, now)
            s.flush()
            return _detail(ctx, s, audit)
    except StaleDataError:
        raise Conflict(
            f"audit {audit_id} was amended by someone else at the same time; your change was "
            "not saved - reopen the audit and apply it again"
        ) from None


def _carry(
    new: Framework, case_type: str, answers: Mapping[str, Answer]
) -> tuple[list[str], list[str]]:
    """Which answers a draft keeps on moving to `new`: those to questions `new` asks for this
    case type whose answer `new` still offers (and allows, for not applicable)."""
    carried, dropped = [], []
    for qid, a in answers.items():
        ok = False
        if new.has_question(qid):
            q = new.question(qid)
            option = new.option(q, a.answer)
            ok = (
                new.applies(q, case_type)
                and option is not None
                and (q.na_allowed or not option.is_na)
            )
        (carried if ok else dropped).append(qid)
    return sorted(carried), sorted(dropped)


def draft_move(ctx: AppContext, audit_id: int) -> DraftMove | None:
    """For a draft whose framework file now holds another version: what moving would carry
    and drop. None for a finalised audit, or when the file is unchanged or gone."""
    with ctx.db.read() as s:
        audit = _load(s, audit_id)
        if audit.status != "draft" or audit.framework_id not in ctx.frameworks:
            return None
        new = ctx.frameworks.get(audit.framework_id)
        if new.content_hash == audit.framework_hash:
            return None
        carried, dropped = _carry(new, audit.case_type, _original_answers(audit))
        return DraftMove(
            audit_id=audit.id,
            framework_id=audit.framework_id,
            from_version=audit.framework_version,
            from_hash=audit.framework_hash,
            to_version=new.version,
            to_hash=new.content_hash,
            carried=carried,
            dropped=dropped,
            refused=versions.conflict(ctx, s, new),
        )


def move_draft(ctx: AppContext, audit_id: int, to_hash: str) -> AuditDetail:
    """Move a draft to the version in its framework file (`to_hash`, as the auditor saw it):
    answers to questions both versions share carry over (taking the new version's section,
    weight and critical flag), the others are removed, and the move is logged with what was
    dropped. Never a mix: the recorded version and hash and every answer are the new one's."""
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        new = (
            ctx.frameworks.get(audit.framework_id) if audit.framework_id in ctx.frameworks else None
        )
        if new is None or new.content_hash != to_hash:
            raise Conflict(
                f"the framework file for {audit.framework_id} changed again: reopen audit "
                f"{audit_id} to see its version now"
            )
        if audit.framework_hash == to_hash:
            return _detail(ctx, s, audit)
        versions.store(ctx, s, new)
        originals = _original_answers(audit)
        carried, dropped = _carry(new, audit.case_type, originals)
        for qid in carried:
            row, q = originals[qid], new.question(qid)
            row.section_id = new.section_of(qid).id
            row.weight, row.critical = q.weight, q.critical
            row.points = new.option(q, row.answer).points  # type: ignore[union-attr]
        for qid in dropped:
            s.delete(originals[qid])
        now = utcnow()
        log_event(
            s,
            ctx.actor,
            "move_version",
            "audit",
            audit.id,
            audit_id=audit.id,
            field="framework_version",
            old={"version": audit.framework_version, "hash": audit.framework_hash},
            new={
                "version": new.version,
                "hash": new.content_hash,
                "carried": len(carried),
                "dropped": {qid: originals[qid].answer for qid in dropped},
            },
            at=now,
        )
        audit.framework_version, audit.framework_hash = new.version, new.content_hash
        _touch(audit, now)
        s.flush()
        s.expire(audit, ["answers"])
        return _detail(ctx, s, audit)


def delete_draft(ctx: AppContext, audit_id: int) -> None:
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        for rc in s.execute(select(RoundCase).where(RoundCase.audit_id == audit.id)).scalars():
            log_event(
                s,
                ctx.actor,
                "unlink",
                "round_case",
                rc.id,
                audit_id=audit.id,
                field="audit_id",
                old=audit.id,
                new=None,
            )
            rc.audit_id = None
        log_event(
            s,
            ctx.actor,
            "delete_draft",
            "audit",
            audit.id,
            audit_id=audit.id,
            old={"case": audit.case.reference, "answers": len(audit.answers)},
        )
        s.delete(audit)


def _list(ctx: AppContext, *where, order, limit: int | None) -> list[AuditSummary]:  # type: ignore[no-untyped-def]
    with ctx.db.read() as s:
        q = select(Audit).where(*where).order_by(*order)
        if limit:
            q = q.limit(limit)
        found = list(s.execute(q).scalars())
        blind = _blind_moderations(ctx, s, [a.id for a in found if a.status == "finalised"])
        out = []
        for audit in found:
            row = AuditSummary(**_summary(audit, _framework_or_none(ctx, s, audit)))
            if audit.id in blind:
                # Listed, but nothing of the grading: its moderator is still answering blind.
                row = row.model_copy(
                    update={
                        "blind": True,
                        "percent_met": None,
                        "suggested_judgement": None,
                        "judgement": None,
                        "critical_failures": 0,
                        "counted": None,
                    }
                )
            out.append(row)
        return out


def list_drafts(
    ctx: AppContext, auditor: str | None = None, limit: int | None = 50
) -> list[AuditSummary]:
    where = [Audit.status == "draft"]
    if auditor:
        where.append(Audit.auditor.has(func.lower(Worker.name) == auditor.lower()))
    return _list(ctx, *where, order=[Audit.updated_at.desc()], limit=limit)


def list_finalised(ctx: AppContext, limit: int | None = 20) -> list[AuditSummary]:
    return _list(
        ctx,
        Audit.status == "finalised",
        order=[Audit.finalised_at.desc(), Audit.id.desc()],
        limit=limit,
    )


def take_over(ctx: AppContext, audit_id: int) -> AuditDetail:
    """Carry on someone else's draft as its auditor (the person using the tool): logged with
    whose it was, so the record says who did which part."""
    with ctx.db.write() as s:
        audit = _draft(s, audit_id)
        me = get_or_create_worker(ctx, s, ctx.me, auditor=True)
        if me.left_on is not None:
            raise UserError(f"{me.name} left on {me.left_on.isoformat()}: no new work")
        if audit.auditor_id != me.id:
            now = utcnow()
            log_event(
                s,
                ctx.actor,
                "take_over",
                "audit",
                audit.id,
                audit_id=audit.id,
                field="auditor_id",
                old={"id": audit.auditor_id, "name": audit.auditor.name},
                new={"id": me.id, "name": me.name},
                at=now,
            )
            audit.auditor_id = me.id
            _touch(audit, now)
            s.flush()
            s.refresh(audit)
        return _detail(ctx, s, audit)
