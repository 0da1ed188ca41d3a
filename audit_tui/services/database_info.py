"""Facts about the open database: where it is, and whether it is a demo database.

A demo database holds made-up data only and says so on every screen and in every export. It is
marked by `database_info.kind = 'demo'` when demo data is written; a database made before that
mark existed is recognised by its rows (demo teams and nothing real). Real work in a demo
database is refused unless the user has confirmed it (`ctx.demo_confirmed`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.store.database import Database
from audit_tui.store.models import Audit, Case, DatabaseInfo, Team, utcnow

Kind = Literal["demo", "live", "empty"]
KIND_KEY = "kind"


class DemoDatabaseRefused(UserError):
    """Real work asked of a demo database without the user's confirmation."""


class DatabaseDescription(BaseModel):
    kind: Kind
    where: str  # the file's full path, or "PostgreSQL <database> on <host>"
    short: str  # the file name, or "<database>@<host>", for a one-line header

    @property
    def is_demo(self) -> bool:
        return self.kind == "demo"


def where(db: Database) -> str:
    """The database as a person would recognise it: its file, or its server and name."""
    if db.path is not None:
        return str(db.path)
    if db.is_sqlite:
        return _("a temporary in-memory database")
    url = db.url
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return _("PostgreSQL database {database} on {host}").format(
        database=url.database, host=f"{host}{port}"
    )


def short_where(db: Database) -> str:
    if db.path is not None:
        return db.path.name
    if db.is_sqlite:
        return _("in memory")
    return f"{db.url.database}@{db.url.host or 'localhost'}"


def _real_rows(s: Session) -> bool:
    """Any audit, team or case that is not demo data."""
    return any(
        s.execute(select(exists().where(model.is_demo.is_(False)))).scalar()
        for model in (Audit, Team, Case)
    )


def kind_in(s: Session) -> Kind:
    stored = get_info(s, KIND_KEY)
    if stored == "demo":
        return "demo"
    if stored == "live":
        return "live"
    if _real_rows(s):
        return "live"
    if s.execute(select(exists().where(Team.is_demo.is_(True)))).scalar():
        return "demo"  # made by `audit-tui demo` before databases were marked
    return "empty"


def database_kind(ctx: AppContext) -> Kind:
    """demo, live, or empty; read once per context (a database does not change kind while
    open, except by `mark_kind`, which updates it)."""
    if ctx.kind_cache is None:
        with ctx.db.read() as s:
            ctx.kind_cache = kind_in(s)
    return ctx.kind_cache


def is_demo(ctx: AppContext) -> bool:
    return database_kind(ctx) == "demo"


def describe(ctx: AppContext) -> DatabaseDescription:
    return DatabaseDescription(
        kind=database_kind(ctx), where=where(ctx.db), short=short_where(ctx.db)
    )


def get_info(s: Session, key: str) -> str | None:
    row = s.get(DatabaseInfo, key)
    return row.value if row is not None else None


def info(ctx: AppContext, key: str) -> str | None:
    with ctx.db.read() as s:
        return get_info(s, key)


def set_info(ctx: AppContext, s: Session, key: str, value: str) -> None:
    """Record a fact about the database, in the caller's transaction (and the log)."""
    row = s.get(DatabaseInfo, key)
    old = row.value if row is not None else None
    if old == value:
        return
    if row is None:
        s.add(DatabaseInfo(key=key, value=value, updated_at=utcnow()))
    else:
        row.value, row.updated_at = value, utcnow()
    log_event(s, ctx.actor, "mark", "database", None, field=key, old=old, new=value)


def mark_kind(ctx: AppContext, s: Session, kind: Kind) -> None:
    """Record what the database is for (demo or live)."""
    set_info(ctx, s, KIND_KEY, kind)
    ctx.kind_cache = kind


def refuse_real_work_in_demo(ctx: AppContext, s: Session, what: str) -> bool:
    """Inside a write: refuse `what` in a demo database unless confirmed. Returns whether the
    database is a demo one (what is written there is then marked demo too)."""
    if kind_in(s) != "demo":
        return False
    if not ctx.demo_confirmed:
        raise DemoDatabaseRefused(
            _(
                "{database} is the demo database: {what} here would sit among made-up data "
                "and count nowhere real. Open your own database, or confirm that you only mean "
                "to practise"
            ).format(database=where(ctx.db), what=what)
        )
    return True
