"""Validation problems reach a person in plain words, never pydantic's own message or a regex."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from audit_tui.domain.messages import plain_error


class Form(BaseModel):
    description: str = Field(min_length=1)
    owner: str = Field(default="x", max_length=5)
    share: float = Field(default=0.5, gt=0, le=1)
    reference: str = Field(default="A1", pattern=r"^[A-Za-z0-9]+$")
    due: date = date(2026, 1, 1)
    count: int = 1
    note: str = ""

    @field_validator("note")
    @classmethod
    def _no_names(cls, v: str) -> str:
        if "Jane" in v:
            raise ValueError("use initials, never a name")
        return v


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"description": ""}, "What must change: cannot be empty"),
        ({"description": "x", "owner": "abcdefg"}, "owner: can be at most 5 characters"),
        ({"description": "x", "share": 2}, "share: must be at most 1"),
        ({"description": "x", "share": 0}, "share: must be more than 0"),
        ({"description": "x", "reference": "A 1"}, "reference: has characters that are not allowed here"),
        ({"description": "x", "due": "soon"}, "due: is not a date: write it as YYYY-MM-DD"),
        ({"description": "x", "count": "many"}, "count: must be a whole number"),
        ({"description": "x", "note": "Jane"}, "note: use initials, never a name"),
        ({}, "What must change: is required"),
    ],
)  # fmt: skip
def test_plain_words(values: dict[str, object], expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        Form.model_validate(values)
    message = plain_error(info.value, {"description": "What must change"})
    assert message == expected
    for pydantic_word in ("should", "String", "Input", "^"):
        assert pydantic_word not in message
