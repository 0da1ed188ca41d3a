"""One row of a case list, checked: pure rules, no file and no database. The reader
(audit_tui.readers.case_list) turns a file's cells into the text checked here; the case
import service writes what passes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.domain.text import control_character, visible
from audit_tui.i18n import N_, _

# The same rule a new audit's case reference must meet, so every imported case can be
# audited as it is (services.schemas uses this pattern too).
CASE_REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$"
REFERENCE_RE = re.compile(CASE_REFERENCE_PATTERN)

REQUIRED_FIELDS = ("reference", "case_type", "team", "case_holder")
OPTIONAL_FIELDS = ("legal_status", "age_band", "open_date")
# Optional, about staff rather than the case: the named person manages the row's team.
STAFF_FIELDS = ("team_manager",)

# In English; said with _() where shown.
FIELD_LABELS = {
    "reference": N_("case reference"),
    "case_type": N_("case type"),
    "team": N_("team"),
    "case_holder": N_("case-holder"),
    "legal_status": N_("legal status"),
    "age_band": N_("age band"),
    "open_date": N_("open date"),
    "team_manager": N_("team manager"),
}

# Longest text each free-text field may hold.
LIMITS = {
    "team": 120,
    "case_holder": 120,
    "legal_status": 80,
    "age_band": 20,
    "team_manager": 120,
}


@dataclass
class CaseRow:
    """A case list's row that passed every check."""

    number: int
    reference: str
    case_type: str
    team: str
    case_holder: str | None
    optional: dict[str, Any] = field(default_factory=dict)  # only the optional columns given
    team_manager: str | None = None


def unknown_case_type(value: str, fw: Framework) -> str:
    # In the reader's language: a case list may give a case type in either (case_types.py).
    shown = fw.shown_in(i18n.shown_language())
    named = ", ".join(str(shown.case_type_label(c)) for c in fw.case_type_codes)
    return _("unknown case type '{value}' (framework {framework} has: {named})").format(
        value=value[:60], framework=fw.id, named=named
    )


def _required_problems(values: dict[str, str]) -> list[str]:
    return [
        _("missing {field}").format(field=_(FIELD_LABELS[f]))
        for f in ("reference", "case_type", "team")
        if not values[f]
    ]


def _reference_problem(ref: str) -> str | None:
    if ref and not REFERENCE_RE.match(ref):
        return _(
            "case reference '{ref}' is not a case management system id "
            "(letters, digits and / _ . - only, at most 64 characters)"
        ).format(ref=ref[:70])
    return None


def _text_problems(values: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for name, limit in LIMITS.items():
        value = values.get(name)
        if value is None:
            continue
        if len(value) > limit:
            problems.append(
                _("{field} is longer than {n} characters").format(
                    field=_(FIELD_LABELS[name]), n=limit
                )
            )
        elif bad := control_character(value):
            # An escape sequence in a name would reach every terminal that lists it.
            problems.append(
                _("{field} '{value}' contains a control character ({problem})").format(
                    field=_(FIELD_LABELS[name]), value=visible(value), problem=bad
                )
            )
    return problems


def _optional_values(
    values: dict[str, str], open_date: date | None, problems: list[str]
) -> dict[str, Any]:
    optional: dict[str, Any] = {}
    for name in OPTIONAL_FIELDS:
        if name not in values:
            continue
        if name != "open_date":
            optional[name] = values[name] or None
            continue
        if values[name] and open_date is None:
            problems.append(
                _(
                    "open date '{value}' is not a date (write it like 2025-04-01 or 01/04/2025)"
                ).format(value=values[name][:30])
            )
        optional[name] = open_date if values[name] else None
    return optional


def check_case_row(
    number: int, values: dict[str, str], open_date: date | None, fw: Framework
) -> CaseRow | list[str]:
    """The row as a case, or its problems in plain words (without the file and row number).

    `values` holds the text of every column the file has, by field; `open_date` is the date
    read from the open date cell (None when it holds none). Case types are read against
    `fw`'s."""
    problems = _required_problems(values)
    ref = values["reference"]
    if (bad_ref := _reference_problem(ref)) is not None:
        problems.append(bad_ref)
    code = fw.case_type_code(values["case_type"]) if values["case_type"] else None
    if values["case_type"] and code is None:
        problems.append(unknown_case_type(values["case_type"], fw))
    problems += _text_problems(values)
    optional = _optional_values(values, open_date, problems)
    if problems:
        return problems
    return CaseRow(
        number=number,
        reference=ref,
        case_type=code or "",
        team=values["team"],
        case_holder=values["case_holder"] or None,
        optional=optional,
        team_manager=values.get("team_manager") or None,
    )
