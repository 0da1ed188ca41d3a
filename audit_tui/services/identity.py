"""Who is working: one identity per session, linked to a person in the staff directory.

The name comes from `--user`, AUDIT_TUI_USER, the user settings file, or the login name, in
that order (Settings resolves the first three). It is linked to a person in the directory by
name, or by the person's recorded login; failing that, by the choice made the first time this
database was opened (Home asks: pick yourself from the directory or add yourself). That choice
is remembered per database in a small file in the user's config folder - never in the shared
database as "the" user.

On PostgreSQL, where each person connects with a login of their own and the directory records
it (`workers.login`), the connection's login is the identity: the log records it, and a
`--user` naming someone else is refused. Where everyone shares one login, identities are
declared, not proven.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile

from pydantic import BaseModel
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from audit_tui.config import Settings
from audit_tui.domain.errors import UserError
from audit_tui.i18n import N_, _
from audit_tui.identity_choices import choices_path, load_choices, remembered_in, sqlite_key
from audit_tui.services.context import AppContext
from audit_tui.store.database import Database
from audit_tui.store.models import Worker


class Identity(BaseModel):
    name: str  # the person, as the staff directory names them (or as declared, until linked)
    declared: str  # what the settings or the login name said
    source: str  # where `declared` came from, in words
    worker_id: int | None = None  # None: not in the staff directory yet - Home asks
    login: str | None = None  # the database login that proves it (PostgreSQL)

    @property
    def proven(self) -> bool:
        return self.login is not None

    @property
    def linked(self) -> bool:
        return self.worker_id is not None

    @property
    def actor(self) -> str:
        """What the event log records."""
        if self.login is None or self.login.lower() == self.name.lower():
            return self.name
        return f"{self.name} (login {self.login})"

    def describe(self) -> str:
        if self.proven:
            return _("{name}, proven by the database login {login}").format(
                name=self.name, login=self.login
            )
        # `source` is kept in English (N_ below) and said in the language of the moment.
        fields = {"name": self.name, "source": _(self.source)}
        if self.linked:
            return _("{name} (declared: {source}; not proven by a login of your own)").format(
                **fields
            )
        return _("{name} (declared: {source}; not in the staff directory yet)").format(**fields)


def _clean(name: str) -> str:
    return " ".join(name.split())


def database_key(db: Database) -> str:
    """How the remembered choices name a database: its file, or its server, port and name."""
    if db.path is not None:
        return sqlite_key(db.path)
    return db.url.set(password=None).render_as_string(hide_password=True)


def database_login(db: Database) -> str | None:
    """The login this connection uses (PostgreSQL); None for SQLite."""
    if db.is_sqlite:
        return None
    with db.read() as s:
        return str(s.execute(text("SELECT current_user")).scalar())  # not translated: SQL


# --- the remembered choices ---------------------------------------------------------------


def remembered(db: Database, declared: str) -> str | None:
    return remembered_in(database_key(db), declared)


def remember(db: Database, declared: str, name: str) -> None:
    """Remember that `declared` is `name` in this database (written whole, then moved)."""
    data = load_choices()
    data.setdefault(database_key(db), {})[declared.lower()] = name
    path = choices_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identities.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(
            _("{path}: cannot remember who you are ({reason})").format(
                path=path, reason=exc.strerror
            )
        ) from None


# --- resolving ----------------------------------------------------------------------------


def _by_name_or_login(s: Session, name: str) -> Worker | None:
    key = _clean(name).lower()
    return s.execute(
        select(Worker)
        .where(or_(func.lower(Worker.name) == key, func.lower(Worker.login) == key))
        .order_by(func.lower(Worker.name) != key)  # a name match wins over a login match
        .limit(1)
    ).scalar()


def _by_name(s: Session, name: str) -> Worker | None:
    return s.execute(
        select(Worker).where(func.lower(Worker.name) == _clean(name).lower())
    ).scalar_one_or_none()


def resolve_identity(db: Database, settings: Settings) -> Identity:
    """Who this session is, from the settings (or the login name) and this database."""
    explicit = _clean(settings.user)
    declared = explicit or getpass.getuser()
    source = (
        N_("--user, AUDIT_TUI_USER or the settings file") if explicit else N_("your login name")
    )
    login = database_login(db)
    with db.read() as s:
        if login is not None:
            owner = s.execute(
                select(Worker).where(func.lower(Worker.login) == login.lower())
            ).scalar_one_or_none()
            if owner is not None:
                if explicit and explicit.lower() not in (owner.name.lower(), login.lower()):
                    raise UserError(
                        _(
                            "you asked to work as '{asked}', but this connection logs in as "
                            "'{login}', which is {name}: on this database your login says "
                            "who you are"
                        ).format(asked=explicit, login=login, name=owner.name)
                    )
                return Identity(
                    name=owner.name,
                    declared=declared,
                    source=source,
                    worker_id=owner.id,
                    login=login,
                )
        person = _by_name_or_login(s, declared)
        if person is None:
            chosen = remembered(db, declared)
            person = _by_name(s, chosen) if chosen else None
        if person is not None and login is not None and person.login:
            # That person proves who they are with a login of their own, and this is not it.
            raise UserError(
                _(
                    "{name} connects with the login '{theirs}', but this connection logs in "
                    "as '{login}': connect with your own login"
                ).format(name=person.name, theirs=person.login, login=login)
            )
        if person is None:
            return Identity(name=declared, declared=declared, source=source)
        return Identity(name=person.name, declared=declared, source=source, worker_id=person.id)


def link_identity(ctx: AppContext, name: str) -> Identity:
    """This session is `name` from the staff directory, here and next time in this database."""
    current = ctx.identity
    if current is not None and current.proven:
        raise UserError(
            _(
                "this connection logs in as '{login}', which is {name}: connect with another "
                "login to work as someone else"
            ).format(login=current.login, name=current.name)
        )
    with ctx.db.read() as s:
        person = _by_name(s, name)
        if person is None:
            raise UserError(
                _("'{name}' is not in the staff directory: add them first").format(
                    name=_clean(name)
                )
            )
        if person.left_on is not None:
            raise UserError(
                _("{name} left on {date}").format(name=person.name, date=person.left_on.isoformat())
            )
        login = database_login(ctx.db)
        if login is not None and person.login and person.login.lower() != login.lower():
            raise UserError(
                _("{name} connects with the login '{theirs}', not '{login}'").format(
                    name=person.name, theirs=person.login, login=login
                )
            )
        found = Identity(
            name=person.name,
            declared=current.declared if current is not None else ctx.actor,
            source=current.source if current is not None else N_("chosen"),
            worker_id=person.id,
        )
    remember(ctx.db, found.declared, found.name)
    ctx.identity = found
    ctx.actor = found.actor
    return found
