"""How answers, figures and judgements are written on screen, in the interface language.

Meaning is never carried by colour alone: every coloured answer has a symbol and a word.
Colours are theme variables, so every built-in theme works.

A figure keeps the one rule the record's other views use (how many decimal places a percent
beside its bands needs: domain/scoring.band_places, rounded half up) and is then written as
the language writes numbers (Babel, i18n.format_percent). Framework words (grades, answers,
case types) are the framework's own in the interface language (`shown`).
"""

from __future__ import annotations

from datetime import date

from textual.content import Content

from audit_tui import i18n
from audit_tui.domain.bilingual import Text
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.scales import AnswerOption
from audit_tui.domain.scoring import band_places, round_half_up
from audit_tui.i18n import N_, _, ngettext

SYMBOL = {"met": "✓", "partly": "~", "not_met": "✗", "na": "–"}
STYLE = {"met": "$text-success", "partly": "$text-warning", "not_met": "$text-error", "na": ""}

# Shown beside text fields in several screens: translate with _() where shown.
NOTE_HELP = N_("Use initials, never a child's name.")
CASE_REF_HELP = N_("A case reference from the case management system - never a child's name")


def shown(text: str) -> str:
    """Framework text in the interface language: a bilingual text in that language, or in
    the other behind its mark ("[en] ..."); plain text as it is."""
    return text.shown(i18n.shown_language()) if isinstance(text, Text) else text


def option_text(option: AnswerOption) -> str:
    return f"{SYMBOL[option.kind]} {shown(option.label)}"


def option_content(option: AnswerOption) -> Content:
    return Content.assemble((option_text(option), STYLE[option.kind]))


def answer_content(fw: Framework | None, question: Question | None, code: str | None) -> Content:
    """An answer code as "✓ Yes" (coloured, with the symbol); "· not answered" when None."""
    if code is None:
        return Content.assemble(("· " + _("not answered"), "$text-muted"))
    option = fw.option(question, code) if fw is not None and question is not None else None
    if option is None:
        return Content(code)
    return option_content(option)


def percent(
    value: float | None, n: int | None = None, unit: str = "", fw: Framework | None = None
) -> str:
    """ "78% (n=40)"; "no data" - never 0% - when there is nothing to count. With the
    framework whose grades are shown beside it, as its bands need it: "74.6%" where "75%"
    would cross a threshold (domain/scoring.band_places). `unit` comes translated."""
    if value is None:
        return _("no data")
    places = band_places(value, (t.min_percent for t in fw.thresholds)) if fw is not None else 0
    text = i18n.format_percent(round_half_up(value, places), places)
    if n is not None:
        text += f" (n={i18n.format_number(n)}{' ' + unit if unit else ''})"
    return text


def judgement_label(fw: Framework | None, code: str | None) -> str:
    if code is None:
        return _("none")
    if fw is None:
        return code
    grade = fw.judgements.grade(code)
    return shown(grade.label) if grade is not None else code


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def day(d: date) -> str:
    """A date in prose: '20 Nov 2026', '20 Tach 2026'."""
    return i18n.format_date(d, "medium")


def grade_change_text(change: int | None) -> str:
    """' (2 grades better)', ' (same grade)': the change from an audit to its re-audit."""
    if change is None:
        return ""
    if change == 0:
        return " ({})".format(_("same grade"))
    if change > 0:
        words = ngettext("{n} grade better", "{n} grades better", change)
    else:
        words = ngettext("{n} grade worse", "{n} grades worse", -change)
    return f" ({words.format(n=abs(change))})"
