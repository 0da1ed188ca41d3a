"""The framework's words in the export's language: grades, bands, section titles and
question texts, read from the framework in both languages (each Text carries both), so a
workbook in Welsh says "Da" where the English one says "Good" - the same grade, the same
figure - and a bilingual one says "Da / Good".
"""

from __future__ import annotations

from dataclasses import dataclass

from audit_tui import i18n
from audit_tui.domain.bilingual import Text
from audit_tui.domain.framework import Framework
from audit_tui.i18n import _
from audit_tui.services.profile_schemas import AUTHORITY, PercentMet


@dataclass(frozen=True)
class Words:
    framework: Framework
    lang: str  # en, cy or cy+en

    def text(self, value: str) -> str:
        """A framework text in the export's language; where it has none, the other language
        behind the fallback mark ("[en] ..."), as the screens show it, so a missing
        translation is seen and not taken for the authority's wording. A bilingual export
        pairs the two where both exist and marks the one it has otherwise."""
        if not isinstance(value, Text):
            return str(value)
        if self.lang == i18n.BILINGUAL:
            if {"cy", "en"} <= set(value.translations):
                return i18n.pair(value.get("cy"), value.get("en"))
            return value.shown("cy" if "cy" not in value.translations else "en")
        return value.shown(self.lang)

    def grade(self, code: str | None) -> str:
        found = self.framework.judgements.grade(code) if code else None
        return self.text(found.label) if found is not None else (code or "")

    def band(self, fig: PercentMet) -> str:
        """A figure's band in words, or 'no data'."""
        return self.grade(fig.band) if fig.band else _("no data")

    def good_or_better(self) -> str:
        """'Good or better', in the scale's words; the best grade alone when that is the cut."""
        scale = self.framework.judgements
        if scale.good_or_better_codes == scale.codes[:1]:
            return self.grade(scale.codes[0])
        return _("{grade} or better").format(grade=self.grade(scale.good_or_better))

    def section(self, section_id: str, fallback: str) -> str:
        """A section's title; `fallback` (the service's words) in English, so an English
        export reads exactly as the profile does."""
        if self.lang == i18n.DEFAULT:
            return fallback
        found = next((s for s in self.framework.sections if s.id == section_id), None)
        return self.text(found.title) if found is not None else fallback

    def question(self, question_id: str, fallback: str) -> str:
        if self.lang == i18n.DEFAULT or not self.framework.has_question(question_id):
            return fallback  # a question only an earlier version asked: its own words
        return self.text(self.framework.question(question_id).text)

    def guidance(self, question_id: str, fallback: str) -> str:
        """What good looks like for a question."""
        if self.lang == i18n.DEFAULT or not self.framework.has_question(question_id):
            return fallback
        return self.text(self.framework.question(question_id).guidance.good)

    def answer(self, question_id: str, code: str | None, fallback: str) -> str:
        """An answer as the question words it."""
        fw = self.framework
        if self.lang == i18n.DEFAULT or code is None or not fw.has_question(question_id):
            return fallback
        option = fw.option(fw.question(question_id), code)
        return self.text(option.label) if option is not None else fallback

    def group(self, name: str) -> str:
        """A team's name as it is; the whole authority in the export's language."""
        return _("Whole authority") if name == AUTHORITY else name
