"""People are known by name: the same name typed with other spacing or capitals is the same
person (whose draft, who moderates, who escalated)."""

from __future__ import annotations


def same_person(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).lower() == " ".join((b or "").split()).lower()
