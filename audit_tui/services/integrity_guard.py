"""`db verify`'s check of the event log's append-only guard: the triggers that refuse to
change or delete log entries, and on PostgreSQL the roles that may."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from audit_tui.i18n import _

# not translated: the triggers' SQL as the migration made it (compared, never shown)
_SQLITE_TRIGGERS = {
    "events_no_update": "create trigger events_no_update before update on events begin select "
    "raise(abort, 'the event log is append-only'); end",
    "events_no_delete": "create trigger events_no_delete before delete on events begin select "
    "raise(abort, 'the event log is append-only'); end",
}

# not translated: PostgreSQL's form of the trigger's definition (compared, never shown)
_PG_TRIGGER = re.compile(
    r"BEFORE (DELETE OR UPDATE|UPDATE OR DELETE) ON \S*events FOR EACH ROW "
    r"EXECUTE (FUNCTION|PROCEDURE) \S*events_append_only\(\)"
)
# not translated: the trigger function's body as the migration made it
_PG_BODY = "begin raise exception 'the event log is append-only'; end;"
# not translated: SQL
_SQLITE_FOUND = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
# not translated: SQL
_PG_FOUND = (
    "SELECT t.tgenabled, pg_get_triggerdef(t.oid), p.prosrc FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
    "WHERE c.relname = 'events' AND t.tgname = 'events_append_only' "
    "AND c.relnamespace = to_regnamespace(current_schema())"
)
# not translated: SQL
_PG_GRANTS = (
    "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, "
    "a.privilege_type FROM pg_class c, aclexplode(c.relacl) a "
    "WHERE c.relname = 'events' AND c.relnamespace = to_regnamespace(current_schema()) "
    "AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') "
    "AND a.grantee <> c.relowner ORDER BY 1, 2"
)


def _squash(sql: str) -> str:
    return " ".join(sql.lower().replace("\n", " ").split())


def _missing(name: str) -> str:
    return _(
        "the event log's append-only trigger {name} is missing (it was dropped: log entries "
        "could be changed or deleted)"
    ).format(name=name)


def _changed(name: str) -> str:
    return _("the event log's append-only trigger {name} was changed").format(name=name)


def guard_problems(s: Session) -> list[str]:
    """The triggers that refuse to change or delete log entries are there, unchanged and
    enabled; on PostgreSQL, no role but the events table's owner may UPDATE, DELETE or
    TRUNCATE it."""
    if s.get_bind().dialect.name == "sqlite":
        found: dict[str, str] = dict(s.execute(text(_SQLITE_FOUND)).all())
        out = []
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in found:
                out.append(_missing(name))
            elif _squash(found[name] or "") != sql:
                out.append(_changed(name))
        return out
    out = []
    trigger = s.execute(text(_PG_FOUND)).first()
    if trigger is None:
        out.append(_missing("events_append_only"))
    else:
        enabled, definition, body = trigger
        if enabled == "D":
            out.append(
                _("the event log's append-only trigger {name} is disabled").format(
                    name="events_append_only"
                )
            )
        if not _PG_TRIGGER.search(definition) or _squash(body) != _PG_BODY:
            out.append(_changed("events_append_only"))
    for grantee, privilege in s.execute(text(_PG_GRANTS)):
        out.append(
            _(
                "role {role} may {privilege} log entries (REVOKE UPDATE, DELETE, TRUNCATE ON "
                "events FROM {role})"
            ).format(role=grantee, privilege=privilege)
        )
    return out
