"""How answers, figures and judgements are written on screen.

Meaning is never carried by colour alone: every coloured answer has a symbol and a word.
Colours are theme variables, so every built-in theme works.
"""

from __future__ import annotations

from datetime import date

from textual.content import Content

from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.domain.scoring import banded_percent, format_percent

SYMBOL = {"met": "✓", "partly": "~", "not_met": "✗", "na": "–"}
STYLE = {"met": "$text-success", "partly": "$text-warning", "not_met": "$text-error", "na": ""}

NOTE_HELP = "Use initials, never a child's name."
CASE_REF_HELP = "A case reference from the case management system - never a child's name"


def option_text(option: AnswerOption) -> str:
    return f"{SYMBOL[option.kind]} {option.label}"


def option_content(option: AnswerOption) -> Content:
    return Content.assemble((option_text(option), STYLE[option.kind]))


def answer_content(fw: Framework | None, question: Question | None, code: str | None) -> Content:
    """An answer code as "✓ Yes" (coloured, with the symbol); "· not answered" when None."""
    if code is None:
        return Content.assemble(("· not answered", "$text-muted"))
    option = fw.option(question, code) if fw is not None and question is not None else None
    if option is None:
        return Content(code)
    return option_content(option)


def percent(
    value: float | None, n: int | None = None, unit: str = "", fw: Framework | None = None
) -> str:
    """ "78% (n=40)"; "no data" - never 0% - when there is nothing to count. With the
    framework whose grades are shown beside it, as its bands need it: "74.6%" where "75%"
    would cross a threshold (domain/scoring.band_places)."""
    if value is None:
        return "no data"
    text = banded_percent(fw, value) if fw is not None else format_percent(value)
    if n is not None:
        text += f" (n={n}{' ' + unit if unit else ''})"
    return text


def judgement_label(fw: Framework | None, code: str | None) -> str:
    if code is None:
        return "none"
    return fw.judgements.label(code) if fw is not None else code


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def grade_change_text(change: int | None) -> str:
    """' (2 grades better)', ' (same grade)': the change from an audit to its re-audit."""
    if change is None:
        return ""
    if change == 0:
        return " (same grade)"
    word = "better" if change > 0 else "worse"
    return f" ({abs(change)} grade{'s' if abs(change) != 1 else ''} {word})"
