"""The staff directory: people, their team, whether they manage it, whether they audit, their
database login, and whether they have left. A leaver keeps their history (audits, cases,
actions) but gets no new work. Every change is logged; every error names the person.

`import_staff` takes a staff list (CSV or XLSX) all or nothing, like the case import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.staff_rows import NAME_LIMIT, StaffRow
from audit_tui.domain.text import check_plain
from audit_tui.i18n import _
from audit_tui.readers.rejected import ImportRejected
from audit_tui.readers.staff_list import read_staff_file
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import kind_in, refuse_real_work_in_demo
from audit_tui.services.directory import create_team, find_team, worker_values
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Team, Worker


class StaffMember(BaseModel):
    id: int
    name: str
    team: str | None
    is_manager: bool
    is_auditor: bool
    login: str | None
    left_on: date | None
    is_demo: bool

    @property
    def is_leaver(self) -> bool:
        return self.left_on is not None


class StaffImportReport(BaseModel):
    file: str
    rows: int
    created: list[str]
    updated: list[str]
    unchanged: int
    teams_created: list[str]


def _out(w: Worker) -> StaffMember:
    return StaffMember(
        id=w.id,
        name=w.name,
        team=w.team.name if w.team else None,
        is_manager=w.is_manager,
        is_auditor=w.is_auditor,
        login=w.login,
        left_on=w.left_on,
        is_demo=w.is_demo,
    )


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def _person(s: Session, name: str) -> Worker:
    clean = _clean(name)
    worker = s.execute(
        select(Worker).where(func.lower(Worker.name) == clean.lower())
    ).scalar_one_or_none()
    if worker is None:
        raise UserError(
            _("'{name}' is not in the staff directory (see `audit-tui staff list`)").format(
                name=clean
            )
        )
    return worker


def _valid_name(name: str) -> str:
    clean = _clean(name)
    if not clean:
        raise UserError(_("a person's name cannot be empty"))
    if len(clean) > NAME_LIMIT:
        raise UserError(
            _("'{start}...': a name can be at most {n} characters").format(
                start=clean[:40], n=NAME_LIMIT
            )
        )
    return check_plain(clean, _("the name"))


def _login_taken(s: Session, login: str, worker_id: int | None) -> Worker | None:
    return s.execute(
        select(Worker).where(
            func.lower(Worker.login) == login.lower(), Worker.id != (worker_id or 0)
        )
    ).scalar_one_or_none()


def team_ref(team: Team | None) -> dict[str, object] | None:
    """A team as a log entry refers to it: its id (what `db verify` compares) and name."""
    return {"id": team.id, "name": team.name} if team is not None else None


def _set(ctx: AppContext, s: Session, w: Worker, field: str, value: object, shown: object) -> bool:
    old = getattr(w, field)
    if old == value:
        return False
    if field == "team_id":
        old, shown = team_ref(w.team), team_ref(s.get(Team, value) if value else None)
    elif isinstance(old, date):
        old = old.isoformat()
    log_event(s, ctx.actor, "edit", "worker", w.id, field=field, old=old, new=shown)
    setattr(w, field, value)
    return True


# --- use cases -----------------------------------------------------------------------------


def list_staff(ctx: AppContext, *, include_leavers: bool = True) -> list[StaffMember]:
    with ctx.db.read() as s:
        q = select(Worker).order_by(func.lower(Worker.name))
        if not include_leavers:
            q = q.where(Worker.left_on.is_(None))
        return [_out(w) for w in s.execute(q).scalars()]


def add_person(
    ctx: AppContext,
    name: str,
    team: str | None = None,
    *,
    manager: bool = False,
    auditor: bool = False,
    login: str | None = None,
) -> StaffMember:
    clean = _valid_name(name)
    with ctx.db.write() as s:
        demo = kind_in(s) == "demo"  # someone added to a demo database is demo too
        existing = s.execute(
            select(Worker).where(func.lower(Worker.name) == clean.lower())
        ).scalar_one_or_none()
        if existing is not None:
            raise UserError(
                _("{name} is already in the staff directory").format(name=existing.name)
            )
        the_team = find_team(s, team) if team and team.strip() else None
        login = _clean(login or "") or None
        if login is not None:
            other = _login_taken(s, login, None)
            if other is not None:
                raise UserError(
                    _("{name}: the login '{login}' is already {other}'s").format(
                        name=clean, login=login, other=other.name
                    )
                )
        if manager and the_team is None:
            raise UserError(_("{name}: a manager manages a team; give the team").format(name=clean))
        w = Worker(
            name=clean,
            team_id=the_team.id if the_team else None,
            is_manager=manager,
            is_auditor=manager or auditor,
            login=login,
            is_demo=demo,
        )
        s.add(w)
        s.flush()
        log_event(
            s,
            ctx.actor,
            "create",
            "worker",
            w.id,
            new={**worker_values(w), "team": the_team.name if the_team else None},
        )
        s.refresh(w)
        return _out(w)


def set_team(ctx: AppContext, name: str, team: str | None) -> StaffMember:
    """Move a person to `team` (None: no team). A manager moved stops managing the old team."""
    with ctx.db.write() as s:
        w = _person(s, name)
        the_team = find_team(s, team) if team and team.strip() else None
        if the_team is None and w.is_manager:
            raise UserError(
                _(
                    "{name} manages {team}: unmark them as manager first "
                    "(`audit-tui staff manager NAME --no`)"
                ).format(name=w.name, team=w.team.name if w.team else _("a team"))
            )
        _set(
            ctx,
            s,
            w,
            "team_id",
            the_team.id if the_team else None,
            the_team.name if the_team else None,
        )
        s.flush()
        s.refresh(w)
        return _out(w)


def set_manager(ctx: AppContext, name: str, manager: bool = True) -> StaffMember:
    """Mark (or unmark) a person as a manager of their team; a manager is an auditor too."""
    with ctx.db.write() as s:
        w = _person(s, name)
        if manager and w.team_id is None:
            raise UserError(
                _("{name} has no team: give them one first (`audit-tui staff set-team`)").format(
                    name=w.name
                )
            )
        if manager and w.left_on is not None:
            raise UserError(
                _("{name} left on {date}: a leaver manages no team").format(
                    name=w.name, date=w.left_on.isoformat()
                )
            )
        _set(ctx, s, w, "is_manager", manager, manager)
        if manager:
            _set(ctx, s, w, "is_auditor", True, True)
        s.flush()
        return _out(w)


def set_auditor(ctx: AppContext, name: str, auditor: bool = True) -> StaffMember:
    with ctx.db.write() as s:
        w = _person(s, name)
        if not auditor and w.is_manager:
            raise UserError(
                _("{name} is a manager, and managers audit their team's files").format(name=w.name)
            )
        _set(ctx, s, w, "is_auditor", auditor, auditor)
        s.flush()
        return _out(w)


def set_login(ctx: AppContext, name: str, login: str | None) -> StaffMember:
    """The database login this person connects with (PostgreSQL, one login per person)."""
    clean_login = _clean(login or "") or None
    with ctx.db.write() as s:
        w = _person(s, name)
        if clean_login is not None:
            other = _login_taken(s, clean_login, w.id)
            if other is not None:
                raise UserError(
                    _("{name}: the login '{login}' is already {other}'s").format(
                        name=w.name, login=clean_login, other=other.name
                    )
                )
        _set(ctx, s, w, "login", clean_login, clean_login)
        s.flush()
        return _out(w)


def mark_leaver(ctx: AppContext, name: str, left_on: date | None) -> StaffMember:
    """`left_on` a date: they left then (keeping their history, getting no new work); None:
    they are back. A leaver stops managing their team."""
    with ctx.db.write() as s:
        w = _person(s, name)
        if left_on is not None and left_on > ctx.today():
            raise UserError(
                _("{name}: the leaving date {date} is in the future").format(
                    name=w.name, date=left_on.isoformat()
                )
            )
        if left_on is not None and w.left_on is not None:
            raise UserError(
                _("{name} already left on {date}").format(name=w.name, date=w.left_on.isoformat())
            )
        _set(ctx, s, w, "left_on", left_on, left_on.isoformat() if left_on else None)
        if left_on is not None:
            _set(ctx, s, w, "is_manager", False, False)
        s.flush()
        return _out(w)


# --- the staff list import -----------------------------------------------------------------


class StaffImport(BaseModel):
    """A request to import a staff list: the file."""

    path: Path


@dataclass
class _StaffWriting:
    """One staff import's transaction: the teams known, what this file changed."""

    ctx: AppContext
    s: Session
    file: str
    demo: bool
    names: set[str]  # everyone the file lists, lower case
    teams: dict[str, Team]
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: int = 0

    def team(self, name: str | None) -> Team | None:
        if name is None:
            return None
        team = self.teams.get(name.lower())
        if team is None:
            team = create_team(self.ctx, self.s, name, demo=self.demo, reason=self.file)
            self.teams[name.lower()] = team
            self.teams_created.append(name)
        return team

    def login_clash(self, row: StaffRow, w: Worker | None) -> str | None:
        """Someone outside the file already has the row's login."""
        if row.login is None:
            return None
        other = _login_taken(self.s, row.login, w.id if w else None)
        if other is not None and other.name.lower() not in self.names:
            return _("login '{login}' is already {other}'s").format(
                login=row.login, other=other.name
            )
        return None

    def person(self, row: StaffRow) -> None:
        who = f"{self.file}: row {row.number} ({row.name[:60]})"
        team = self.team(row.team)
        w = self.s.execute(
            select(Worker).where(func.lower(Worker.name) == row.name.lower())
        ).scalar_one_or_none()
        if (clash := self.login_clash(row, w)) is not None:
            self.errors.append(f"{who}: {clash}")
            return
        changed = False
        if w is None:
            w = Worker(name=row.name, is_demo=self.demo)
            self.s.add(w)
            self.s.flush()
            log_event(
                self.s,
                self.ctx.actor,
                "create",
                "worker",
                w.id,
                new=worker_values(w),
                reason=self.file,
            )
            self.created.append(row.name)
            changed = True
        for name, (value, shown) in _wanted(row, team).items():
            changed = self.set(w, name, value, shown) or changed
        if row.name not in self.created:
            if changed:
                self.updated.append(row.name)
            else:
                self.unchanged += 1
        self.s.flush()

    def set(self, w: Worker, name: str, value: object, shown: object) -> bool:
        old = getattr(w, name)
        if old == value:
            return False
        if name == "team_id":
            old = team_ref(w.team)
        elif name == "left_on" and old is not None:
            old = old.isoformat()
        log_event(
            self.s,
            self.ctx.actor,
            "import",
            "worker",
            w.id,
            field=name,
            old=old,
            new=shown,
            reason=self.file,
        )
        setattr(w, name, value)
        return True


def _wanted(row: StaffRow, team: Team | None) -> dict[str, tuple[object, object]]:
    """What the row sets on the person: column -> (value, as the log shows it). Columns the
    file lacks are left as they are."""
    wanted: dict[str, tuple[object, object]] = {}
    if "team" in row.given:
        wanted["team_id"] = (team.id if team else None, team_ref(team))
    if row.manager is not None:
        wanted["is_manager"] = (row.manager and row.left_on is None, row.manager)
    if row.auditor is not None or row.manager:
        auditor = bool(row.auditor) or bool(row.manager)
        wanted["is_auditor"] = (auditor, auditor)
    if "login" in row.given:
        wanted["login"] = (row.login, row.login)
    if "left_on" in row.given:
        iso = row.left_on.isoformat() if row.left_on else None
        wanted["left_on"] = (row.left_on, iso)
    return wanted


def import_staff(ctx: AppContext, request: StaffImport | Path) -> StaffImportReport:
    """Add or update the people in a staff list, all or nothing. A person already in the
    directory (same name) is updated to what the file says; columns the file lacks are left
    as they are. A bare path is taken as the request it stands for."""
    if not isinstance(request, StaffImport):
        request = StaffImport(path=Path(request))
    file = request.path.name
    rows = read_staff_file(request.path)
    with ctx.db.write() as s:
        demo = refuse_real_work_in_demo(ctx, s, _("importing a staff list"))
        w = _StaffWriting(
            ctx,
            s,
            file,
            demo,
            names={r.name.lower() for r in rows},
            teams={t.name.lower(): t for t in s.execute(select(Team)).scalars()},
        )
        for row in rows:
            w.person(row)
        if w.errors:
            raise ImportRejected(file, w.errors)  # the transaction rolls back: nothing kept
        log_event(
            s,
            ctx.actor,
            "import_staff",
            "staff_list",
            None,
            new={
                "file": file,
                "rows": len(rows),
                "created": len(w.created),
                "updated": len(w.updated),
            },
        )
    return StaffImportReport(
        file=file,
        rows=len(rows),
        created=w.created,
        updated=w.updated,
        unchanged=w.unchanged,
        teams_created=w.teams_created,
    )
