"""The framework format grew (issue 17); what was written before must read exactly as before.

An audit records its framework version's content hash, and the version's definition is stored
in the database by that hash. So a file written in the first format must load to the hash it
always had, and a definition stored by the first release must validate and re-hash to the
hash it is stored under (`db verify` checks exactly that). The hashes below were computed by
the code before the format grew, and the definitions in tests/fixtures/stored/ were written
by it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.framework import definition_hash, definition_of, framework_from_definition
from audit_tui.domain.loader import load_framework_file, load_framework_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Computed on main before issue 17 (commit fb476ec). The *-1.0.0.yaml files are the shipped
# frameworks as they were before their Welsh text (1.1.0, issue 19), kept in
# tests/fixtures/old-versions/: audits finished on 1.0.0 keep it.
HASHES_BEFORE = {
    "case-file-1.0.0.yaml": "5d5b35afcdc91a94",
    "front-door-1.0.0.yaml": "17dcd9a19f5f9f16",
    "supervision-1.0.0.yaml": "8758fee8d0e22305",
    "mini.yaml": "00e18708cfef908f",
    "legacy-rich.yaml": "4c65fe0b7bbacde6",
}


def _path(name: str) -> Path:
    shipped = builtin_frameworks_dir() / name
    if shipped.exists():
        return shipped
    old = FIXTURES / "old-versions" / name
    return old if old.exists() else FIXTURES / name


@pytest.mark.parametrize("name", sorted(HASHES_BEFORE))
def test_files_of_the_first_format_keep_their_hash(name: str) -> None:
    assert load_framework_file(_path(name)).content_hash == HASHES_BEFORE[name]


STORED = sorted((FIXTURES / "stored").glob("*.json"))


@pytest.mark.parametrize("path", STORED, ids=[p.stem for p in STORED])
def test_definitions_stored_by_the_first_release_load_and_rehash(path: Path) -> None:
    stored_hash = path.stem.rsplit("-", 1)[1]
    definition = json.loads(path.read_text("utf-8"))
    assert definition_hash(definition) == stored_hash  # as the first release stored it
    fw = framework_from_definition(definition, stored_hash)
    again = definition_of(fw)
    assert again == definition
    assert definition_hash(again) == stored_hash


def test_stored_fixtures_cover_a_custom_scale_and_the_shipped_form() -> None:
    names = {p.stem.rsplit("-", 1)[0] for p in STORED}
    assert {"mini", "legacy-rich", "supervision", "case-file"} <= names


NEW_FIELDS_AT_DEFAULT = """
judgement_scales: {}
retired: []
"""


def test_new_fields_written_at_their_default_do_not_change_the_hash() -> None:
    text = (FIXTURES / "mini.yaml").read_text("utf-8")
    plain = load_framework_text(text)
    spelled = load_framework_text(
        text.replace("sections:\n", NEW_FIELDS_AT_DEFAULT.lstrip() + "sections:\n", 1)
        .replace(
            "        critical: true\n",
            "        critical: true\n        critical_answers: null\n",
            1,
        )
        .replace(
            "      - id: M-03\n        text: Is the plan outcome-focused?",
            "      - id: M-03\n        text: {en: Is the plan outcome-focused?}",
            1,
        )
    )
    assert spelled.content_hash == plain.content_hash == HASHES_BEFORE["mini.yaml"]


def test_a_welsh_text_changes_the_hash_and_is_stored() -> None:
    text = (FIXTURES / "mini.yaml").read_text("utf-8")
    welsh = load_framework_text(
        text.replace(
            "text: Is the plan outcome-focused?",
            "text: {en: Is the plan outcome-focused?, cy: Ydy'r cynllun yn canolbwyntio ar ganlyniadau?}",
        )
    )
    assert welsh.content_hash != HASHES_BEFORE["mini.yaml"]
    stored = definition_of(welsh)
    again = framework_from_definition(stored, welsh.content_hash)
    q = again.question("M-03")
    assert str(q.text) == "Is the plan outcome-focused?"
    assert q.text.get("cy") == "Ydy'r cynllun yn canolbwyntio ar ganlyniadau?"
    assert definition_hash(definition_of(again)) == welsh.content_hash
