"""Import the case list exported from the case management system (CSV or XLSX).

The import is all-or-nothing: the whole file is read and checked (audit_tui.readers) before
anything is written, and one bad row means nothing is imported. Re-importing a file updates
the cases it names (matched by reference) instead of adding them twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from audit_tui.domain.case_rows import CaseRow
from audit_tui.i18n import _, ngettext
from audit_tui.readers.case_list import read_case_file
from audit_tui.readers.rejected import ImportRejected
from audit_tui.services import framework_choice
from audit_tui.services.audit_rules import case_values
from audit_tui.services.context import AppContext
from audit_tui.services.database_info import refuse_real_work_in_demo
from audit_tui.services.directory import create_team, get_or_create_worker
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Case, Team, Worker, utcnow

__all__ = ["CaseImport", "ImportRejected", "ImportReport", "import_cases"]


class CaseImport(BaseModel):
    """A request to import a case list: the file, and the framework whose case types it is
    read against (None: the settings' default)."""

    path: Path
    framework_id: str | None = None


class ImportReport(BaseModel):
    """What an import did. `notes` are lines fit to show the user as they are."""

    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    teams_created: list[str]
    workers_created: list[str]
    ignored_columns: list[str]
    notes: list[str]


def _mark_manager(
    ctx: AppContext, s: Session, row: CaseRow, team: Team, file: str, notes: list[str]
) -> None:
    """The row's team manager column: that person manages the row's team (added to the staff
    directory if new). Someone in another team, or a leaver, is an error naming them."""
    name = " ".join(row.team_manager.split()) if row.team_manager else ""
    known = s.execute(select(Worker).where(func.lower(Worker.name) == name.lower())).scalar()
    if known is not None and known.team_id not in (None, team.id):
        raise ImportRejected(
            file,
            [
                _(
                    "{file}: row {row}: team manager {name} is in team {their_team}, not {team} "
                    "(move them with `audit-tui staff set-team` first)"
                ).format(
                    file=file,
                    row=row.number,
                    name=known.name,
                    their_team=known.team.name if known.team else "?",
                    team=team.name,
                )
            ],
        )
    if known is not None and known.left_on is not None:
        raise ImportRejected(
            file,
            [
                _("{file}: row {row}: team manager {name} left on {date}").format(
                    file=file, row=row.number, name=known.name, date=known.left_on.isoformat()
                )
            ],
        )
    if known is not None and known.is_manager and known.team_id == team.id:
        return
    worker = get_or_create_worker(ctx, s, name, team, manager=True)
    if worker.team_id is None:
        log_event(
            s,
            ctx.actor,
            "edit",
            "worker",
            worker.id,
            field="team_id",
            new={"id": team.id, "name": team.name},
        )
        worker.team_id = team.id
    notes.append(_("{name} marked as a manager of {team}").format(name=worker.name, team=team.name))


def _existing_cases(session: Session, refs: list[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for start in range(0, len(refs), 500):  # stay well under any bound-parameter limit
        chunk = refs[start : start + 500]
        for case in session.execute(select(Case).where(Case.reference.in_(chunk))).scalars():
            found[case.reference] = case
    return found


@dataclass
class _Writing:
    """One import's transaction: what the database holds, what this file changed."""

    ctx: AppContext
    s: Session
    file: str
    demo: bool
    teams: dict[str, Team]
    known_workers: set[str]
    workers: dict[str, Worker] = field(default_factory=dict)
    teams_created: list[str] = field(default_factory=list)
    workers_created: list[str] = field(default_factory=list)
    managers_marked: list[str] = field(default_factory=list)
    fresh: list[Case] = field(default_factory=list)
    updates: list[tuple[Case, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    def team(self, name: str) -> Team:
        team_name = " ".join(name.split())
        team = self.teams.get(team_name.lower())
        if team is None:
            team = create_team(self.ctx, self.s, team_name, demo=self.demo, reason=self.file)
            self.teams[team_name.lower()] = team
            self.teams_created.append(team_name)
        return team

    def holder(self, name: str | None, team: Team) -> Worker | None:
        if not name:
            return None
        key = name.lower()
        holder = self.workers.get(key)
        if holder is None:
            if key not in self.known_workers:
                self.workers_created.append(name)
                self.known_workers.add(key)
            holder = get_or_create_worker(self.ctx, self.s, name, team)
            self.workers[key] = holder
        return holder

    def case(self, row: CaseRow, existing: Case | None) -> None:
        team = self.team(row.team)
        if row.team_manager:
            _mark_manager(self.ctx, self.s, row, team, self.file, self.managers_marked)
        holder = self.holder(row.case_holder, team)
        new: dict[str, Any] = {
            "case_type": row.case_type,
            "team_id": team.id,
            "worker_id": holder.id if holder else None,
            **row.optional,
        }
        if existing is None:
            self.fresh.append(Case(reference=row.reference, is_demo=self.demo, **new))
            return
        changed = {k: v for k, v in new.items() if getattr(existing, k) != v}
        if not changed and existing.is_demo == self.demo:
            self.unchanged += 1
            return
        if existing.is_demo != self.demo:
            changed["is_demo"] = self.demo  # a case in a real import is real, whatever made it
        old = {k: getattr(existing, k) for k in changed}
        for k, v in changed.items():
            setattr(existing, k, v)
        existing.updated_at = utcnow()
        self.updates.append((existing, old, changed))

    def log_cases(self, rows: int) -> None:
        """One event per created or changed case, then one for the import itself."""
        team_names = {t.id: t.name for t in self.teams.values()}
        worker_names = {wid: wname for wid, wname in self.s.execute(select(Worker.id, Worker.name))}

        def readable(values: dict[str, Any]) -> dict[str, Any]:
            """The columns (ids for `db verify`) and the team and case-holder by name."""
            out = dict(values)
            if "team_id" in values:
                out["team"] = team_names.get(values["team_id"])
            if "worker_id" in values:
                out["case_holder"] = worker_names.get(values["worker_id"])
            return out

        for case in self.fresh:
            new = readable(case_values(case))
            log_event(self.s, self.ctx.actor, "import", "case", case.id, new=new, reason=self.file)
        for case, old, changed in self.updates:
            log_event(
                self.s,
                self.ctx.actor,
                "import",
                "case",
                case.id,
                old=readable(old),
                new=readable(changed),
                reason=self.file,
            )
        log_event(
            self.s,
            self.ctx.actor,
            "import_cases",
            "case_list",
            None,
            new={
                "file": self.file,
                "rows": rows,
                "created": len(self.fresh),
                "updated": len(self.updates),
            },
        )


def import_cases(
    ctx: AppContext, request: CaseImport | Path, framework_id: str | None = None
) -> ImportReport:
    """Create or update the cases listed in a CSV or XLSX file, all or nothing. The case
    types are those of the framework in use (the request's, default the settings').

    A bare path (and `framework_id`) is taken as the request it stands for.
    Raises ImportRejected (a UserError) listing every problem when anything is wrong.
    Each created or changed case gets one event (old and new values); unchanged cases none;
    one summary event records the import itself.
    """
    if not isinstance(request, CaseImport):
        request = CaseImport(path=Path(request), framework_id=framework_id)
    fw = framework_choice.in_use(ctx, request.framework_id)
    rows, cols = read_case_file(request.path, fw)
    file = request.path.name
    with ctx.db.write() as s:
        demo = refuse_real_work_in_demo(ctx, s, _("importing a case list"))
        w = _Writing(
            ctx,
            s,
            file,
            demo,
            teams={t.name.lower(): t for t in s.execute(select(Team)).scalars()},
            known_workers={n.lower() for n in s.execute(select(func.lower(Worker.name))).scalars()},
        )
        existing = _existing_cases(s, [r.reference for r in rows])
        for row in rows:
            w.case(row, existing.get(row.reference))
        # One flush for all new cases; then one event per created or changed case.
        s.add_all(w.fresh)
        s.flush()
        w.log_cases(len(rows))
    notes = [
        _("column '{column}' ignored (not a known column)").format(column=c) for c in cols.ignored
    ]
    notes += [_("created team '{team}'").format(team=t) for t in w.teams_created]
    notes += w.managers_marked
    if w.workers_created:
        n = len(w.workers_created)
        notes.append(ngettext("added {n} case-holder", "added {n} case-holders", n).format(n=n))
    return ImportReport(
        file=file,
        rows=len(rows),
        created=len(w.fresh),
        updated=len(w.updates),
        unchanged=w.unchanged,
        teams_created=w.teams_created,
        workers_created=w.workers_created,
        ignored_columns=cols.ignored,
        notes=notes,
    )
