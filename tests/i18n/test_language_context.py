"""`i18n.language()` is a context, not a briefly switched process global: an export written in
Welsh by one thread (a Textual thread worker) leaves every other thread - the screen - in the
interface language."""

from __future__ import annotations

import threading
from datetime import date

from audit_tui import i18n
from audit_tui.i18n import _

WORD = "Answers"  # in the catalogue: "Atebion"


def test_a_block_in_welsh_in_one_thread_leaves_another_in_english() -> None:
    welsh_inside = threading.Event()
    english_checked = threading.Event()
    seen: dict[str, object] = {}

    def export_in_welsh() -> None:
        with i18n.language("cy"):
            seen["export"] = (_(WORD), i18n.current())
            welsh_inside.set()
            # Stay inside the block until the other thread has looked.
            english_checked.wait(timeout=10)
            seen["export_after"] = i18n.format_date(date(2026, 11, 20))

    def screen() -> None:
        welsh_inside.wait(timeout=10)
        seen["screen"] = (
            _(WORD),
            i18n.current(),
            i18n.ngettext("{n} audit", "{n} audits", 2),
            i18n.format_date(date(2026, 11, 20)),
        )
        english_checked.set()

    threads = [threading.Thread(target=export_in_welsh), threading.Thread(target=screen)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert seen["export"] == ("Atebion", "cy")
    assert seen["export_after"] == "20 Tachwedd 2026"
    assert seen["screen"] == ("Answers", "en", "{n} audits", "20 November 2026")


def test_the_block_overrides_the_interface_language_and_restores_it() -> None:
    i18n.set_language("cy")
    with i18n.language("en"):
        assert _(WORD) == "Answers" and i18n.current() == "en"
        assert i18n.interface() == "cy"
        assert i18n.format_percent(74.6, 1) == "74.6%"
    assert _(WORD) == "Atebion" and i18n.current() == "cy"


def test_setting_the_interface_language_reaches_other_threads() -> None:
    i18n.set_language("cy")
    seen: list[str] = []
    t = threading.Thread(target=lambda: seen.append(_(WORD)))
    t.start()
    t.join(timeout=10)
    assert seen == ["Atebion"]
