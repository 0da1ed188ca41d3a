"""Control characters (C0, DEL, C1: ESC starts a terminal escape sequence) are refused in names
and references at every step that stores one, on both databases, and nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from audit_tui.domain.errors import UserError
from audit_tui.domain.text import control_character, printable
from audit_tui.services import actions, audits, directory, sampling
from audit_tui.services.case_import import import_cases
from audit_tui.services.context import AppContext
from audit_tui.services.sampling import SampleRequest
from audit_tui.services.schemas import NewAudit
from audit_tui.store.models import Event, Team, Worker

ESC_NAME = "Ann\x1b[2J"


def new_audit(**changes: object) -> NewAudit:
    values: dict[str, object] = {
        "framework_id": "case-file",
        "case_reference": "CF-1",
        "case_type": "child_in_need",
        "team": "North",
        "case_holder": "Sam Worker",
        "auditor": "Rhian Lewis",
        "audit_date": date(2026, 11, 1),
    }
    values.update(changes)
    return NewAudit.model_validate(values)


@pytest.mark.parametrize("field", ["team", "case_holder", "auditor"])
def test_a_new_audit_refuses_control_characters_in_names(field: str) -> None:
    with pytest.raises(ValidationError) as info:
        new_audit(**{field: ESC_NAME})
    (err,) = info.value.errors()
    assert err["loc"] == (field,)
    assert err["msg"] == (
        "contains a control character (U+001B, ESC, which starts a terminal escape sequence): "
        "type it again without it"
    )


def test_a_new_audit_refuses_a_control_character_in_the_case_reference() -> None:
    with pytest.raises(ValidationError):
        new_audit(case_reference="CF-1\x9b")


def _counts(ctx: AppContext) -> tuple[int, int, int]:
    with ctx.db.read() as s:
        return tuple(  # type: ignore[return-value]
            s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Team, Worker, Event)
        )


def test_a_team_name_with_an_escape_is_refused_and_nothing_written(ctx: AppContext) -> None:
    before = _counts(ctx)
    with pytest.raises(UserError) as info:
        directory.add_team(ctx, "North\x1b]0;owned\x07")
    assert str(info.value) == (
        "team name 'North?]0;owned?' contains a control character (U+001B, ESC, which starts "
        "a terminal escape sequence): type it again without it"
    )
    assert _counts(ctx) == before


def test_an_auditor_named_in_a_sample_is_refused(ctx: AppContext, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("Reference,Case type,Team,Worker\nA-1,CP,North,Ann\n", encoding="utf-8")
    import_cases(ctx, cases)
    before = _counts(ctx)
    with pytest.raises(UserError) as info:
        sampling.draw_sample(ctx, SampleRequest(per_team=1, auditors=["Mal\x07"], seed=1))
    assert "staff name 'Mal?' contains a control character (U+0007)" in str(info.value)
    assert _counts(ctx) == before


def test_an_action_owner_is_refused(ctx: AppContext) -> None:
    directory.add_team(ctx, "North")
    detail = audits.start_audit(ctx, new_audit())
    with pytest.raises(ValidationError) as info:
        actions.NewAction(
            audit_id=detail.id, description="Tidy", owner="Bo\x9b31m", due_date=date(2027, 1, 1)
        )
    assert info.value.errors()[0]["msg"].startswith("contains a control character (U+009B)")


def test_the_acting_user_cannot_carry_an_escape_into_the_log(ctx: AppContext) -> None:
    ctx.actor = "Eve\x1b[8m"
    before = _counts(ctx)
    with pytest.raises(UserError) as info:
        directory.add_team(ctx, "North")
    assert str(info.value).startswith("user name 'Eve?[8m' contains a control character")
    assert _counts(ctx) == before


def test_the_text_helpers() -> None:
    assert control_character("plain Tîm Môn – ok") is None
    assert control_character("tab\there") == "U+0009"
    assert control_character("\x85") == "U+0085"
    assert printable("a\x1b[31mb\r\nc\td\x07\x9b") == "a[31mb\nc\td"
