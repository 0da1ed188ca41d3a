"""Audit use cases: start, answer, review, finalise, amend. A finalised audit changes only
through `amend`, with a reason, and every change is in the event log. The rules they share
with the other services are in services.audit_rules; how an audit is shown, in
services.audit_views."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm.exc import StaleDataError

from audit_tui.domain.audit_record import (
    START_COLUMNS,
    finalise_values,
    finalised_columns,
    start_values,
)
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.review import Scorable, review_figures, score_answers
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import Conflict as Conflict
from audit_tui.services.audit_rules import (
    answer_out,
    audit_framework,
    case_values,
    check_option,
    counted_answers_of,
    draft_audit,
    edit_summary,
    load_audit,
    original_answers_of,
    question_in,
    refuse_if_blind,
    set_logged,
    touch,
)
from audit_tui.services.audit_views import audit_detail, list_audits
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.directory import find_team, get_or_create_worker
from audit_tui.services.draft_moves import draft_move as draft_move
from audit_tui.services.draft_moves import move_draft as move_draft
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import (
    Amend,
    AnswerIn,
    AnswerOut,
    AuditDetail,
    AuditSummary,
    Finalise,
    MissingItem,
    NewAudit,
    NoteIn,
    Review,
    SummaryIn,
)
from audit_tui.store.models import Answer, Audit, Case, RoundCase, Worker, utcnow


class FinaliseRefused(UserError):
    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        first = "; ".join(
            f"{m.question_id}: {m.problem}" if m.question_id else m.problem for m in missing[:3]
        )
        if len(missing) > 3:
            message = _("cannot finalise: {first} (and {n} more)").format(
                first=first, n=len(missing) - 3
            )
        else:
            message = _("cannot finalise: {first}").format(first=first)
        super().__init__(message)


def _review(fw: Framework, audit: Audit, answers: Mapping[str, Scorable]) -> Review:
    return score_answers(fw, audit.id, audit.case_type, answers)


# --- use cases -----------------------------------------------------------------------------


def start_audit(ctx: AppContext, new: NewAudit) -> AuditDetail:
    fw = ctx.frameworks.get(new.framework_id)
    if new.case_type not in fw.case_type_codes:
        covered = ", ".join(fw.case_type_codes)
        raise UserError(
            _(
                "framework {framework} does not cover case type '{case_type}' (it covers: {covered})"
            ).format(framework=fw.id, case_type=new.case_type, covered=covered)
        )
    with ctx.db.write() as s:
        demo = refuse_real_work_in_demo(ctx, s, _("starting an audit"))
        now = utcnow()
        # The version is stored before the audit that uses it; a file that conflicts with a
        # stored version is refused here, with one line.
        versions.store(ctx, s, fw)
        team = find_team(s, new.team)
        if team.is_demo and not demo:
            raise UserError(
                _(
                    "team '{team}' is demo data: file a real audit under a real team "
                    "(add one with ctrl+t, or import your case list)"
                ).format(team=team.name)
            )
        auditor = get_or_create_worker(ctx, s, new.auditor, auditor=True)
        if auditor.left_on is not None:
            raise UserError(
                _(
                    "{name} left on {date}: a leaver gets no new audits (choose another auditor)"
                ).format(name=auditor.name, date=auditor.left_on.isoformat())
            )
        holder = get_or_create_worker(ctx, s, new.case_holder, team) if new.case_holder else None
        case = s.execute(select(Case).where(Case.reference == new.case_reference)).scalar()
        if case is not None and case.is_demo and not demo:
            raise UserError(
                _("case {case} is demo data: a real audit needs a real case reference").format(
                    case=case.reference
                )
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
            new=start_values(
                {c: getattr(audit, c) for c in (*START_COLUMNS, "is_demo")},
                case=case.reference,
                team=team.name,
                holder=holder.name if holder else None,
                auditor=auditor.name,
            ),
            at=now,
        )
        if new.round_case_id is not None:
            rc = s.get(RoundCase, new.round_case_id)
            if rc is None:
                raise UserError(_("no assigned case {id}").format(id=new.round_case_id))
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
        return audit_detail(ctx, s, audit)


def get_audit(ctx: AppContext, audit_id: int) -> AuditDetail:
    with ctx.db.read() as s:
        audit = load_audit(s, audit_id)
        refuse_if_blind(ctx, s, audit)
        return audit_detail(ctx, s, audit)


def record_answer(ctx: AppContext, audit_id: int, ans: AnswerIn) -> AnswerOut:
    """Validate and commit one answer at once. Returns what was stored."""
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
        fw = audit_framework(ctx, s, audit)
        q = question_in(fw, audit, ans.question_id)
        option = check_option(fw, q, ans.answer)
        row = original_answers_of(audit).get(q.id)
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
        touch(audit, now)
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
        # after it in the same transaction (a reason goes when the answer is no longer "not
        # applicable"; a note given as None or blank is cleared, one left out stays).
        if "note" in ans.model_fields_set:
            set_logged(ctx, s, audit, row, "note", ans.note, now)
        reason = (ans.na_reason or row.na_reason) if option.is_na else None
        set_logged(ctx, s, audit, row, "na_reason", reason, now)
        return answer_out(row)


def record_note(ctx: AppContext, audit_id: int, change: NoteIn) -> AnswerOut:
    """Set the note (and N/A reason) on an answered question. Use initials, never names."""
    question_id = change.question_id
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
        fw = audit_framework(ctx, s, audit)
        q = question_in(fw, audit, question_id)
        row = original_answers_of(audit).get(q.id)
        if row is None:
            raise UserError(_("answer question {q} before adding a note").format(q=question_id))
        now = utcnow()
        changed = set_logged(ctx, s, audit, row, "note", (change.note or "").strip() or None, now)
        if change.na_reason is not None:
            reason = change.na_reason.strip() or None
            if row.points is not None and reason:
                raise UserError(_("{q} is not answered 'not applicable'").format(q=question_id))
            changed = set_logged(ctx, s, audit, row, "na_reason", reason, now) or changed
        if changed:
            row.updated_at = now
            touch(audit, now)
        s.flush()
        return answer_out(row)


def update_summary(ctx: AppContext, audit_id: int, summary: SummaryIn) -> None:
    """A draft's strengths and areas for development (a field left None stays as it is)."""
    with ctx.db.write() as s:
        edit_summary(
            ctx,
            s,
            draft_audit(s, audit_id),
            summary.strengths,
            summary.areas_for_development,
            utcnow(),
        )


def review(ctx: AppContext, audit_id: int) -> Review:
    """Scores per section with n, critical failures, the suggested judgement, what is missing."""
    with ctx.db.read() as s:
        audit = load_audit(s, audit_id)
        refuse_if_blind(ctx, s, audit)
        return _review(audit_framework(ctx, s, audit), audit, counted_answers_of(audit))


def _finalise_problems(
    fw: Framework, audit: Audit, rv: Review, data: Finalise
) -> list[MissingItem]:
    """What stops this draft being finalised with `data`: its review's missing answers, a
    judgement off the scale or differing from the suggestion without a reason, an open
    safeguarding concern not yet escalated."""
    missing = list(rv.missing)
    if data.judgement not in fw.judgements.codes:
        missing.append(
            MissingItem(
                question_id=None,
                problem=_("judgement '{judgement}' is not one of {codes}").format(
                    judgement=data.judgement, codes=", ".join(fw.judgements.codes)
                ),
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
                problem=_(
                    "give a reason for judging {judgement} when the suggestion is {suggested}"
                ).format(
                    judgement=fw.judgements.label(data.judgement),
                    suggested=fw.judgements.label(rv.suggested_judgement),
                ),
            )
        )
    if audit.concern_open and not audit.escalated_to:
        missing.append(
            MissingItem(
                question_id=None,
                problem=_("a safeguarding concern is open: record the escalation first"),
            )
        )
    return missing


def finalise(ctx: AppContext, audit_id: int, data: Finalise) -> AuditDetail:
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
        fw = audit_framework(ctx, s, audit)
        rv = _review(fw, audit, counted_answers_of(audit))
        missing = _finalise_problems(fw, audit, rv, data)
        if missing:
            raise FinaliseRefused(missing)
        now = utcnow()
        edit_summary(ctx, s, audit, data.strengths, data.areas_for_development, now)
        figures = review_figures(rv)
        for column, value in finalised_columns(
            figures, data.judgement, data.judgement_reason, now
        ).items():
            setattr(audit, column, value)
        s.flush()
        answers = {a.question_id: a.answer for a in audit.answers if a.kind == "original"}
        log_event(
            s,
            ctx.actor,
            "finalise",
            "audit",
            audit.id,
            audit_id=audit.id,
            old="draft",
            new=finalise_values(figures, data.judgement, answers),
            reason=data.judgement_reason,
            at=now,
        )
        return audit_detail(ctx, s, audit)


def amend(ctx: AppContext, audit_id: int, change: Amend) -> AuditDetail:
    """Change a finalised audit: an answer, a note or the judgement, with a logged reason."""
    try:
        with ctx.db.write() as s:
            audit = load_audit(s, audit_id)
            if audit.status != "finalised":
                raise UserError(
                    _("audit {id} is a draft: change it directly, not by amend").format(id=audit_id)
                )
            if audit.moderated_judgement is not None:
                # The agreed (moderated) version is what counts; amending the superseded
                # original would change nothing visible and confuse the record.
                raise UserError(
                    _(
                        "audit {id} has been moderated and the agreed version counts: "
                        "ask the QA lead to moderate it again rather than amend it"
                    ).format(id=audit_id)
                )
            if change.expected_version is not None and change.expected_version != audit.version:
                raise Conflict(
                    _(
                        "audit {id} was changed by someone else since you opened it "
                        "(reopen it to see their change)"
                    ).format(id=audit_id)
                )
            fw = audit_framework(ctx, s, audit)
            now = utcnow()
            if change.question_id is not None:
                q = question_in(fw, audit, change.question_id)
                row = original_answers_of(audit).get(q.id)
                if row is None:
                    raise UserError(_("question {q} has no answer to amend").format(q=q.id))
                if change.answer is not None:
                    option = check_option(fw, q, change.answer)
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
            rv = _review(fw, audit, counted_answers_of(audit))
            judgement, reason = audit.judgement, audit.judgement_reason
            if change.judgement is not None:
                if change.judgement not in fw.judgements.codes:
                    raise UserError(
                        _("judgement '{judgement}' is not on {scale}").format(
                            judgement=change.judgement, scale=fw.judgement_scale
                        )
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
            touch(audit, now)
            s.flush()
            return audit_detail(ctx, s, audit)
    except StaleDataError:
        raise Conflict(
            _(
                "audit {id} was amended by someone else at the same time; your change was "
                "not saved - reopen the audit and apply it again"
            ).format(id=audit_id)
        ) from None


def delete_draft(ctx: AppContext, audit_id: int) -> None:
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
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


def list_drafts(
    ctx: AppContext, auditor: str | None = None, limit: int | None = 50
) -> list[AuditSummary]:
    # 'draft' written into the statement, not bound: only then may SQLite's planner read the
    # newest drafts from the partial index ix_audits_drafts (a bound value could be anything).
    where = [Audit.status == literal_column("'draft'")]
    if auditor:
        where.append(Audit.auditor.has(func.lower(Worker.name) == auditor.lower()))
    return list_audits(ctx, *where, order=[Audit.updated_at.desc()], limit=limit)


def list_finalised(ctx: AppContext, limit: int | None = 20) -> list[AuditSummary]:
    return list_audits(
        ctx,
        Audit.status == "finalised",
        order=[Audit.finalised_at.desc(), Audit.id.desc()],
        limit=limit,
    )


def take_over(ctx: AppContext, audit_id: int) -> AuditDetail:
    """Carry on someone else's draft as its auditor (the person using the tool): logged with
    whose it was, so the record says who did which part."""
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
        me = get_or_create_worker(ctx, s, ctx.me, auditor=True)
        if me.left_on is not None:
            raise UserError(
                _("{name} left on {date}: no new work").format(
                    name=me.name, date=me.left_on.isoformat()
                )
            )
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
            touch(audit, now)
            s.flush()
            s.refresh(audit)
        return audit_detail(ctx, s, audit)
