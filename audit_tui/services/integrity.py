"""`db verify`: the event log is whole and keyed, and the database holds exactly what the log
says - every audit, answer, note, moderation, action, staff member, case and round - with
every stored figure what its answers give on the audit's own framework version.

1. The chain, entry by entry (streamed): each entry matches its hash, follows the entry
   before it, and carries the database's key (services.logkey). Entries written before the
   database had a key are a prefix, named in the report; an unkeyed entry after it is not.
2. The append-only triggers are in place (and, on PostgreSQL, no role but the owner may
   change or delete entries).
3. The log is replayed (services.replay) and compared with the stored rows, audit by audit
   and row by row, by walking the log and each table in id order side by side: a database of
   any size is checked without holding it in memory.
4. Entries written down earlier (`--expect ENTRY:HASH`) still carry their hash.

Rows an older release wrote before the database had a key (the key record counts them) are
compared as far as that release's log allows: a finalised audit's answers and judgement, and
its figures against its own version.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.services import framework_versions as versions
from audit_tui.services import replay as rp
from audit_tui.services import replay_compare as rc
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import where
from audit_tui.services.eventlog import iter_chain
from audit_tui.services.integrity_audits import AuditChecker
from audit_tui.services.integrity_guard import guard_problems
from audit_tui.services.integrity_report import Problems, VerifyReport, parse_anchor
from audit_tui.services.logkey import DATABASE_ID, KEY_RECORD, KeyStatus, keyring_of
from audit_tui.store.models import (
    Action,
    Answer,
    Audit,
    Case,
    DatabaseInfo,
    Event,
    FrameworkVersion,
    Moderation,
    ModerationAnswer,
    Round,
    RoundCase,
    Team,
    Worker,
)

# --- streams ------------------------------------------------------------------------------------


class _Groups:
    """Rows in key order, taken a key at a time (one of several walked side by side)."""

    def __init__(self, rows: Iterable[Any], key: str) -> None:
        self._groups = itertools.groupby(rows, lambda r: r[key])
        self.key: Any = None
        self._rows: list[Any] = []
        self._next()

    def _next(self) -> None:
        try:
            k, rows = next(self._groups)
        except StopIteration:
            self.key, self._rows = None, []
            return
        self.key, self._rows = k, list(rows)

    def take(self, key: Any) -> list[Any]:
        if self.key is None or self.key != key:
            return []
        rows = self._rows
        self._next()
        return rows


def _stream(s: Session, q: Any) -> Iterator[Mapping[str, Any]]:
    # Core rows straight off the connection (the ORM's result handling costs more than the
    # comparison), fetched in batches: nothing holds a whole table.
    result = s.connection().execute(q.execution_options(stream_results=True, max_row_buffer=2000))
    for row in result:
        yield cast(Mapping[str, Any], row._mapping)


def _merged(streams: list[_Groups]) -> Iterator[Any]:
    while True:
        keys = [g.key for g in streams if g.key is not None]
        if not keys:
            return
        yield min(keys)


_ENTRY_COLUMNS = tuple(getattr(Event, c) for c in rp.Entry.__slots__)


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _audit_streams(s: Session, *, audit_id: int | None = None) -> list[_Groups]:
    def where(column: Any) -> list[Any]:
        return [column == audit_id] if audit_id is not None else []

    entries = (
        select(*_ENTRY_COLUMNS)
        .where(
            Event.audit_id.is_not(None),
            Event.entity.in_(rp.AUDIT_ENTITIES),
            *where(Event.audit_id),
        )
        .order_by(Event.audit_id, Event.id)
    )
    mod_answers = (
        select(Moderation.audit_id, *_table(ModerationAnswer).c)
        .join(Moderation, Moderation.id == ModerationAnswer.moderation_id)
        .where(*where(Moderation.audit_id))
        .order_by(Moderation.audit_id)
    )
    return [
        _Groups(_stream(s, entries), "audit_id"),
        _Groups(_stream(s, select(_table(Audit)).where(*where(Audit.id)).order_by(Audit.id)), "id"),
        _Groups(
            _stream(
                s, select(_table(Answer)).where(*where(Answer.audit_id)).order_by(Answer.audit_id)
            ),
            "audit_id",
        ),
        _Groups(
            _stream(
                s,
                select(_table(Moderation))
                .where(*where(Moderation.audit_id))
                .order_by(Moderation.audit_id),
            ),
            "audit_id",
        ),
        _Groups(_stream(s, mod_answers), "audit_id"),
        _Groups(
            _stream(
                s, select(_table(Action)).where(*where(Action.audit_id)).order_by(Action.audit_id)
            ),
            "audit_id",
        ),
    ]


def _compare_audits(
    checker: AuditChecker, s: Session, problems: Problems, audit_id: int | None = None
) -> int:
    streams = _audit_streams(s, audit_id=audit_id)
    n = 0
    for aid in _merged(streams):
        entries_rows, audits, answers, moderations, mod_answers, actions = (
            g.take(aid) for g in streams
        )
        n += bool(audits)
        problems.extend(
            checker.audit(
                aid,
                [rp.Entry.of(r) for r in entries_rows],
                audits[0] if audits else None,
                answers,
                moderations,
                mod_answers,
                actions,
            )
        )
    return n


def snapshot(s: Session) -> None:
    """Read the log and the tables as of one moment, whatever is written meanwhile (the
    first statement of the read: on PostgreSQL each statement would otherwise see the latest
    commits; a SQLite read transaction already holds one snapshot)."""
    if s.get_bind().dialect.name == "postgresql":
        s.connection(
            execution_options={"isolation_level": "REPEATABLE READ"}  # not translated: SQL
        )


def audit_problems(ctx: AppContext, s: Session, audit_id: int, key: KeyStatus) -> list[str]:
    """`db verify`'s comparison of one audit with its log (for its history)."""
    checker = AuditChecker(ctx, s, key)
    problems = Problems()
    _compare_audits(checker, s, problems, audit_id)
    return problems.finish()


# --- rows outside the audits --------------------------------------------------------------------

_GLOBAL_MODELS: dict[str, Any] = {
    "team": Team,
    "worker": Worker,
    "case": Case,
    "round": Round,
    "round_case": RoundCase,
}


def _compare_rows(checker: AuditChecker, s: Session, problems: Problems) -> None:
    for entity, (table, _kinds) in rp.GLOBAL.items():
        model = _GLOBAL_MODELS[entity]
        entries = (
            select(*_ENTRY_COLUMNS)
            .where(Event.entity == entity, Event.entity_id.is_not(None))
            .order_by(Event.entity_id, Event.id)
        )
        streams = [
            _Groups(_stream(s, entries), "entity_id"),
            _Groups(_stream(s, select(_table(model)).order_by(model.id)), "id"),
        ]
        for row_id in _merged(streams):
            found, rows = (g.take(row_id) for g in streams)
            if checker.legacy(table, row_id):
                continue
            state = rp.RowState(entity, row_id)
            for r in found:
                state.apply(rp.Entry.of(r))
            what = f"{_(_ROW_WORDS[entity])} {row_id}"
            for entry in state.unknown:
                checker.notes.append(
                    _("{row}: {entry} is not one this version of audit-tui replays").format(
                        row=what, entry=entry
                    )
                )
            lines = rc.compare_row(state, rows[0] if rows else None, checker.names, what)
            if lines and entity in _AUDITS_OF:
                # Name the audits the row belongs to (looked up only for a row that differs).
                audits = checker.names.audits_of(*(c == row_id for c in _AUDITS_OF[entity]))
                lines = [line.replace(what, what + audits, 1) for line in lines]
            problems.extend(lines)


_AUDITS_OF = {
    "team": (Audit.team_id,),
    "worker": (Audit.auditor_id, Audit.worker_id),
    "case": (Audit.case_id,),
}
_ROW_WORDS = {
    "team": N_("team"),
    "worker": N_("staff member"),
    "case": N_("case"),
    "round": N_("round"),
    "round_case": N_("round case"),
}


def _compare_info(s: Session, problems: Problems) -> None:
    """database_info: each fact the log records (kind, ...) is what it last said; the key's
    own record is sealed with the key and checked with it."""
    logged: dict[str, str | None] = {}
    for field, new in s.execute(
        select(Event.field, Event.new_value)
        .where(Event.entity == "database", Event.action == "mark")
        .order_by(Event.id)
    ):
        if field is not None:  # a mark always names its fact
            logged[field] = new
    stored = dict(s.execute(select(DatabaseInfo.key, DatabaseInfo.value)).all())
    for key in sorted(set(logged) | set(stored)):
        if key in (KEY_RECORD, DATABASE_ID):
            continue
        if key not in logged:
            problems.add(
                _("database_info {key}: not in the log (added behind the tool's back)").format(
                    key=key
                )
            )
        elif stored.get(key) != logged[key]:
            problems.add(
                _("database_info {key} is {stored} but the log says {logged}").format(
                    key=key, stored=rc.shown(stored.get(key)), logged=rc.shown(logged[key])
                )
            )


def _compare_versions(s: Session, problems: Problems) -> None:
    """Every stored framework definition still matches its content hash, and every version
    the log says was stored is there."""
    have = set()
    for row in s.execute(select(FrameworkVersion)).scalars():
        have.add(row.content_hash)
        try:
            versions.from_row(row)
        except UserError as exc:
            problems.add(str(exc))
    for field, new in s.execute(
        select(Event.field, Event.new_value)
        .where(Event.action == "store_version")
        .order_by(Event.id)
    ):
        try:
            h = json.loads(new or "{}").get("hash")
        except ValueError:
            h = None
        if h and h not in have:
            have.add(h)  # one line per version
            problems.add(
                _(
                    "framework {framework}: the log says version hash {hash} was stored, but "
                    "it is missing"
                ).format(framework=field, hash=h)
            )


# --- the whole check --------------------------------------------------------------------------


def verify_database(ctx: AppContext, anchors: Iterable[tuple[int, str]] = ()) -> VerifyReport:
    problems = Problems()
    checked_at = datetime.now(UTC)
    with ctx.db.read() as s:
        snapshot(s)
        key = keyring_of(ctx.db).status(s)
        if key.problem:
            problems.add(key.problem)
        n_events, last, has_key_entry = 0, None, False
        for row, found in iter_chain(s, key):
            n_events += 1
            last = row
            has_key_entry = has_key_entry or row["action"] == "key"
            for p in found:
                problems.add(
                    _("event {entry}: {problem}").format(entry=row["id"], problem=p), kind=p
                )
        if key.record is None and key.record_text is None and has_key_entry:
            problems.add(
                _(
                    "the log has a key entry, but database_info has no key record (it was "
                    "removed: entries could then pass as an earlier release's)"
                )
            )
        problems.extend(guard_problems(s))
        for event_id, digest in anchors:
            recorded = s.execute(select(Event.hash).where(Event.id == event_id)).scalar()
            if recorded is None:
                problems.add(
                    _("event {entry}: missing, but its hash {hash} was recorded").format(
                        entry=event_id, hash=digest
                    )
                )
            elif not recorded.startswith(digest):
                problems.add(
                    _(
                        "event {entry}: its hash is now {now}, but {hash} was recorded (the log "
                        "was rewritten from this entry or before)"
                    ).format(entry=event_id, now=recorded[:16], hash=digest)
                )
        checker = AuditChecker(ctx, s, key)
        n_audits = _compare_audits(checker, s, problems)
        _compare_rows(checker, s, problems)
        _compare_info(s, problems)
        _compare_versions(s, problems)
        finalised = s.execute(
            select(func.count()).select_from(Audit).where(Audit.status == "finalised")
        ).scalar_one()
        notes = checker.notes + checker.version_notes()
        if key.record is None and n_events:
            notes.append(
                _(
                    "the log has no key yet (an earlier release wrote it): its entries are "
                    "checked by their hashes alone until the next change made with this "
                    "release keys it"
                )
            )
        elif key.record is not None and key.record.keyed_from > 1:
            notes.append(
                _(
                    "entries before {entry} were written by an earlier release, before the log "
                    "had a key: they are checked by their hashes, and the rows they wrote as far "
                    "as that release's log allows"
                ).format(entry=key.record.keyed_from)
            )
    return VerifyReport(
        events=n_events,
        finalised_audits=finalised,
        audits=n_audits,
        problems=problems.finish(),
        problem_count=problems.count,
        notes=notes,
        last_event_id=last["id"] if last is not None else None,
        last_hash=last["hash"] if last is not None else None,
        database=where(ctx.db),
        database_id=key.record.database_id if key.record else None,
        key_fingerprint=key.record.fingerprint if key.record else None,
        keyed_from=key.record.keyed_from if key.record else None,
        checked_at=checked_at,
    )


__all__ = ["VerifyReport", "audit_problems", "guard_problems", "parse_anchor", "verify_database"]
