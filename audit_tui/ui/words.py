"""The framework's words in the interface's language, for any screen: a framework version as
its reader sees it (`Framework.shown_in`: the other language behind a mark where a text has
no translation) and its title, by the workbook's own calls (export.words.Words)."""

from __future__ import annotations

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.export.words import Words


def shown_framework(fw: Framework) -> Framework:
    """`fw` as a reader in the interface's language sees it (English: as it is, so English
    screens read exactly as before)."""
    lang = i18n.current()
    if lang == i18n.DEFAULT or lang not in i18n.LANGUAGES:
        return fw
    return fw.shown_in(lang)


def framework_title(fw: Framework) -> str:
    """A framework's title in the interface's language."""
    return Words(fw, i18n.current()).text(fw.title)
