"""Agreeing a moderation: the agreed version of a moderated audit, in one transaction.

The original answers stay untouched (counted=False) beside new kind='agreed' rows
(counted=True), so profiles count the agreed version from then on and the original stays on
record. Which answer is agreed, and whose note it keeps, is decided in domain.moderating.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.moderating import Side, agreed_codes, kept_text
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import check_option, question_in
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.services.moderation_rules import (
    answers_of,
    check_judgement,
    comparison_of,
    load_moderation,
    moderator_answers,
    refuse_while_blind,
)
from audit_tui.services.moderation_schemas import AgreeIn, Comparison
from audit_tui.store.models import Answer, Audit, Moderation, ModerationAnswer, utcnow


def _side(row: Answer | ModerationAnswer | None) -> Side | None:
    if row is None:
        return None
    return Side(row.answer, row.note, row.na_reason if isinstance(row, Answer) else None)


def _refuse_unless_agreeable(ctx: AppContext, m: Moderation) -> None:
    refuse_while_blind(m)
    if m.status == "agreed":
        raise UserError(_("moderation {id} is already agreed").format(id=m.id))
    # Separation of duties: the agreed version is never settled by the audit's own auditor.
    if " ".join(ctx.me.split()).lower() == m.audit.auditor.name.lower():
        raise UserError(
            _(
                "moderation {id} is of your own audit: the moderator or the QA lead records "
                "the agreement, not the auditor"
            ).format(id=m.id)
        )


class _Agreeing:
    """One agreement being written: the audit, its framework version, both sides' answers."""

    def __init__(
        self, ctx: AppContext, s: Session, m: Moderation, comment: str, now: datetime
    ) -> None:
        self.ctx, self.s, self.m, self.comment, self.now = ctx, s, m, comment, now
        self.audit: Audit = m.audit
        self.fw: Framework = versions.of_audit(ctx, s, self.audit)
        self.originals = answers_of(self.audit, "original")
        self.mine = moderator_answers(s, m.id)

    def chosen(self, given: dict[str, str]) -> dict[str, str]:
        for qid in given:
            question_in(self.fw, self.audit, qid)  # unknown or not applicable: a clear error
        return agreed_codes(
            self.fw.applicable_questions(self.audit.case_type),
            given,
            {k: a.answer for k, a in self.originals.items()},
            {k: a.answer for k, a in self.mine.items()},
        )

    def log(
        self,
        action: str,
        kind: str,
        row_id: int | None,
        field: str,
        new: str,
        old: str | None = None,
        reason: str | None = None,
    ) -> None:
        log_event(
            self.s,
            self.ctx.actor,
            action,
            kind,
            row_id,
            audit_id=self.audit.id,
            field=field,
            old=old,
            new=new,
            reason=reason,
            at=self.now,
        )

    def add_answer(self, qid: str, code: str) -> None:
        """The agreed answer to one question, with the note of whichever side gave it."""
        q = self.fw.question(qid)
        option = check_option(self.fw, q, code)
        o = self.originals.get(qid)
        note, na_reason = kept_text(option.code, _side(o), _side(self.mine.get(qid)))
        row = Answer(
            audit_id=self.audit.id,
            question_id=qid,
            section_id=self.fw.section_of(qid).id,
            kind="agreed",
            counted=True,
            answer=option.code,
            points=option.points,
            weight=q.weight,
            critical=q.critical,
            note=note,
            na_reason=na_reason if option.is_na else None,
            answered_at=self.now,
            updated_at=self.now,
        )
        self.s.add(row)
        if o is not None:
            o.counted = False
        self.s.flush()
        self.log(
            "moderate_agree",
            "answer",
            row.id,
            field=qid,
            old=o.answer if o else None,
            new=option.code,
            reason=self.comment,
        )
        # The note and reason it keeps are in the log as the agreed answer's own.
        for column, value in (("note", row.note), ("na_reason", row.na_reason)):
            if value is not None:
                self.log(column, "answer", row.id, field=qid, new=value)

    def count_out_inapplicable(self) -> None:
        # An original answer to a question no longer applicable stays counted-out too, so
        # profiles never mix agreed and unmoderated answers on one audit.
        applicable = {q.id for q in self.fw.applicable_questions(self.audit.case_type)}
        for qid, o in self.originals.items():
            if qid not in applicable and o.counted:
                o.counted = False

    def settle(self, judgement: str) -> None:
        audit, m = self.audit, self.m
        self.log(
            "moderate_agree",
            "audit",
            audit.id,
            field="moderated_judgement",
            old=audit.moderated_judgement,
            new=judgement,
            reason=self.comment,
        )
        audit.moderated_judgement = judgement
        audit.updated_at = self.now
        m.agreed_judgement = judgement
        m.comment = self.comment
        m.agreed_at = self.now
        m.status = "agreed"
        self.s.flush()
        self.log(
            "moderate_agreed",
            "moderation",
            m.id,
            field="agreed_judgement",
            new=judgement,
            reason=self.comment,
        )


def agree(ctx: AppContext, moderation_id: int, request: AgreeIn) -> Comparison:
    """Record the agreed version. A question left out of the request's answers keeps the
    answer auditor and moderator share; where they differ it must be given."""
    comment = (request.comment or "").strip()
    if not comment:
        raise UserError(_("give a comment recording how the agreement was reached"))
    with ctx.db.write() as s:
        m = load_moderation(s, moderation_id)
        _refuse_unless_agreeable(ctx, m)
        work = _Agreeing(ctx, s, m, comment, utcnow())
        judgement = check_judgement(work.fw, request.judgement)
        for qid, code in work.chosen(request.answers).items():
            work.add_answer(qid, code)
        work.count_out_inapplicable()
        work.settle(judgement)
        s.refresh(work.audit)
        return comparison_of(ctx, s, m)
