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

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import refuse_if_blind
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import check_entries
from audit_tui.services.integrity import audit_problems, snapshot
from audit_tui.services.logkey import keyring_of
from audit_tui.store.models import Audit, Event

# What each logged action did, in words. {q} is the question id the entry is about. Marked
# here and translated when a history is read (audit_history), in the language of the reader.
_WHAT = {
    "start": N_("Started the audit"),
    "answer": N_("Answered {q}"),
    "note": N_("Note on {q}"),
    "na_reason": N_("Reason {q} does not apply"),
    "edit": N_("Changed the {field}"),
    "finalise": N_("Finalised the audit"),
    "amend": N_("Amended {q}"),
    "amend_note": N_("Amended the note on {q}"),
    "move_version": N_("Moved the draft to another framework version"),
    "raise_concern": N_("Safeguarding concern: {field}"),
    "escalate": N_("Escalated the concern: {field}"),
    "acknowledge": N_("Escalation acknowledged: {field}"),
    "withdraw_concern": N_("Safeguarding concern withdrawn"),
    "practitioner_response": N_("Practitioner's response recorded"),
    "request": N_("Selected for moderation"),
    "moderate_answer": N_("Moderator answered {q} (blind)"),
    "moderate_judgement": N_("Moderator's own judgement"),
    "moderate_submit": N_("Moderator submitted the blind answers"),
    "moderate_agree": N_("Agreed at moderation: {q}"),
    "moderate_agreed": N_("Moderation agreed"),
    "cancel": N_("Moderation cancelled"),
    "create": N_("Action added"),
    "done": N_("Action done"),
    "not_needed": N_("Action not needed"),
    "reaudit": N_("Re-audit started"),
    "link": N_("Started from its audit round assignment"),
    "unlink": N_("Its audit round assignment freed"),
    "moderate_note": N_("Moderator's note on {q} (blind)"),
    "delete_draft": N_("Draft deleted"),
    "take_over": N_("Taken over from its auditor"),
}
_FIELDS = {
    "strengths": N_("strengths"),
    "areas_for_development": N_("areas for development"),
    "judgement": N_("judgement"),
    "moderated_judgement": N_("agreed judgement"),
    "framework_version": N_("framework version"),
    "judgement_reason": N_("reason for the judgement"),
    "agreed_judgement": N_("agreed judgement"),
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
            return _("{old} -> (removed)").format(old=self.old)
        return ""


class AuditHistory(BaseModel):
    audit_id: int
    case_reference: str
    entries: list[HistoryEntry]
    problems: list[str]  # what the log check found wrong; empty when intact

    def lines(self) -> list[str]:
        """The history as text: one line per change (and one for its reason), then the
        verdict on the log."""
        out = [
            _("History of audit {id} ({case}), times in UTC:").format(
                id=self.audit_id, case=self.case_reference
            )
        ]
        for e in self.entries:
            change = f": {e.change}" if e.change else ""
            out.append(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor}  {e.what}{change}")
            if e.reason:
                out.append(f"{'':19}  " + _("reason: {reason}").format(reason=e.reason))
        out.append(self.verdict)
        return out

    @property
    def verdict(self) -> str:
        if not self.problems:
            n = len(self.entries)
            return ngettext(
                "Log intact: {n} entry for this audit, each matching its hash and its place "
                "in the chain; the audit matches its log.",
                "Log intact: {n} entries for this audit, each matching its hash and its place "
                "in the chain; the audit matches its log.",
                n,
            ).format(n=n)
        return _("LOG NOT INTACT: {n} problem(s) - {problems}").format(
            n=len(self.problems), problems="; ".join(self.problems[:3])
        )


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
            ("framework", N_("framework {value}")),
            ("case", N_("case {value}")),
            ("team", N_("team {value}")),
            ("case_holder", N_("case-holder {value}")),
            ("auditor", N_("auditor {value}")),
            ("audit_date", N_("dated {value}")),
        )
        return ", ".join(
            _(word).format(value=value[k]) for k, word in words if value.get(k) is not None
        )
    if isinstance(value, dict) and e.action == "finalise":
        label = fw.judgements.label if fw is not None else str
        pct = value.get("percent_met")
        n = len(value.get("answers", {}))
        return ngettext(
            "judgement {judgement} (suggested {suggested}, {percent} met), {n} answer",
            "judgement {judgement} (suggested {suggested}, {percent} met), {n} answers",
            n,
        ).format(
            judgement=label(value.get("judgement")),
            suggested=label(value.get("suggested")),
            percent=_("no data") if pct is None else i18n.format_percent(pct, 1),
            n=n,
        )
    return _words(value)


def _what(e: Event) -> str:
    known = _WHAT.get(e.action)
    template = _(known) if known else e.action.replace("_", " ").capitalize()
    named = _FIELDS.get(e.field or "")
    field = _(named) if named else (e.field or "").replace("_", " ")
    what = template.format(q=e.field or "", field=field)
    if e.action == "amend" and e.entity == "audit":
        what = _("Amended the {field}").format(field=field)
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
            raise UserError(_("no audit {id}").format(id=audit_id))
        refuse_if_blind(ctx, s, audit)
        try:
            fw: Framework | None = versions.of_audit(ctx, s, audit)
        except UserError:
            fw = None  # values are shown as logged
        lang = i18n.current()
        if fw is not None and lang != i18n.DEFAULT and lang in i18n.LANGUAGES:
            # Answers and grades in the reader's language, from the framework's own words.
            fw = fw.shown_in(lang)
        events = _entries(s, audit_id)
        key = keyring_of(ctx.db).status(s)
        problems = [
            _("event {entry}: {problem}").format(entry=b.event_id, problem=b.problem)
            for b in check_entries(s, events, key)
        ]
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
