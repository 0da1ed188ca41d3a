"""An audit's history, read from the event log: every logged change to it in order - when,
who, what changed (old value -> new value, in words) and why - ending with whether the log
entries behind it are intact.

The check is the one `db verify` makes, on this audit's entries: each entry still matches
its hash, is chained to the entry before it and the entry after it is chained to it (so an
entry of this audit changed, removed or slipped in shows), and a finalised audit's answers
and judgement are what its log says they should be.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import refuse_if_blind
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import check_entries
from audit_tui.services.integrity import audit_problems, snapshot
from audit_tui.services.logkey import keyring_of
from audit_tui.store.models import Audit, Event

# What each logged action did, in words. {q} is the question id the entry is about.
_WHAT = {
    "start": "Started the audit",
    "answer": "Answered {q}",
    "note": "Note on {q}",
    "na_reason": "Reason {q} does not apply",
    "edit": "Changed the {field}",
    "finalise": "Finalised the audit",
    "amend": "Amended {q}",
    "amend_note": "Amended the note on {q}",
    "move_version": "Moved the draft to another framework version",
    "raise_concern": "Safeguarding concern: {field}",
    "escalate": "Escalated the concern: {field}",
    "acknowledge": "Escalation acknowledged: {field}",
    "withdraw_concern": "Safeguarding concern withdrawn",
    "practitioner_response": "Practitioner's response recorded",
    "request": "Selected for moderation",
    "moderate_answer": "Moderator answered {q} (blind)",
    "moderate_judgement": "Moderator's own judgement",
    "moderate_submit": "Moderator submitted the blind answers",
    "moderate_agree": "Agreed at moderation: {q}",
    "moderate_agreed": "Moderation agreed",
    "cancel": "Moderation cancelled",
    "create": "Action added",
    "done": "Action done",
    "not_needed": "Action not needed",
    "reaudit": "Re-audit started",
    "link": "Started from its audit round assignment",
    "unlink": "Its audit round assignment freed",
    "moderate_note": "Moderator's note on {q} (blind)",
    "delete_draft": "Draft deleted",
    "take_over": "Taken over from its auditor",
}
_FIELDS = {
    "strengths": "strengths",
    "areas_for_development": "areas for development",
    "judgement": "judgement",
    "moderated_judgement": "agreed judgement",
    "framework_version": "framework version",
    "judgement_reason": "reason for the judgement",
    "agreed_judgement": "agreed judgement",
}
_JUDGEMENT_FIELDS = ("judgement", "moderated_judgement", "moderator_judgement", "agreed_judgement")
_ANSWER_ACTIONS = {"answer", "moderate_answer", "moderate_agree", "amend"}


class HistoryEntry(BaseModel):
    event_id: int
    at: datetime
    actor: str
    what: str
    old: str | None  # the value before, in words (None: nothing before)
    new: str | None
    reason: str | None

    @property
    def change(self) -> str:
        """What changed, in words: "Yes -> No", "No" (nothing before) or "No -> (removed)"."""
        if self.old is not None and self.new is not None:
            return f"{self.old} -> {self.new}"
        if self.new is not None:
            return self.new
        if self.old is not None:
            return f"{self.old} -> (removed)"
        return ""


class AuditHistory(BaseModel):
    audit_id: int
    case_reference: str
    entries: list[HistoryEntry]
    problems: list[str]  # what the log check found wrong; empty when intact

    def lines(self) -> list[str]:
        """The history as text: one line per change (and one for its reason), then the
        verdict on the log."""
        out = [f"History of audit {self.audit_id} ({self.case_reference}), times in UTC:"]
        for e in self.entries:
            change = f": {e.change}" if e.change else ""
            out.append(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor}  {e.what}{change}")
            if e.reason:
                out.append(f"{'':19}  reason: {e.reason}")
        out.append(self.verdict)
        return out

    @property
    def verdict(self) -> str:
        if not self.problems:
            n = len(self.entries)
            return (
                f"Log intact: {n} entr{'y' if n == 1 else 'ies'} for this audit, each matching "
                "its hash and its place in the chain; the audit matches its log."
            )
        return f"LOG NOT INTACT: {len(self.problems)} problem(s) - " + "; ".join(self.problems[:3])


def _shown_key(key: str, value: Any) -> bool:
    """Ids, hashes and flags in an entry are for `db verify`; its history shows the names."""
    return not (
        key.endswith(("_id", "_hash"))
        or key in ("framework_version", "is_demo", "case_type")
        or value is None
    )


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k.replace('_', ' ')} {_words(v)}" for k, v in value.items() if _shown_key(k, v)
        )
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _value(raw: str | None, fw: Framework | None, e: Event) -> str | None:
    """A logged value in words: answer codes as their labels, judgements as theirs."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if isinstance(value, str) and fw is not None:
        if e.action in _ANSWER_ACTIONS and e.field and fw.has_question(e.field):
            option = fw.option(fw.question(e.field), value)
            if option is not None:
                return option.label
        if e.field in _JUDGEMENT_FIELDS:
            return fw.judgements.label(value)
    if isinstance(value, dict) and set(value) == {"id", "name"}:
        return str(value["name"])  # a person or team referred to: by name
    if isinstance(value, dict) and e.action == "start":
        # Older starts logged the first three only.
        words = (
            ("framework", "framework"),
            ("case", "case"),
            ("team", "team"),
            ("case_holder", "case-holder"),
            ("auditor", "auditor"),
            ("audit_date", "dated"),
        )
        return ", ".join(f"{word} {value[k]}" for k, word in words if value.get(k) is not None)
    if isinstance(value, dict) and e.action == "finalise":
        label = fw.judgements.label if fw is not None else str
        pct = value.get("percent_met")
        return (
            f"judgement {label(value.get('judgement'))} (suggested "
            f"{label(value.get('suggested'))}, "
            f"{'no data' if pct is None else f'{pct:.1f}%'} met), "
            f"{len(value.get('answers', {}))} answers"
        )
    return _words(value)


def _what(e: Event) -> str:
    template = _WHAT.get(e.action, e.action.replace("_", " ").capitalize())
    field = _FIELDS.get(e.field or "", (e.field or "").replace("_", " "))
    what = template.format(q=e.field or "", field=field)
    if e.action == "amend" and e.entity == "audit":
        what = f"Amended the {field}"
    if e.entity == "action" and e.field:
        what += f" ({e.field})"
    return what


def _entries(s: Session, audit_id: int) -> list[Event]:
    return list(
        s.execute(select(Event).where(Event.audit_id == audit_id).order_by(Event.id)).scalars()
    )


def audit_history(ctx: AppContext, audit_id: int) -> AuditHistory:
    """Every logged change to the audit, oldest first, and whether its log is intact."""
    with ctx.db.read() as s:
        snapshot(s)
        audit = s.get(Audit, audit_id)
        if audit is None:
            raise UserError(f"no audit {audit_id}")
        refuse_if_blind(ctx, s, audit)
        try:
            fw: Framework | None = versions.of_audit(ctx, s, audit)
        except UserError:
            fw = None  # values are shown as logged
        events = _entries(s, audit_id)
        key = keyring_of(ctx.db).status(s)
        problems = [f"event {b.event_id}: {b.problem}" for b in check_entries(s, events, key)]
        problems += audit_problems(ctx, s, audit_id, key)
        entries = [
            HistoryEntry(
                event_id=e.id,
                at=e.at,
                actor=e.actor,
                what=_what(e),
                old=_value(e.old_value, fw, e),
                new=_value(e.new_value, fw, e),
                reason=e.reason,
            )
            for e in events
        ]
        return AuditHistory(
            audit_id=audit.id,
            case_reference=audit.case.reference,
            entries=entries,
            problems=problems,
        )
