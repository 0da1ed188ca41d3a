"""Comparing the state the log says (services.replay) with the stored rows: one line per
difference, naming the audit (or row) and what differs. An answer's points, weight,
critical flag and section, and an audit's figures, are derived from the audit's own
framework version, never taken from the stored rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from audit_tui.domain.framework import Framework
from audit_tui.services.replay import (
    ACTION,
    ANSWER,
    AUDIT,
    DT,
    FIGURES,
    GLOBAL,
    MOD_ANSWER,
    MODERATION,
    WORDS,
    AnswerKey,
    AuditState,
    B,
    F,
    Kinds,
    RowState,
    normal,
)


def shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, date):  # a datetime too
        return str(value)
    text = " ".join(str(value).split())
    return f"'{text[:60]}{'…' if len(text) > 60 else ''}'"


Namer = Callable[[str, Any], str]  # (column, id) -> a name to show beside the id


def differences(
    what: str,
    kinds: Kinds,
    expected: Mapping[str, Any],
    stored: Mapping[str, Any],
    name: Namer | None = None,
) -> list[str]:
    out = []
    for c in kinds:
        if c not in expected or expected[c] == stored.get(c):
            continue
        label = WORDS.get(c, c.replace("_", " "))
        got, want = stored.get(c), expected[c]
        if name is not None and c in WORDS:
            got_s, want_s = name(c, got), name(c, want)
        else:
            got_s, want_s = shown(got), shown(want)
        out.append(f"{what}: {label} is {got_s} but the log says {want_s}")
    return out


@dataclass
class StoredAudit:
    """One audit's rows as the database holds them now (as read: normalised only where one
    differs from its log)."""

    audit: Mapping[str, Any] | None = None
    answers: dict[AnswerKey, Mapping[str, Any]] = field(default_factory=dict)
    moderations: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    mod_answers: dict[tuple[int, str], Mapping[str, Any]] = field(default_factory=dict)
    actions: dict[int, Mapping[str, Any]] = field(default_factory=dict)


def _answer_label(audit_id: int, key: AnswerKey) -> str:
    qid, kind = key
    return f"audit {audit_id}: question {qid}" + (" (agreed answer)" if kind == "agreed" else "")


def compare_audit(
    st: AuditState,
    stored: StoredAudit,
    fw: Framework | None,
    name: Namer,
    score: Callable[[Framework, int, str, Mapping[str, Any]], tuple[Any, Any, Any]],
) -> list[str]:
    """Every difference between an audit as stored and as its log says it is."""
    aid = st.audit_id
    exists = st.started and not st.deleted
    if stored.audit is None:
        if exists:
            return [f"audit {aid}: the log says {st.audit.get('status')}, but it is missing"]
        return []
    if st.deleted:
        return [f"audit {aid}: the log says it was deleted, but it is there"]
    if not exists:
        return [f"audit {aid}: not in the log (added behind the tool's back)"]
    out: list[str] = []
    got_audit = normal(AUDIT, stored.audit)
    want_status, got_status = st.audit.get("status"), got_audit.get("status")
    if want_status != got_status:
        out.append(f"audit {aid}: the log says {want_status}, but it is a {got_status}")
    rest = {c: k for c, k in AUDIT.items() if c != "status"}
    out += differences(f"audit {aid}", rest, st.audit, got_audit, name)
    out += _compare_answers(st, stored, fw)
    out += _compare_figures(st, stored, fw, score)
    out += compare_moderations(st, stored, fw)
    out += compare_actions(st, stored)
    return out


_ANSWER_COLUMNS = tuple(ANSWER)


def _compare_answers(st: AuditState, stored: StoredAudit, fw: Framework | None) -> list[str]:
    aid = st.audit_id
    out: list[str] = []
    facts = answer_facts(fw) if fw is not None else None
    for key in st.answers.keys() | stored.answers.keys():
        want, row = st.answers.get(key), stored.answers.get(key)
        if want is None or row is None:
            code = None if row is None else row["answer"]
            logged = None if want is None else want["answer"]
            out.append(f"{_answer_label(aid, key)} is '{code}' but the log says '{logged}'")
            continue
        # The common case first: everything as logged, compared as read.
        if (
            want["answer"] != row["answer"]
            or want["note"] != row["note"]
            or want["na_reason"] != row["na_reason"]
            or want["counted"] != bool(row["counted"])
            or want["answered_at"] != DT(row["answered_at"])
            or want["updated_at"] != DT(row["updated_at"])
        ):
            label = _answer_label(aid, key)
            got = normal(ANSWER, row)
            if want["answer"] != got["answer"]:
                out.append(f"{label} is '{got['answer']}' but the log says '{want['answer']}'")
            out += differences(label, {c: ANSWER[c] for c in _ANSWER_COLUMNS[1:]}, want, got)
        if facts is not None and fw is not None:
            fact = facts.get((key[0], row["answer"]))
            if fact is None or fact != (
                row["section_id"],
                row["points"],
                row["weight"],
                bool(row["critical"]),
            ):
                out += _derived(_answer_label(aid, key), fw, key[0], row["answer"], row, True)
    return sorted(out)


_FACTS: dict[str, dict[tuple[str, str], tuple[str, float | None, float, bool]]] = {}


def answer_facts(fw: Framework) -> dict[tuple[str, str], tuple[str, float | None, float, bool]]:
    """(question, answer code) -> (section, points, weight, critical) on one framework version,
    worked out once per version (content-addressed, so for every database)."""
    facts = _FACTS.get(fw.content_hash)
    if facts is None:
        facts = {}
        for q in fw.questions:
            section = fw.section_of(q.id).id
            for option in fw.scale(q.scale).options:
                facts[(q.id, option.code)] = (section, option.points, q.weight, q.critical)
        _FACTS[fw.content_hash] = facts
    return facts


def _derived(
    label: str, fw: Framework, qid: str, code: str | None, row: Mapping[str, Any], full: bool
) -> list[str]:
    """An answer's section, points (and weight and critical flag) against its framework."""
    if not fw.has_question(qid):
        return [f"{label}: not a question of its framework version {fw.version}"]
    q = fw.question(qid)
    option = fw.option(q, code or "")
    if option is None:
        return [f"{label}: '{code}' is not an answer its framework version {fw.version} offers"]
    want: dict[str, Any] = {"section_id": fw.section_of(qid).id, "points": F(option.points)}
    got: dict[str, Any] = {"section_id": row["section_id"], "points": F(row["points"])}
    if full:
        want.update(weight=F(q.weight), critical=q.critical)
        got.update(weight=F(row["weight"]), critical=B(row["critical"]))
    return [
        f"{label}: {c.replace('_', ' ')} is {shown(got[c])} but its answer '{code}' in "
        f"framework {fw.id} version {fw.version} gives {shown(v)}"
        for c, v in want.items()
        if got[c] != v
    ]


def _compare_figures(
    st: AuditState,
    stored: StoredAudit,
    fw: Framework | None,
    score: Callable[[Framework, int, str, Mapping[str, Any]], tuple[Any, Any, Any]],
) -> list[str]:
    """A finalised audit's stored figures are those of its stored original answers scored
    against its own framework version (the answers themselves are compared with the log
    above); a draft stores none."""
    if fw is None or stored.audit is None:
        return []
    figures = normal(FIGURES, stored.audit)
    got = (
        figures.get("percent_met"),
        figures.get("critical_failures"),
        figures.get("suggested_judgement"),
    )
    if st.audit.get("status") == "finalised":
        originals = {
            qid: (row["answer"], row["na_reason"])
            for (qid, kind), row in stored.answers.items()
            if kind == "original"
        }
        pct, critical, suggested = score(
            fw, st.audit_id, st.audit.get("case_type") or "", originals
        )
        want = (F(pct), critical, suggested)
    else:
        want = (None, 0, None)
    same_pct = (
        got[0] is None and want[0] is None
        if got[0] is None or want[0] is None
        else abs(got[0] - want[0]) < 1e-6
    )
    if same_pct and got[1:] == want[1:]:
        return []
    what = "answers scored against its own framework version"
    return [
        f"audit {st.audit_id}: its figures ({figures_text(*got)}) are not those of its {what} "
        f"{fw.version} ({figures_text(*want)})"
    ]


def figures_text(percent: float | None, critical: int | None, suggested: str | None) -> str:
    pct = "no data" if percent is None else f"{percent:.2f}%"
    return f"{pct} met, {critical or 0} critical failure(s), suggested {suggested or 'none'}"


def _keyed_rows(
    what: str,
    kinds: Kinds,
    want_rows: Mapping[int, dict[str, Any]],
    got_rows: Mapping[int, Mapping[str, Any]],
) -> list[str]:
    """Rows of one audit kept by id (its moderations, its actions): each one the log made is
    there, none other, and each as its entries say."""
    out: list[str] = []
    for row_id in sorted(want_rows.keys() | got_rows.keys()):
        want, row = want_rows.get(row_id), got_rows.get(row_id)
        label = f"{what} {row_id}"
        if want is None:
            out.append(f"{label}: not in the log (added behind the tool's back)")
        elif row is None:
            out.append(f"{label}: the log says it is {want.get('status')}, but it is missing")
        else:
            out += differences(label, kinds, want, normal(kinds, row))
    return out


def compare_moderations(st: AuditState, stored: StoredAudit, fw: Framework | None) -> list[str]:
    aid = st.audit_id
    out = _keyed_rows(f"audit {aid}: moderation", MODERATION, st.moderations, stored.moderations)
    for key in sorted(st.mod_answers.keys() | stored.mod_answers.keys()):
        want, row = st.mod_answers.get(key), stored.mod_answers.get(key)
        what = f"audit {aid}: moderation {key[0]}, moderator's answer to {key[1]}"
        if want is None or row is None:
            code = None if row is None else row["answer"]
            logged = None if want is None else want["answer"]
            out.append(f"{what} is '{code}' but the log says '{logged}'")
            continue
        out += differences(what, MOD_ANSWER, want, normal(MOD_ANSWER, row))
        if fw is not None:
            out += _derived(what, fw, key[1], row["answer"], row, False)
    return out


def compare_actions(st: AuditState, stored: StoredAudit) -> list[str]:
    return _keyed_rows(f"audit {st.audit_id}: action", ACTION, st.actions, stored.actions)


def compare_row(
    state: RowState, stored: Mapping[str, Any] | None, name: Namer, what: str
) -> list[str]:
    kinds = GLOBAL[state.entity][1]
    if stored is None:
        return [] if state.values is None else [f"{what}: in the log, but it is missing"]
    if state.values is None:
        return [f"{what}: not in the log (added behind the tool's back)"]
    return differences(what, kinds, state.values, normal(kinds, stored), name)
