"""Actions: what must change on a case after an audit, tracked to done, and re-audits.

An action comes from an answer short of full marks (question_id) or from the audit as a whole. It
may ask for a re-audit by a date; the re-audit is a new audit whose previous_audit_id points
back, so the change in grade is visible. Actions are not changes to an audit's answers, so a
finalised audit takes them without an amendment.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from audit_tui.domain import wording
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.periods import Period, period_filter
from audit_tui.i18n import _
from audit_tui.services import audits
from audit_tui.services import framework_versions as versions
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import AuditDetail, NewAudit, PlainName
from audit_tui.store.models import Action, Answer, Audit, Case, Team, Worker, utcnow

ACTIONABLE = ("not_met", "partly")  # option kinds an action may come from


class NewAction(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    audit_id: int
    description: str = Field(min_length=1)
    owner: PlainName = Field(min_length=1, max_length=120)
    due_date: date
    question_id: str | None = None
    reaudit_by: date | None = None

    @field_validator("question_id")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        return v or None


class ActionOut(BaseModel):
    id: int
    audit_id: int
    case_reference: str
    team: str
    question_id: str | None
    description: str
    owner: str
    due_date: date
    status: str
    status_reason: str | None
    reaudit_by: date | None
    reaudit_audit_id: int | None
    created_at: datetime
    closed_at: datetime | None
    overdue: bool  # open and due before today


class ReauditIn(BaseModel):
    """The re-audit's own details; the case, case type, team and case-holder default to the
    first audit's."""

    model_config = ConfigDict(str_strip_whitespace=True)

    auditor: PlainName = Field(min_length=1, max_length=120)
    audit_date: date
    framework_id: str | None = None
    case_holder: PlainName | None = None


class ReauditOutcome(BaseModel):
    action_id: int
    previous_audit_id: int
    previous_judgement: str | None  # the moderated grade where there is one
    previous_percent_met: float | None
    reaudit_audit_id: int | None
    reaudit_status: str | None
    reaudit_judgement: str | None  # None until the re-audit is finalised
    reaudit_percent_met: float | None
    grade_change: int | None  # grades moved: > 0 better, < 0 worse, 0 the same
    percent_change: float | None


class ActionRow(BaseModel):
    """One row of the Actions sheet of the export."""

    action_id: int
    audit_id: int
    framework_id: str
    case_reference: str
    team: str
    auditor: str
    audit_date: date
    question_id: str | None
    question_text: str | None
    description: str
    owner: str
    due_date: date
    status: str
    status_reason: str | None
    overdue: bool
    reaudit_by: date | None
    reaudit_audit_id: int | None
    created_at: datetime
    closed_at: datetime | None


def owned_by(action: ActionOut, person: str) -> bool:
    """Whether `person` owns the action (names compared as people write them)."""
    return " ".join(action.owner.split()).lower() == " ".join(person.split()).lower()


# --- helpers --------------------------------------------------------------------------------


def _load(s: Session, action_id: int) -> Action:
    action = s.get(Action, action_id)
    if action is None:
        raise UserError(_("no action {id}").format(id=action_id))
    return action


def _out(action: Action, ref: str, team: str, today: date) -> ActionOut:
    return ActionOut(
        id=action.id,
        audit_id=action.audit_id,
        case_reference=ref,
        team=team,
        question_id=action.question_id,
        description=action.description,
        owner=action.owner,
        due_date=action.due_date,
        status=action.status,
        status_reason=action.status_reason,
        reaudit_by=action.reaudit_by,
        reaudit_audit_id=action.reaudit_audit_id,
        created_at=action.created_at,
        closed_at=action.closed_at,
        overdue=action.status == "open" and action.due_date < today,
    )


def _one(s: Session, action: Action, today: date) -> ActionOut:
    audit = s.get(Audit, action.audit_id)
    assert audit is not None  # a foreign key guarantees it
    return _out(action, audit.case.reference, audit.team.name, today)


def _list(ctx: AppContext, *where, today: date | None = None) -> list[ActionOut]:  # type: ignore[no-untyped-def]
    today = today or ctx.today()
    q = (
        select(Action, Case.reference, Team.name)
        .join(Audit, Audit.id == Action.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .where(*where)
        .order_by(Action.due_date, Action.id)
    )
    with ctx.db.read() as s:
        return [_out(a, ref, team, today) for a, ref, team in s.execute(q)]


def _open(action: Action) -> None:
    if action.status != "open":
        status = {"done": _("done"), "not_needed": _("not needed")}.get(
            action.status, action.status
        )
        raise UserError(_("action {id} is already {status}").format(id=action.id, status=status))


# --- use cases ------------------------------------------------------------------------------


def create_action(ctx: AppContext, new: NewAction) -> ActionOut:
    with ctx.db.write() as s:
        audit = s.get(Audit, new.audit_id)
        if audit is None:
            raise UserError(_("no audit {id}").format(id=new.audit_id))
        if new.question_id is not None:
            fw = versions.of_audit(ctx, s, audit)
            if not fw.has_question(new.question_id):
                raise UserError(
                    _("question '{question}' is not in framework {framework}").format(
                        question=new.question_id, framework=fw.id
                    )
                )
            q = fw.question(new.question_id)
            # The counted answer: the agreed one once the audit has been moderated.
            row = s.execute(
                select(Answer).where(
                    Answer.audit_id == audit.id,
                    Answer.question_id == q.id,
                    Answer.counted.is_(True),
                )
            ).scalar()
            option = fw.option(q, row.answer) if row is not None else None
            if option is None or option.kind not in ACTIONABLE:
                fields = {"answers": wording.short_of_met_words(fw), "q": q.id, "id": audit.id}
                if row is None:
                    raise UserError(
                        _(
                            "an action comes from an answer short of full marks ({answers}): "
                            "{q} on audit {id} is not answered"
                        ).format(**fields)
                    )
                raise UserError(
                    _(
                        "an action comes from an answer short of full marks ({answers}): "
                        "{q} on audit {id} is answered '{answer}'"
                    ).format(answer=row.answer, **fields)
                )
        refuse_real_work_in_demo(ctx, s, _("adding an action"))  # after the request's checks
        action = Action(
            audit_id=audit.id,
            question_id=new.question_id,
            description=new.description,
            owner=new.owner,
            due_date=new.due_date,
            status="open",
            reaudit_by=new.reaudit_by,
            created_at=utcnow(),
        )
        s.add(action)
        s.flush()
        log_event(
            s,
            ctx.actor,
            "create",
            "action",
            action.id,
            audit_id=audit.id,
            field=new.question_id,
            new=new.model_dump(mode="json", exclude={"audit_id"}),
            at=action.created_at,
        )
        return _out(action, audit.case.reference, audit.team.name, ctx.today())


def get_action(ctx: AppContext, action_id: int) -> ActionOut:
    with ctx.db.read() as s:
        return _one(s, _load(s, action_id), ctx.today())


def list_actions(
    ctx: AppContext, *, status: str | None = None, audit_id: int | None = None
) -> list[ActionOut]:
    where = []
    if status is not None:
        where.append(Action.status == status)
    if audit_id is not None:
        where.append(Action.audit_id == audit_id)
    return _list(ctx, *where)


def overdue_actions(ctx: AppContext, today: date | None = None) -> list[ActionOut]:
    """Open actions due before today. An action due today is not yet overdue."""
    day = today or ctx.today()
    return _list(ctx, Action.status == "open", Action.due_date < day, today=day)


def reaudits_due(ctx: AppContext) -> list[ActionOut]:
    """Actions asking for a re-audit that has not been started, soonest first."""
    return _list(
        ctx,
        Action.reaudit_by.is_not(None),
        Action.reaudit_audit_id.is_(None),
        Action.status != "not_needed",
    )


def complete_action(ctx: AppContext, action_id: int) -> ActionOut:
    with ctx.db.write() as s:
        action = _load(s, action_id)
        _open(action)
        action.status = "done"
        action.closed_at = utcnow()
        s.flush()
        log_event(
            s,
            ctx.actor,
            "done",
            "action",
            action.id,
            audit_id=action.audit_id,
            field="status",
            old="open",
            new="done",
            at=action.closed_at,
        )
        return _one(s, action, ctx.today())


def mark_not_needed(ctx: AppContext, action_id: int, reason: str) -> ActionOut:
    clean = (reason or "").strip()
    if not clean:
        raise UserError(_("give a reason why the action is not needed"))
    with ctx.db.write() as s:
        action = _load(s, action_id)
        _open(action)
        action.status = "not_needed"
        action.status_reason = clean
        action.closed_at = utcnow()
        s.flush()
        log_event(
            s,
            ctx.actor,
            "not_needed",
            "action",
            action.id,
            audit_id=action.audit_id,
            field="status",
            old="open",
            new="not_needed",
            reason=clean,
            at=action.closed_at,
        )
        return _one(s, action, ctx.today())


def start_reaudit(ctx: AppContext, action_id: int, details: ReauditIn) -> AuditDetail:
    """Start the re-audit the action asked for: a new draft audit of the same case linked back
    to the first (previous_audit_id) and to the action (reaudit_audit_id)."""
    with ctx.db.read() as s:
        action = _load(s, action_id)
        if action.reaudit_audit_id is not None:
            raise UserError(
                _("action {id} already has its re-audit (audit {audit})").format(
                    id=action.id, audit=action.reaudit_audit_id
                )
            )
        first = s.get(Audit, action.audit_id)
        assert first is not None
        if first.status != "finalised":
            raise UserError(
                _("audit {id} is a draft: finalise it before its re-audit").format(id=first.id)
            )
        if details.audit_date < first.audit_date:
            raise UserError(
                _("a re-audit cannot be dated {date}, before the first audit ({first})").format(
                    date=details.audit_date, first=first.audit_date
                )
            )
        new = NewAudit(
            framework_id=details.framework_id or first.framework_id,
            case_reference=first.case.reference,
            case_type=first.case_type,
            team=first.team.name,
            case_holder=details.case_holder or (first.worker.name if first.worker else None),
            auditor=details.auditor,
            audit_date=details.audit_date,
            previous_audit_id=first.id,
        )
    started = audits.start_audit(ctx, new)
    with ctx.db.write() as s:
        action = _load(s, action_id)
        taken = action.reaudit_audit_id
        if taken is None:
            action.reaudit_audit_id = started.id
            log_event(
                s,
                ctx.actor,
                "reaudit",
                "action",
                action.id,
                audit_id=action.audit_id,
                field="reaudit_audit_id",
                new=started.id,
            )
    if taken is not None:
        # Someone started the re-audit at the same moment: keep theirs, drop ours.
        audits.delete_draft(ctx, started.id)
        raise UserError(
            _("action {id} already has its re-audit (audit {audit})").format(
                id=action_id, audit=taken
            )
        )
    return started


def _counted_percent(s: Session, audit_id: int) -> float | None:
    """Percent met of the counted answers (the agreed ones after moderation), in SQL."""
    num, den = s.execute(
        select(
            func.sum(Answer.weight * Answer.points),
            func.sum(Answer.weight),
        ).where(
            Answer.audit_id == audit_id,
            Answer.counted.is_(True),
            Answer.points.is_not(None),
        )
    ).one()
    return None if not den else 100.0 * float(num or 0) / float(den)


def reaudit_outcome(ctx: AppContext, action_id: int) -> ReauditOutcome:
    with ctx.db.read() as s:
        action = _load(s, action_id)
        first = s.get(Audit, action.audit_id)
        assert first is not None
        fw = versions.of_audit(ctx, s, first)
        prev_grade = first.moderated_judgement or first.judgement
        prev_pct = _counted_percent(s, first.id) if first.status == "finalised" else None
        second = s.get(Audit, action.reaudit_audit_id) if action.reaudit_audit_id else None
        done = second is not None and second.status == "finalised"
        new_grade = (second.moderated_judgement or second.judgement) if done else None  # type: ignore[union-attr]
        new_pct = _counted_percent(s, second.id) if done else None  # type: ignore[union-attr]
        scale = fw.judgements
        grade_change = None
        if prev_grade in scale.codes and new_grade in scale.codes:
            grade_change = scale.rank(prev_grade) - scale.rank(new_grade)
        return ReauditOutcome(
            action_id=action.id,
            previous_audit_id=first.id,
            previous_judgement=prev_grade,
            previous_percent_met=prev_pct,
            reaudit_audit_id=second.id if second else None,
            reaudit_status=second.status if second else None,
            reaudit_judgement=new_grade,
            reaudit_percent_met=new_pct,
            grade_change=grade_change,
            percent_change=(
                new_pct - prev_pct if new_pct is not None and prev_pct is not None else None
            ),
        )


def action_rows(
    ctx: AppContext, framework_id: str | None = None, period: str | Period | None = None
) -> list[ActionRow]:
    """Rows for the Actions sheet: the actions on audits dated in the period."""
    per = period_filter(period)
    today = ctx.today()
    auditor = aliased(Worker)
    q = (
        select(
            Action,
            Audit.framework_id,
            Audit.framework_hash,
            Case.reference,
            Team.name,
            auditor.name,
            Audit.audit_date,
        )
        .join(Audit, Audit.id == Action.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .order_by(Team.name, Action.due_date, Action.id)
    )
    if framework_id is not None:
        q = q.where(Audit.framework_id == framework_id)
    if per is not None:
        q = q.where(Audit.audit_date.between(per.start, per.end))
    out: list[ActionRow] = []
    with ctx.db.read() as s:
        for a, fw_id, fw_hash, ref, team, auditor_name, audit_date in s.execute(q):
            try:
                fw: Framework | None = versions.framework_in(ctx, s, fw_hash)
            except UserError:
                fw = None
            text = (
                fw.question(a.question_id).text
                if fw is not None and a.question_id and fw.has_question(a.question_id)
                else None
            )
            out.append(
                ActionRow(
                    action_id=a.id,
                    audit_id=a.audit_id,
                    framework_id=fw_id,
                    case_reference=ref,
                    team=team,
                    auditor=auditor_name,
                    audit_date=audit_date,
                    question_id=a.question_id,
                    question_text=text,
                    description=a.description,
                    owner=a.owner,
                    due_date=a.due_date,
                    status=a.status,
                    status_reason=a.status_reason,
                    overdue=a.status == "open" and a.due_date < today,
                    reaudit_by=a.reaudit_by,
                    reaudit_audit_id=a.reaudit_audit_id,
                    created_at=a.created_at,
                    closed_at=a.closed_at,
                )
            )
    return out
