"""Privacy: records about children hold no child's name.

- No table has a column that could hold a person's name or date of birth, except the names of
  staff (`workers.name`), teams (`teams.name`) and audit rounds (`rounds.name`, e.g. "Q3 CP
  sample"). Cases are known by the pseudonymous reference from the case management system.
- The screens where an auditor types a case reference or a note say never a child's name / use
  initials, and those help texts are shown on the screens, not only defined.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from audit_tui.store.models import Base

PACKAGE = Path(__file__).resolve().parents[2] / "audit_tui"

# Staff, team and round names are not about children.
ALLOWED = {("workers", "name"), ("teams", "name"), ("rounds", "name")}
PERSONAL = re.compile(
    r"(^|_)(name|first_?name|forename|given_name|surname|last_name|family_name|full_name|"
    r"dob|date_of_birth|birth_?date|birthday|nhs_?number|address|postcode|child)($|_)"
)

# Parses Python: no cyclic GC meanwhile (tests/conftest.py, a CPython 3.11 bug).
pytestmark = pytest.mark.usefixtures("no_cyclic_gc")


def test_no_column_could_hold_a_childs_name_or_birth_date() -> None:
    suspicious = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if PERSONAL.search(column.name) and (table.name, column.name) not in ALLOWED
    ]
    assert suspicious == []


def test_cases_audits_and_answers_have_no_name_column_at_all() -> None:
    for table in ("cases", "audits", "answers", "moderation_answers"):
        columns = {c.name for c in Base.metadata.tables[table].columns}
        assert not {c for c in columns if "name" in c}, table
    # A case is identified by its reference and described only coarsely.
    assert {"reference", "age_band"} <= {c.name for c in Base.metadata.tables["cases"].columns}


def _string_constants(path: Path) -> dict[str, str]:
    """Module-level NAME = "text" assignments."""
    out: dict[str, str] = {}
    for node in ast.parse(path.read_text()).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            out[node.targets[0].id] = node.value.value
    return out


def _ui_sources() -> dict[Path, str]:
    return {p: p.read_text() for p in sorted((PACKAGE / "ui").rglob("*.py"))}


def _shown_help(about: re.Pattern[str], says: re.Pattern[str]) -> list[str]:
    """UI help texts matching `about` and `says` that another UI module actually uses."""
    sources = _ui_sources()
    found = []
    for path, source in sources.items():
        for name, value in _string_constants(path).items():
            if about.search(name + " " + value) and says.search(value):
                used = any(
                    re.search(rf"\b{name}\b", other) for p, other in sources.items() if p != path
                )
                if used:
                    found.append(value)
        # Help written inline on a screen counts too.
        for literal in re.findall(r"\"([^\"\n]*)\"", source):
            if about.search(literal) and says.search(literal):
                found.append(literal)
    return found


def test_case_reference_help_says_never_a_childs_name() -> None:
    shown = _shown_help(
        re.compile(r"case.?ref", re.IGNORECASE), re.compile(r"never a child's name", re.I)
    )
    assert shown, "no screen tells the auditor the case reference is never a child's name"


def test_note_help_says_use_initials() -> None:
    shown = _shown_help(re.compile(r"note", re.IGNORECASE), re.compile(r"initials", re.I))
    assert shown, "no screen tells the auditor to use initials in notes"


def test_service_schema_describes_the_case_reference_as_pseudonymous() -> None:
    source = (PACKAGE / "services" / "schemas.py").read_text()
    new_audit = source[source.index("class NewAudit") :]
    new_audit = new_audit[: new_audit.index("\nclass ")]
    assert "pseudonymous" in new_audit and "child's name" in new_audit
