"""Teams, workers and cases: the people and files audits are about."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import kind_in
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Team, Worker


class TeamOut(BaseModel):
    id: int
    name: str
    is_demo: bool = False


class WorkerOut(BaseModel):
    id: int
    name: str
    team: str | None
    is_manager: bool


def find_team(session: Session, name: str) -> Team:
    team = session.execute(
        select(Team).where(func.lower(Team.name) == name.strip().lower())
    ).scalar_one_or_none()
    if team is None:
        known = ", ".join(session.execute(select(Team.name).order_by(Team.name)).scalars())
        raise UserError(
            _("unknown team '{name}' (known: {known})").format(
                name=name, known=known or _("none yet")
            )
        )
    return team


def get_or_create_worker(
    ctx: AppContext,
    session: Session,
    name: str,
    team: Team | None = None,
    *,
    manager: bool = False,
    auditor: bool = False,
) -> Worker:
    """The person called `name`, added to the directory if new. `manager` and `auditor` mark
    what they are doing now (a manager audits too); neither is ever taken away here."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError(_("a worker's name cannot be empty"))
    worker = session.execute(
        select(Worker).where(func.lower(Worker.name) == clean.lower())
    ).scalar_one_or_none()
    if worker is None:
        worker = Worker(
            name=clean,
            team_id=team.id if team else None,
            is_manager=manager,
            is_auditor=manager or auditor,
        )
        session.add(worker)
        session.flush()
        log_event(session, ctx.actor, "create", "worker", worker.id, new=worker_values(worker))
        return worker
    for flag, wanted in (("is_manager", manager), ("is_auditor", manager or auditor)):
        if wanted and not getattr(worker, flag):
            log_event(
                session, ctx.actor, "edit", "worker", worker.id, field=flag, old=False, new=True
            )
            setattr(worker, flag, True)
    return worker


def worker_values(worker: Worker) -> dict[str, object]:
    """A new member of staff as their log entry records them (`db verify` compares these)."""
    return {
        "name": worker.name,
        "team_id": worker.team_id,
        "is_manager": bool(worker.is_manager),
        "is_auditor": bool(worker.is_auditor),
        "login": worker.login,
        "left_on": worker.left_on,
        "is_demo": bool(worker.is_demo),
    }


def create_team(
    ctx: AppContext, s: Session, name: str, *, demo: bool, reason: str | None = None
) -> Team:
    """A new team, logged with its name and whether it is demo data (`reason`: the file an
    import made it from)."""
    team = Team(name=name, is_demo=demo)
    s.add(team)
    s.flush()
    log_event(
        s, ctx.actor, "create", "team", team.id, new={"name": name, "is_demo": demo}, reason=reason
    )
    return team


def add_team(ctx: AppContext, name: str) -> TeamOut:
    clean = " ".join(name.split())
    if not clean or len(clean) > 120:
        raise UserError(_("a team name must be 1-120 characters"))
    with ctx.db.write() as s:
        exists = s.execute(
            select(Team).where(func.lower(Team.name) == clean.lower())
        ).scalar_one_or_none()
        if exists:
            raise UserError(_("team '{team}' already exists").format(team=exists.name))
        team = create_team(ctx, s, clean, demo=kind_in(s) == "demo")
        return TeamOut(id=team.id, name=team.name, is_demo=team.is_demo)


def list_teams(ctx: AppContext) -> list[TeamOut]:
    with ctx.db.read() as s:
        return [
            TeamOut(id=t.id, name=t.name, is_demo=t.is_demo)
            for t in s.execute(select(Team).order_by(Team.name)).scalars()
        ]


def list_workers(ctx: AppContext, *, managers_only: bool = False) -> list[WorkerOut]:
    with ctx.db.read() as s:
        q = select(Worker).order_by(Worker.name)
        if managers_only:
            q = q.where(Worker.is_manager)
        return [
            WorkerOut(
                id=w.id, name=w.name, team=w.team.name if w.team else None, is_manager=w.is_manager
            )
            for w in s.execute(q).scalars()
        ]
