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
from audit_tui.i18n import _
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
        return _("nothing")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
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
        # A column without words of its own is named as the database names it (to find it).
        label = _(WORDS[c]) if c in WORDS else c.replace("_", " ")
        got, want = stored.get(c), expected[c]
        if name is not None and c in WORDS:
            got_s, want_s = name(c, got), name(c, want)
        else:
            got_s, want_s = shown(got), shown(want)
        out.append(
            _("{what}: {column} is {stored} but the log says {logged}").format(
                what=what, column=label, stored=got_s, logged=want_s
            )
        )
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
    if kind == "agreed":
        return _("audit {audit}: question {question} (agreed answer)").format(
            audit=audit_id, question=qid
        )
    return _("audit {audit}: question {question}").format(audit=audit_id, question=qid)


def _is_not(what: str, code: Any, logged: Any) -> str:
    return _("{what} is '{answer}' but the log says '{logged}'").format(
        what=what, answer=code, logged=logged
    )


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
            return [
                _("audit {audit}: the log says {status}, but it is missing").format(
                    audit=aid, status=st.audit.get("status")
                )
            ]
        return []
    if st.deleted:
        return [_("audit {audit}: the log says it was deleted, but it is there").format(audit=aid)]
    if not exists:
        return [_("audit {audit}: not in the log (added behind the tool's back)").format(audit=aid)]
    out: list[str] = []
    got_audit = normal(AUDIT, stored.audit)
    want_status, got_status = st.audit.get("status"), got_audit.get("status")
    if want_status != got_status:
        out.append(
            _("audit {audit}: the log says {status}, but it is a {stored}").format(
                audit=aid, status=want_status, stored=got_status
            )
        )
    rest = {c: k for c, k in AUDIT.items() if c != "status"}
    out += differences(_("audit {audit}").format(audit=aid), rest, st.audit, got_audit, name)
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
            out.append(_is_not(_answer_label(aid, key), code, logged))
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
                out.append(_is_not(label, got["answer"], want["answer"]))
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
        return [
            _("{what}: not a question of its framework version {version}").format(
                what=label, version=fw.version
            )
        ]
    q = fw.question(qid)
    option = fw.option(q, code or "")
    if option is None:
        return [
            _("{what}: '{answer}' is not an answer its framework version {version} offers").format(
                what=label, answer=code, version=fw.version
            )
        ]
    want: dict[str, Any] = {"section_id": fw.section_of(qid).id, "points": F(option.points)}
    got: dict[str, Any] = {"section_id": row["section_id"], "points": F(row["points"])}
    if full:
        want.update(weight=F(q.weight), critical=q.critical)
        got.update(weight=F(row["weight"]), critical=B(row["critical"]))
    return [
        _(
            "{what}: {column} is {stored} but its answer '{answer}' in framework {framework} "
            "version {version} gives {derived}"
        ).format(
            what=label,
            column=c.replace("_", " "),
            stored=shown(got[c]),
            answer=code,
            framework=fw.id,
            version=fw.version,
            derived=shown(v),
        )
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
    return [figures_problem(st.audit_id, got, want, fw.version)]


def figures_problem(
    audit_id: int, got: tuple[Any, ...], want: tuple[Any, ...], version: Any
) -> str:
    """An audit's stored figures that are not those its answers give on its own version."""
    return _(
        "audit {audit}: its figures ({stored}) are not those of its answers scored against its "
        "own framework version {version} ({derived})"
    ).format(
        audit=audit_id, stored=figures_text(*got), version=version, derived=figures_text(*want)
    )


def figures_text(percent: float | None, critical: int | None, suggested: str | None) -> str:
    pct = _("no data") if percent is None else f"{percent:.2f}%"
    return _("{percent} met, {critical} critical failure(s), suggested {judgement}").format(
        percent=pct, critical=critical or 0, judgement=suggested or _("none")
    )


def _not_logged(what: str) -> str:
    return _("{what}: not in the log (added behind the tool's back)").format(what=what)


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
            out.append(_not_logged(label))
        elif row is None:
            out.append(
                _("{what}: the log says it is {status}, but it is missing").format(
                    what=label, status=want.get("status")
                )
            )
        else:
            out += differences(label, kinds, want, normal(kinds, row))
    return out


def compare_moderations(st: AuditState, stored: StoredAudit, fw: Framework | None) -> list[str]:
    aid = st.audit_id
    out = _keyed_rows(
        _("audit {audit}: moderation").format(audit=aid),
        MODERATION,
        st.moderations,
        stored.moderations,
    )
    for key in sorted(st.mod_answers.keys() | stored.mod_answers.keys()):
        want, row = st.mod_answers.get(key), stored.mod_answers.get(key)
        what = _("audit {audit}: moderation {moderation}, moderator's answer to {question}").format(
            audit=aid, moderation=key[0], question=key[1]
        )
        if want is None or row is None:
            code = None if row is None else row["answer"]
            logged = None if want is None else want["answer"]
            out.append(_is_not(what, code, logged))
            continue
        out += differences(what, MOD_ANSWER, want, normal(MOD_ANSWER, row))
        if fw is not None:
            out += _derived(what, fw, key[1], row["answer"], row, False)
    return out


def compare_actions(st: AuditState, stored: StoredAudit) -> list[str]:
    return _keyed_rows(
        _("audit {audit}: action").format(audit=st.audit_id), ACTION, st.actions, stored.actions
    )


def compare_row(
    state: RowState, stored: Mapping[str, Any] | None, name: Namer, what: str
) -> list[str]:
    kinds = GLOBAL[state.entity][1]
    if stored is None:
        if state.values is None:
            return []
        return [_("{what}: in the log, but it is missing").format(what=what)]
    if state.values is None:
        return [_not_logged(what)]
    return differences(what, kinds, state.values, normal(kinds, stored), name)
