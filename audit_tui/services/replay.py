"""Replaying the event log into the state it says the database holds, row by row.

Every change to the record is an entry about one row: `entity` names the table (audit,
answer, moderation, action, team, worker, case, round, round_case, database) and `entity_id`
the row. The entry either creates the row - `new` holds its column values, as a JSON object
- or changes one column: `field` names it and `new` is its value (answers, whose entries are
about a question, name the question in `field`). A few entries change more than their row,
and say so in full: starting an audit, finalising it (generated data's answers come with
it), moving a draft to another framework version (the answers it drops), agreeing a
moderation (the originals stop counting), deleting a draft or cancelling a moderation (what
goes with it). Times are the entries' own: an answer's time is the time of the entry that
gave it, a finalised audit's the time of its finalise entry.

What the log does not hold is derived: an answer's points, weight, critical flag and section
come from the audit's own framework version (stored by content hash), and an audit's percent
met, critical failures and suggested judgement from its answers scored against that version.

Comparing that state with the stored rows is services.replay_compare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from audit_tui.i18n import N_, _

# --- values ------------------------------------------------------------------------------------


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _int(v: Any) -> int | None:
    if isinstance(v, dict):  # a reference logged with its name: {"id": 3, "name": "North"}
        v = v.get("id")
    if v is None or v == "":
        return None
    return int(v)


def _bool(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1")
    return bool(v)


def _float(v: Any) -> float | None:
    return None if v is None else round(float(v), 9)


def _date(v: Any) -> date | str | None:
    if v is None or (isinstance(v, date) and not isinstance(v, datetime)):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return str(v)


def _time(v: Any) -> datetime | str | None:
    """A time as a naive UTC datetime (SQLite gives naive UTC, PostgreSQL aware times, the
    log ISO text)."""
    if v is None:
        return None
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            return str(v)
    t: datetime = v
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t


T, N, B, F, D, DT = _text, _int, _bool, _float, _date, _time  # kinds of column
Kinds = dict[str, Callable[[Any], Any]]

AUDIT: Kinds = {
    "framework_id": T,
    "framework_version": T,
    "framework_hash": T,
    "case_id": N,
    "case_type": T,
    "team_id": N,
    "worker_id": N,
    "auditor_id": N,
    "audit_date": D,
    "status": T,
    "judgement": T,
    "judgement_reason": T,
    "moderated_judgement": T,
    "strengths": T,
    "areas_for_development": T,
    "previous_audit_id": N,
    "concern_open": B,
    "escalated_to": T,
    "escalated_by": T,
    "escalated_at": DT,
    "escalation_note": T,
    "escalation_acknowledged_at": DT,
    "escalation_acknowledged_by": T,
    "practitioner_response": T,
    "practitioner_comment": T,
    "is_demo": B,
    "created_at": DT,
    "updated_at": DT,
    "finalised_at": DT,
}
FIGURES: Kinds = {"percent_met": F, "critical_failures": N, "suggested_judgement": T}
ANSWER: Kinds = {
    "answer": T,
    "note": T,
    "na_reason": T,
    "counted": B,
    "answered_at": DT,
    "updated_at": DT,
}
ANSWER_DERIVED: Kinds = {"section_id": T, "points": F, "weight": F, "critical": B}
MODERATION: Kinds = {
    "moderator_id": N,
    "requested_by": T,
    "requested_at": DT,
    "status": T,
    "moderator_judgement": T,
    "submitted_at": DT,
    "agreed_judgement": T,
    "comment": T,
    "agreed_at": DT,
}
MOD_ANSWER: Kinds = {"answer": T, "note": T}
MOD_ANSWER_DERIVED: Kinds = {"section_id": T, "points": F}
ACTION: Kinds = {
    "question_id": T,
    "description": T,
    "owner": T,
    "due_date": D,
    "status": T,
    "status_reason": T,
    "reaudit_by": D,
    "reaudit_audit_id": N,
    "created_at": DT,
    "closed_at": DT,
}
TEAM: Kinds = {"name": T, "is_demo": B}
WORKER: Kinds = {
    "name": T,
    "team_id": N,
    "is_manager": B,
    "is_auditor": B,
    "login": T,
    "left_on": D,
    "is_demo": B,
}
CASE: Kinds = {
    "reference": T,
    "case_type": T,
    "team_id": N,
    "worker_id": N,
    "legal_status": T,
    "age_band": T,
    "open_date": D,
    "is_demo": B,
}
ROUND: Kinds = {
    "name": T,
    "framework_id": T,
    "due_date": D,
    "seed": N,
    "per_team": N,
    "case_type": T,
    "exclude_days": N,
    "created_at": DT,
}
ROUND_CASE: Kinds = {"round_id": N, "case_id": N, "auditor_id": N, "audit_id": N}

# Rows compared on their own (outside any audit): entity -> (table, columns).
GLOBAL: dict[str, tuple[str, Kinds]] = {
    "team": ("teams", TEAM),
    "worker": ("workers", WORKER),
    "case": ("cases", CASE),
    "round": ("rounds", ROUND),
    "round_case": ("round_cases", ROUND_CASE),
}
AUDIT_ENTITIES = ("audit", "answer", "moderation", "action")
WORDS = {  # how a column is named in a problem line (translated there)
    "team_id": N_("team"),
    "worker_id": N_("case-holder"),
    "auditor_id": N_("auditor"),
    "case_id": N_("case"),
    "moderator_id": N_("moderator"),
    "previous_audit_id": N_("previous audit"),
    "reaudit_audit_id": N_("re-audit"),
    "round_id": N_("round"),
    "audit_id": N_("audit"),
}


def normal(kinds: Kinds, row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row's compared columns, in the form the replay keeps them."""
    return {c: kind(row[c]) for c, kind in kinds.items()}


# --- entries -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One log entry, as the replay reads it."""

    id: int
    at: Any
    actor: str
    action: str
    entity: str
    entity_id: int | None
    audit_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Entry:
        return cls(*(row[c] for c in cls.__slots__))

    def payload(self) -> dict[str, Any]:
        """`new` as a JSON object ({} when it is not one)."""
        if not self.new_value or not self.new_value.startswith("{"):
            return {}
        try:
            value = json.loads(self.new_value)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def new_as(self, kind: Callable[[Any], Any]) -> Any:
        """`new` as a column value of this kind (text is logged as is, anything else as
        JSON)."""
        raw = self.new_value
        if raw is None or kind is T:
            return raw
        if kind in (B, N, F):
            try:
                return kind(json.loads(raw))
            except (ValueError, TypeError):
                return kind(raw)
        return kind(raw)


def _set_from(state: dict[str, Any], kinds: Kinds, values: Mapping[str, Any]) -> None:
    for c, v in values.items():
        if c in kinds:
            state[c] = kinds[c](v)


def _created(kinds: Kinds, values: Mapping[str, Any]) -> dict[str, Any]:
    state = {c: (False if kind is B else None) for c, kind in kinds.items()}
    _set_from(state, kinds, values)
    return state


# --- one audit ---------------------------------------------------------------------------------


def new_answer(
    code: str | None, note: str | None, na_reason: str | None, at: Any
) -> dict[str, Any]:
    """An answer as first given (counted until a moderation is agreed)."""
    return {
        "answer": code,
        "note": note,
        "na_reason": na_reason,
        "counted": True,
        "answered_at": at,
        "updated_at": at,
    }


AnswerKey = tuple[str, str]  # (question id, kind)


@dataclass
class AuditState:
    """What the log says one audit and its answers, moderations and actions are now."""

    audit_id: int
    started: bool = False
    deleted: bool = False
    audit: dict[str, Any] = field(default_factory=dict)
    answers: dict[AnswerKey, dict[str, Any]] = field(default_factory=dict)
    answer_ids: dict[int, AnswerKey] = field(default_factory=dict)
    moderations: dict[int, dict[str, Any]] = field(default_factory=dict)
    mod_answers: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    actions: dict[int, dict[str, Any]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    # --- applying entries -----------------------------------------------------------------

    def apply(self, e: Entry) -> None:
        handler = _HANDLERS.get((e.entity, e.action))
        if handler is not None:
            handler(self, e)
        elif not self._generic(e):
            self.unknown.append(
                _("entry {entry} ({entity} {action})").format(
                    entry=e.id, entity=e.entity, action=e.action
                )
            )
        if e.entity in ("audit", "answer") and self.started and not self.deleted:
            # The audit's "last changed" time: its last entry about itself or its answers.
            self.audit["updated_at"] = DT(e.at)

    def _generic(self, e: Entry) -> bool:
        """An entry that sets one column (`field`) of its row to `new`."""
        target: tuple[dict[str, Any], Kinds] | None = None
        if e.entity == "audit":
            target = (self.audit, AUDIT)
        elif e.entity == "moderation" and e.entity_id in self.moderations:
            target = (self.moderations[e.entity_id], MODERATION)
        elif e.entity == "action" and e.entity_id in self.actions:
            target = (self.actions[e.entity_id], ACTION)
        if target is None or e.field not in target[1]:
            return False
        state, kinds = target
        state[e.field] = e.new_as(kinds[e.field])
        return True

    def _answer_key(self, e: Entry, kind: str = "original") -> AnswerKey:
        if e.entity_id is not None and e.entity_id in self.answer_ids:
            return self.answer_ids[e.entity_id]
        return (e.field or "", kind)

    def _new_answer(self, key: AnswerKey, e: Entry, code: str | None) -> dict[str, Any]:
        at = DT(e.at)
        row = new_answer(code, None, None, at)
        self.answers[key] = row
        if e.entity_id is not None:
            self.answer_ids[e.entity_id] = key
        return row


def _start(st: AuditState, e: Entry) -> None:
    p = e.payload()
    st.started, st.deleted = True, False
    st.audit = _created(AUDIT, p)
    st.audit.update(status="draft", created_at=DT(e.at), updated_at=DT(e.at))


def _finalise(st: AuditState, e: Entry) -> None:
    p = e.payload()
    st.audit.update(
        status="finalised",
        judgement=T(p.get("judgement")),
        judgement_reason=T(e.reason),
        finalised_at=DT(e.at),
    )
    _set_from(st.audit, AUDIT, {k: p[k] for k in ("strengths", "areas_for_development") if k in p})
    # Generated audits' answers come with their finalise entry (the walkthrough logs each).
    notes, reasons = p.get("notes") or {}, p.get("na_reasons") or {}
    at = DT(e.at)
    for qid, code in (p.get("answers") or {}).items():
        key = (qid, "original")
        if key not in st.answers:
            st.answers[key] = new_answer(code, notes.get(qid), reasons.get(qid), at)


def _move_version(st: AuditState, e: Entry) -> None:
    p = e.payload()
    st.audit["framework_version"] = T(p.get("version"))
    st.audit["framework_hash"] = T(p.get("hash"))
    for qid in p.get("dropped") or {}:
        st.answers.pop((qid, "original"), None)


def _delete_draft(st: AuditState, e: Entry) -> None:
    st.deleted = True
    st.answers.clear()


def _practitioner(st: AuditState, e: Entry) -> None:
    p = e.payload()
    st.audit["practitioner_response"] = T(p.get("response"))
    st.audit["practitioner_comment"] = T(p.get("comment"))


def _acknowledge(st: AuditState, e: Entry) -> None:
    st._generic(e)
    st.audit["escalation_acknowledged_at"] = DT(e.at)


def _agreed_judgement(st: AuditState, e: Entry) -> None:
    """The audit's agreed grade: from now on the agreed answers count, the originals not."""
    st._generic(e)
    for (_qid, kind), row in st.answers.items():
        if kind == "original":
            row["counted"] = False


def _answer(st: AuditState, e: Entry) -> None:
    key = st._answer_key(e)
    row = st.answers.get(key)
    if row is None:
        st._new_answer(key, e, e.new_value)
    else:
        row["answer"] = e.new_value
        row["updated_at"] = DT(e.at)
        if e.entity_id is not None:
            st.answer_ids[e.entity_id] = key


def _answer_text(column: str) -> Callable[[AuditState, Entry], None]:
    def apply(st: AuditState, e: Entry) -> None:
        row = st.answers.get(st._answer_key(e))
        if row is None:
            st.unknown.append(
                _("entry {entry} ({action} on {field}, not answered)").format(
                    entry=e.id, action=e.action, field=e.field
                )
            )
            return
        row[column] = e.new_value
        row["updated_at"] = DT(e.at)

    return apply


def _agree_answer(st: AuditState, e: Entry) -> None:
    st._new_answer((e.field or "", "agreed"), e, e.new_value)


def _request(st: AuditState, e: Entry) -> None:
    p = e.payload()
    m = _created(MODERATION, p)
    m.update(requested_by=e.actor, requested_at=DT(e.at), status="requested")
    st.moderations[e.entity_id or 0] = m


def _moderate_answer(st: AuditState, e: Entry) -> None:
    key = (e.entity_id or 0, e.field or "")
    row = st.mod_answers.setdefault(key, {"answer": None, "note": None})
    row["answer"] = e.new_value


def _moderate_note(st: AuditState, e: Entry) -> None:
    key = (e.entity_id or 0, e.field or "")
    row = st.mod_answers.setdefault(key, {"answer": None, "note": None})
    row["note"] = e.new_value


def _moderation_status(status: str, time_column: str) -> Callable[[AuditState, Entry], None]:
    def apply(st: AuditState, e: Entry) -> None:
        m = st.moderations.get(e.entity_id or 0)
        if m is None:
            st.unknown.append(
                _("entry {entry} ({action} of moderation {moderation})").format(
                    entry=e.id, action=e.action, moderation=e.entity_id
                )
            )
            return
        m["status"] = status
        m[time_column] = DT(e.at)
        if status == "agreed":
            m["comment"] = T(e.reason)
            m["agreed_judgement"] = T(e.new_value)

    return apply


def _cancel(st: AuditState, e: Entry) -> None:
    st.moderations.pop(e.entity_id or 0, None)
    for key in [k for k in st.mod_answers if k[0] == e.entity_id]:
        del st.mod_answers[key]


def _action_create(st: AuditState, e: Entry) -> None:
    a = _created(ACTION, e.payload())
    a.update(status="open", created_at=DT(e.at), question_id=T(e.field))
    st.actions[e.entity_id or 0] = a


def _action_close(st: AuditState, e: Entry) -> None:
    a = st.actions.get(e.entity_id or 0)
    if a is None:
        st.unknown.append(
            _("entry {entry} ({action} of action {id})").format(
                entry=e.id, action=e.action, id=e.entity_id
            )
        )
        return
    a["status"] = e.new_value
    a["closed_at"] = DT(e.at)
    if e.new_value == "not_needed":
        a["status_reason"] = T(e.reason)


_HANDLERS: dict[tuple[str, str], Callable[[AuditState, Entry], None]] = {
    ("audit", "start"): _start,
    ("audit", "finalise"): _finalise,
    ("audit", "move_version"): _move_version,
    ("audit", "delete_draft"): _delete_draft,
    ("audit", "practitioner_response"): _practitioner,
    ("audit", "acknowledge"): _acknowledge,
    ("audit", "moderate_agree"): _agreed_judgement,
    ("answer", "answer"): _answer,
    ("answer", "amend"): _answer,
    ("answer", "note"): _answer_text("note"),
    ("answer", "na_reason"): _answer_text("na_reason"),
    ("answer", "amend_note"): _answer_text("note"),
    ("answer", "moderate_agree"): _agree_answer,
    ("moderation", "request"): _request,
    ("moderation", "moderate_answer"): _moderate_answer,
    ("moderation", "moderate_note"): _moderate_note,
    ("moderation", "moderate_submit"): _moderation_status("submitted", "submitted_at"),
    ("moderation", "moderate_agreed"): _moderation_status("agreed", "agreed_at"),
    ("moderation", "cancel"): _cancel,
    ("action", "create"): _action_create,
    ("action", "done"): _action_close,
    ("action", "not_needed"): _action_close,
}


def replay_audit(audit_id: int, entries: Iterable[Entry]) -> AuditState:
    st = AuditState(audit_id)
    for e in entries:
        st.apply(e)
    return st


# --- rows outside audits -----------------------------------------------------------------------


@dataclass
class RowState:
    """What the log says one team, staff member, case, round or round case is now."""

    entity: str
    row_id: int
    values: dict[str, Any] | None = None  # None: never created (or removed)
    unknown: list[str] = field(default_factory=list)

    def apply(self, e: Entry) -> None:
        kinds = GLOBAL[self.entity][1]
        p = e.payload()
        if e.field is None and p:
            # Creates the row, or (an import) sets several of its columns at once.
            if self.values is None:
                self.values = _created(kinds, p)
                if "created_at" in kinds:
                    self.values["created_at"] = DT(e.at)
            else:
                _set_from(self.values, kinds, p)
        elif self.values is not None and e.field in kinds:
            self.values[e.field] = e.new_as(kinds[e.field])
        else:
            self.unknown.append(
                _("entry {entry} ({entity} {action})").format(
                    entry=e.id, entity=e.entity, action=e.action
                )
            )
