"""Several versions of one framework read together, as a profile over a period does.

Questions are matched by id (an id is never reused for a different question). A question's
wording, section, guidance and answer labels come from the newest version that has it, so a
reworded question reads in its newest words and a retired question keeps its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from audit_tui.domain.framework import Framework, Question, Section


@dataclass(frozen=True)
class LayoutSection:
    id: str
    title: str
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class VersionSet:
    """Versions of one framework, newest first (at least one)."""

    versions: tuple[Framework, ...]

    def __post_init__(self) -> None:
        if not self.versions:
            # not translated: a programming error, never shown to a user
            raise ValueError("a version set needs at least one version")

    @classmethod
    def of(cls, newest_first: Sequence[Framework]) -> VersionSet:
        seen: dict[str, Framework] = {}
        for fw in newest_first:
            seen.setdefault(fw.content_hash, fw)
        return cls(tuple(seen.values()))

    @property
    def newest(self) -> Framework:
        return self.versions[0]

    @cached_property
    def _holder(self) -> dict[str, Framework]:
        out: dict[str, Framework] = {}
        for fw in self.versions:
            for q in fw.questions:
                out.setdefault(q.id, fw)
        return out

    def has_question(self, question_id: str) -> bool:
        return question_id in self._holder

    def holder(self, question_id: str) -> Framework:
        """The newest version that has the question."""
        return self._holder[question_id]

    def question(self, question_id: str) -> Question:
        return self._holder[question_id].question(question_id)

    def section_of(self, question_id: str) -> Section:
        return self._holder[question_id].section_of(question_id)

    def retired(self, question_id: str) -> bool:
        """In an older version only."""
        return not self.newest.has_question(question_id)

    def answer_label(self, question_id: str, code: str) -> str:
        """The label of an answer code, from the newest version that has the question; the
        code itself only for a question no version here knows."""
        if question_id in self._holder:
            fw = self._holder[question_id]
            option = fw.option(fw.question(question_id), code)
            if option is not None:
                return option.label
            for older in self.versions:  # a code an older scale of the question had
                if older.has_question(question_id):
                    option = older.option(older.question(question_id), code)
                    if option is not None:
                        return option.label
        return code

    @cached_property
    def layout(self) -> list[LayoutSection]:
        """Sections and questions in the newest version's order; a question found only in an
        older version follows its section's questions (a section found only there comes
        after the newest version's sections)."""
        sections: dict[str, LayoutSection] = {}
        placed: set[str] = set()
        for fw in self.versions:
            for sec in fw.sections:
                target = sections.get(sec.id)
                if target is None:
                    target = sections[sec.id] = LayoutSection(sec.id, sec.title)
                for q in sec.questions:
                    if q.id not in placed and self._holder[q.id] is fw:
                        target.questions.append(q)
                        placed.add(q.id)
        return [s for s in sections.values() if s.questions]

    @cached_property
    def section_titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self.layout}
