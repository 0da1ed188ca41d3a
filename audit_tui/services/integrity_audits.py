"""One audit against its log, for `db verify` and an audit's history: the rows replayed
from the log (services.replay) and compared with the stored ones, an earlier release's
audits against that release's log, and the names shown beside ids in problem lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework
from audit_tui.domain.review import score_answers
from audit_tui.i18n import N_, _, ngettext
from audit_tui.services import framework_versions as versions
from audit_tui.services import replay as rp
from audit_tui.services import replay_compare as rc
from audit_tui.services.context import AppContext
from audit_tui.services.logkey import KeyStatus
from audit_tui.store.models import Audit, Case, Round, Team, Worker

# --- naming rows in problem lines -----------------------------------------------------------


class Names:
    """Names to show beside ids in problem lines, looked up only when a line needs one."""

    _WHAT: dict[str, tuple[Any, Any, str]] = {
        "team_id": (Team, Team.name, N_("team")),
        "worker_id": (Worker, Worker.name, N_("staff")),
        "auditor_id": (Worker, Worker.name, N_("staff")),
        "moderator_id": (Worker, Worker.name, N_("staff")),
        "case_id": (Case, Case.reference, N_("case")),
        "round_id": (Round, Round.name, N_("round")),
    }

    def __init__(self, s: Session) -> None:
        self.s = s
        self._cache: dict[tuple[str, Any], str] = {}

    def __call__(self, column: str, value: Any) -> str:
        if value is None:
            return _("nothing")
        found = self._WHAT.get(column)
        if found is None:
            return f"{_(rp.WORDS[column]) if column in rp.WORDS else column} {value}"
        model, attr, word = found
        key = (word, value)
        if key not in self._cache:
            name = self.s.execute(select(attr).where(model.id == value)).scalar()
            shown = f"'{' '.join(str(name).split())}' " if name is not None else ""
            self._cache[key] = f"{shown}({_(word)} {value})"
        return self._cache[key]

    def audits_of(self, *where: Any) -> str:
        """ " (audits 4, 9, ...)": the audits a changed row belongs to, for its problem line."""
        q = select(Audit.id).where(or_(*where)).order_by(Audit.id).limit(4)
        ids = list(self.s.execute(q).scalars())
        if not ids:
            return ""
        more = ", ..." if len(ids) > 3 else ""
        listed = ", ".join(map(str, ids[:3])) + more
        return " " + ngettext("(audit {ids})", "(audits {ids})", len(ids)).format(ids=listed)


# --- the audits --------------------------------------------------------------------------------


class Expected(NamedTuple):
    answers: dict[str, str]
    judgement: str | None


def replay(events: Iterable[Any]) -> Expected | None:
    """An earlier release's log of one audit, replayed from its last finalise: the answers and
    judgement it should have now. None when the log holds no finalise entry."""
    state: Expected | None = None
    for e in events:
        if e.action == "finalise" and e.new_value:
            logged = json.loads(e.new_value)
            state = Expected(dict(logged.get("answers", {})), logged.get("judgement"))
        elif state is not None and e.action == "amend" and e.field:
            if e.entity == "answer":
                state.answers[e.field] = e.new_value or ""
            elif e.entity == "audit" and e.field == "judgement":
                state = state._replace(judgement=e.new_value)
    return state


def compare_with_log(
    audit_id: int, expected: Expected | None, answers: dict[str, str], judgement: str | None
) -> list[str]:
    """What differs between a finalised audit (its original answers and judgement) and what
    an earlier release's log says they should be."""
    if expected is None:
        return [
            _("audit {audit}: finalised, but the log has no finalise entry").format(audit=audit_id)
        ]
    problems = []
    for qid in sorted(set(expected.answers) | set(answers)):
        if expected.answers.get(qid) != answers.get(qid):
            problems.append(
                _(
                    "audit {audit}: question {question} is '{answer}' but the log says '{logged}'"
                ).format(
                    audit=audit_id,
                    question=qid,
                    answer=answers.get(qid),
                    logged=expected.answers.get(qid),
                )
            )
    if expected.judgement is not None and expected.judgement != judgement:
        problems.append(
            _("audit {audit}: judgement is '{judgement}' but the log says '{logged}'").format(
                audit=audit_id, judgement=judgement, logged=expected.judgement
            )
        )
    return problems


def _same_percent(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) < 1e-6


class _Scored(NamedTuple):
    answer: str
    points: float | None
    weight: float
    na_reason: str | None


def score_logged(
    fw: Framework, audit_id: int, case_type: str, answers: Mapping[str, tuple[str, str | None]]
) -> tuple[Any, Any, Any]:
    """Figures of logged answers (code, N/A reason) on a framework version: points, weights
    and critical flags come from the version, never from the stored rows."""
    facts = rc.answer_facts(fw)
    scored = {}
    for qid, (code, na_reason) in answers.items():
        fact = facts.get((qid, code))
        if fact is not None:
            scored[qid] = _Scored(code, fact[1], fact[2], na_reason)
    rv = score_answers(fw, audit_id, case_type, scored)
    return rv.percent_met, len(rv.critical_failures), rv.suggested_judgement


def stored_audit(
    audit: Mapping[str, Any] | None,
    answers: list[Mapping[str, Any]],
    moderations: list[Mapping[str, Any]],
    mod_answers: list[Mapping[str, Any]],
    actions: list[Mapping[str, Any]],
) -> rc.StoredAudit:
    return rc.StoredAudit(
        audit=audit,
        answers={(a["question_id"], a["kind"]): a for a in answers},
        moderations={m["id"]: m for m in moderations},
        mod_answers={(m["moderation_id"], m["question_id"]): m for m in mod_answers},
        actions={a["id"]: a for a in actions},
    )


class AuditChecker:
    """The comparison of one audit with its log, shared by `db verify` and an audit's
    history."""

    def __init__(self, ctx: AppContext, s: Session, key: KeyStatus) -> None:
        self.ctx, self.s = ctx, s
        record = key.record
        # Without a key record every row is an earlier release's (the whole log is its).
        self.before: dict[str, int] | None = record.before if record is not None else None
        self.names = Names(s)
        self.frameworks: dict[str, Framework | None] = {}
        self.missing_versions: dict[str, tuple[str, str, int]] = {}
        self.notes: list[str] = []

    def legacy(self, table: str, row_id: int) -> bool:
        return self.before is None or row_id <= self.before.get(table, 0)

    def framework(
        self, content_hash: str | None, fw_id: str, version: str, *, count: bool = True
    ) -> Framework | None:
        if not content_hash:
            return None
        if content_hash not in self.frameworks:
            try:
                self.frameworks[content_hash] = versions.framework_in(
                    self.ctx, self.s, content_hash
                )
            except versions.VersionMissing:
                self.frameworks[content_hash] = None
                self.missing_versions[content_hash] = (fw_id, version, 0)
            except UserError as exc:  # a stored definition that no longer matches its hash
                self.frameworks[content_hash] = None
                self.notes.append(str(exc))
        if count and content_hash in self.missing_versions:
            fid, v, n = self.missing_versions[content_hash]
            self.missing_versions[content_hash] = (fid, v, n + 1)
        return self.frameworks[content_hash]

    def audit(
        self,
        audit_id: int,
        entries: list[rp.Entry],
        audit: Mapping[str, Any] | None,
        answers: list[Mapping[str, Any]],
        moderations: list[Mapping[str, Any]],
        mod_answers: list[Mapping[str, Any]],
        actions: list[Mapping[str, Any]],
    ) -> list[str]:
        stored = stored_audit(audit, answers, moderations, mod_answers, actions)
        if self.legacy("audits", audit_id):
            return self._legacy(audit_id, entries, audit, answers, stored)
        st = rp.replay_audit(audit_id, entries)
        for what in st.unknown:
            self.notes.append(
                _(
                    "audit {audit}: {entry} is not one this version of audit-tui replays; the "
                    "audit was compared as far as its log allows"
                ).format(audit=audit_id, entry=what)
            )
        fw = self.framework_of(st.audit if st.started else audit)
        return rc.compare_audit(st, stored, fw, self.names, score_logged)

    def framework_of(
        self, audit: Mapping[str, Any] | None, *, count: bool = True
    ) -> Framework | None:
        """The audit's own framework version (as its log, or its row, names it)."""
        if audit is None:
            return None
        return self.framework(
            audit.get("framework_hash"),
            str(audit.get("framework_id")),
            str(audit.get("framework_version")),
            count=count,
        )

    def _legacy(
        self,
        audit_id: int,
        entries: list[rp.Entry],
        audit: Mapping[str, Any] | None,
        answers: list[Mapping[str, Any]],
        stored: rc.StoredAudit,
    ) -> list[str]:
        """An audit an earlier release wrote: its answers and judgement against that
        release's log, its figures against its own version, and moderations and actions
        made since the key against theirs."""
        out: list[str] = []
        expected = replay(entries)
        status = audit["status"] if audit is not None else None
        if audit is None or status != "finalised":
            if expected is not None:
                out.append(
                    _("audit {audit}: the log says finalised, but it is missing").format(
                        audit=audit_id
                    )
                    if audit is None
                    else _("audit {audit}: the log says finalised, but it is a {status}").format(
                        audit=audit_id, status=status
                    )
                )
        else:
            originals = {a["question_id"]: a for a in answers if a["kind"] == "original"}
            out += compare_with_log(
                audit_id,
                expected,
                {q: a["answer"] for q, a in originals.items()},
                audit["judgement"],
            )
            out += self._legacy_figures(audit_id, audit, originals)
        if self.before is not None and (stored.moderations or stored.actions or entries):
            out += self._since_key(audit_id, entries, audit, stored)
        return out

    def _legacy_figures(
        self, audit_id: int, audit: Mapping[str, Any], originals: Mapping[str, Mapping[str, Any]]
    ) -> list[str]:
        """A finalised earlier-release audit's stored figures against its answers scored on
        its own framework version (nothing when that version cannot be found)."""
        fw = self.framework_of(audit)
        if fw is None:
            return []
        rv = score_answers(
            fw,
            audit_id,
            audit["case_type"],
            {
                q: _Scored(a["answer"], a["points"], a["weight"], a["na_reason"])
                for q, a in originals.items()
            },
        )
        got = (audit["percent_met"], audit["critical_failures"], audit["suggested_judgement"])
        want = (rv.percent_met, len(rv.critical_failures), rv.suggested_judgement)
        if _same_percent(got[0], want[0]) and got[1:] == want[1:]:
            return []
        return [rc.figures_problem(audit_id, got, want, audit["framework_version"])]

    def _since_key(
        self,
        audit_id: int,
        entries: list[rp.Entry],
        audit: Mapping[str, Any] | None,
        stored: rc.StoredAudit,
    ) -> list[str]:
        """Moderations and actions made since the key, compared whole with their log."""
        st = rp.replay_audit(audit_id, [e for e in entries if e.entity in ("moderation", "action")])
        for held in (st, stored):
            held.moderations = {
                k: v for k, v in held.moderations.items() if not self.legacy("moderations", k)
            }
            held.actions = {k: v for k, v in held.actions.items() if not self.legacy("actions", k)}
        new_mids = set(stored.moderations) | set(st.moderations)
        st.mod_answers = {k: v for k, v in st.mod_answers.items() if k[0] in new_mids}
        stored.mod_answers = {k: v for k, v in stored.mod_answers.items() if k[0] in new_mids}
        return [
            *rc.compare_moderations(st, stored, self.framework_of(audit, count=False)),
            *rc.compare_actions(st, stored),
        ]

    def version_notes(self) -> list[str]:
        return [
            ngettext(
                "{n} audit(s) on {framework} version {version} (hash {hash}): that version is "
                "neither stored in this database nor in any framework file, so their figures "
                "were not checked; store it with `audit-tui frameworks store FILE`",
                "{n} audit(s) on {framework} version {version} (hash {hash}): that version is "
                "neither stored in this database nor in any framework file, so their figures "
                "were not checked; store it with `audit-tui frameworks store FILE`",
                n,
            ).format(n=n, framework=fw_id, version=version, hash=h)
            for h, (fw_id, version, n) in sorted(self.missing_versions.items(), key=lambda i: i[1])
        ]
