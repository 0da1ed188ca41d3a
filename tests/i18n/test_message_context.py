"""Message context (gettext's msgctxt): one English word with two meanings gets two
translations. pgettext/npgettext translate with a context; NP_ marks import-time text with
its context and `translate` (the footer, help, palette and the workbook's tables use it)
looks it up in it. The extraction (`make messages`, and tests/i18n/test_catalogue.py) keys
messages by (context, msgid), so a context's message missing from the catalogue fails."""

from __future__ import annotations

import pytest

from audit_tui import i18n
from audit_tui.export.sheets.actions import STATUS_LABELS
from audit_tui.i18n import N_, NP_, npgettext, pgettext, translate
from audit_tui.ui.screens.moderation import ModerationScreen
from tests.i18n import test_catalogue


@pytest.mark.parametrize(
    ("lang", "verb", "status"),
    [("en", "Open", "Open"), ("cy", "Agor", "Ar agor"), ("cy+en", "Agor / Open", "Ar agor / Open")],
)
def test_open_the_key_and_open_the_status_translate_apart(
    lang: str, verb: str, status: str
) -> None:
    with i18n.language(lang):
        assert pgettext("verb", "Open") == verb
        assert pgettext("action status", "Open") == status
        # Marked at import time, translated where shown.
        assert translate(NP_("verb", "Open")) == verb
        assert translate(STATUS_LABELS["open"]) == status
        key = next(b for b in ModerationScreen.BINDINGS if b.action == "open")
        assert translate(key.description) == verb


def test_np_text_is_its_english_everywhere_a_string_is_used() -> None:
    marked = NP_("verb", "Open")
    assert marked == "Open" and f"{marked}" == "Open" and {marked: 1}["Open"] == 1
    assert marked.context == "verb"


def test_translate_takes_plain_marked_text_as_gettext_does() -> None:
    with i18n.language("cy"):
        assert translate(N_("Summary")) == i18n._("Summary") == "Crynodeb"


def test_a_context_with_no_entry_falls_back_to_the_english() -> None:
    """As gettext does for any missing message (the catalogue test stops it reaching a user)."""
    with i18n.language("cy"):
        assert pgettext("no such context", "Open") == "Open"
        assert npgettext("no such context", "{n} audit", "{n} audits", 2) == "{n} audits"


def test_the_extraction_keys_messages_by_context() -> None:
    found = test_catalogue._messages()
    assert ("verb", "Open") in found and ("action status", "Open") in found
    # "Open" with no context is no longer a message: each use says which it is.
    assert (None, "Open") not in found


@pytest.mark.parametrize(
    ("lang", "verb"), [("en", "Open"), ("cy", "Agor"), ("cy+en", "Agor / Open")]
)
def test_underscore_keeps_the_context_of_np_text(lang: str, verb: str) -> None:
    # `_` is what most code calls: given NP_ text it must not fall back to the context-free
    # msgid ("Open" in Welsh is "Ar agor", the status).
    with i18n.language(lang):
        assert i18n._(NP_("verb", "Open")) == verb
        assert i18n._(STATUS_LABELS["open"]) == pgettext("action status", "Open")
