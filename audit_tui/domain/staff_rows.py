"""One row of a staff list, checked: pure rules, no file and no database. The reader
(audit_tui.readers.staff_list) gives the text of each column; the staff service writes what
passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit_tui.domain.text import control_character
from audit_tui.i18n import N_, _

NAME_LIMIT = 120
TEAM_LIMIT = 120

_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", ""}


@dataclass
class StaffRow:
    """A staff list's row that passed every check."""

    number: int
    name: str
    team: str | None
    manager: bool | None  # None: the file does not say
    auditor: bool | None
    login: str | None
    left_on: date | None
    given: set[str]  # the columns the file has


def flag(value: str) -> bool | None:
    """A yes/no cell: True, False, or None when it says neither."""
    v = value.strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    return None


def _text_problems(name: str, team: str | None, login: str | None) -> list[str]:
    problems: list[str] = []
    if len(name) > NAME_LIMIT:
        problems.append(_("the name is longer than {n} characters").format(n=NAME_LIMIT))
    for what, value in (
        (_("the name"), name),
        (_("the team"), team or ""),
        (_("the login"), login or ""),
    ):
        bad = control_character(value)
        if bad is not None:
            problems.append(
                _("{what} contains a control character ({problem})").format(what=what, problem=bad)
            )
    return problems


_FLAG_WORDS = {"manager": N_("manager"), "auditor": N_("auditor")}


def _flags(values: dict[str, str], problems: list[str]) -> dict[str, bool | None]:
    flags: dict[str, bool | None] = {}
    for name in ("manager", "auditor"):
        raw = values.get(name, "")
        value = flag(raw)
        if value is None:
            problems.append(
                _("{column} '{value}' should be yes or no").format(
                    column=_(_FLAG_WORDS[name]), value=raw[:20]
                )
            )
        flags[name] = value if name in values else None
    return flags


def check_staff_row(
    number: int, values: dict[str, str], left_on: date | None
) -> tuple[StaffRow, list[str]]:
    """The row as a person, and its problems in plain words (without the file, row and name).

    `values` holds the text of every column the file has (spaces made single), by field;
    `left_on` is the date read from the leaving date cell (None when it holds none)."""
    name = values["name"]
    team = values.get("team") or None
    login = values.get("login") or None
    problems = _text_problems(name, team, login)
    if team is not None and len(team) > TEAM_LIMIT:
        problems.append(_("the team name is longer than {n} characters").format(n=TEAM_LIMIT))
    flags = _flags(values, problems)
    if flags["manager"] and team is None:
        problems.append(_("a manager needs a team"))
    raw_left = values.get("left_on", "")
    if raw_left and left_on is None:
        problems.append(
            _("leaving date '{value}' is not a date (write 2026-04-01)").format(value=raw_left[:30])
        )
    row = StaffRow(
        number=number,
        name=name,
        team=team,
        manager=flags["manager"],
        auditor=flags["auditor"],
        login=login,
        left_on=left_on if raw_left else None,
        given=set(values),
    )
    return row, problems
