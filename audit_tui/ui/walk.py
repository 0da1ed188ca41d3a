"""Where the auditor is in a walkthrough: the applicable questions in order and their answers.

Plain Python so the screen stays thin. Only questions that apply to the case type are here,
so a question that does not apply is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from audit_tui.domain.framework import Framework, Question, Section


class StoredAnswer(Protocol):
    """What a walk needs of a saved answer (the auditor's or the moderator's)."""

    @property
    def question_id(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def points(self) -> float | None: ...
    @property
    def note(self) -> str | None: ...


A = TypeVar("A", bound=StoredAnswer)


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    answered: int
    applicable: int
    critical_no: list[str]  # ids of critical questions whose answer is a critical failure

    @property
    def complete(self) -> bool:
        return self.answered == self.applicable


class Walk(Generic[A]):
    """The walk through one framework for one case type, over answers of type `A`."""

    def __init__(self, fw: Framework, case_type: str, answers: Mapping[str, A]) -> None:
        self.fw = fw
        self.sections: list[tuple[Section, list[Question]]] = fw.applicable_sections(case_type)
        self.questions: list[Question] = [q for _, qs in self.sections for q in qs]
        self._section_index = {q.id: i for i, (_, qs) in enumerate(self.sections) for q in qs}
        self.answers = dict(answers)
        self.index = 0

    # --- where we are -----------------------------------------------------------------

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def section_index(self) -> int:
        return self._section_index[self.question.id]

    @property
    def section(self) -> Section:
        return self.sections[self.section_index][0]

    def position_in_section(self) -> tuple[int, int]:
        qs = self.sections[self.section_index][1]
        return qs.index(self.question) + 1, len(qs)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.id in self.answers)

    def answer(self, question: Question | None = None) -> A | None:
        return self.answers.get((question or self.question).id)

    def progress(self) -> list[SectionProgress]:
        out = []
        for section, qs in self.sections:
            critical_no = [
                q.id
                for q in qs
                if q.id in self.answers
                and self.fw.critical_cap_of(q, self.answers[q.id].answer) is not None
            ]
            out.append(
                SectionProgress(
                    section=section,
                    answered=sum(1 for q in qs if q.id in self.answers),
                    applicable=len(qs),
                    critical_no=critical_no,
                )
            )
        return out

    # --- moving -----------------------------------------------------------------------

    def go_to(self, question_id: str) -> bool:
        for i, q in enumerate(self.questions):
            if q.id == question_id:
                self.index = i
                return True
        return False

    def next(self) -> bool:
        if self.index + 1 < len(self.questions):
            self.index += 1
            return True
        return False

    def previous(self) -> bool:
        if self.index > 0:
            self.index -= 1
            return True
        return False

    def go_to_section(self, section_index: int) -> None:
        section_index = max(0, min(section_index, len(self.sections) - 1))
        self.go_to(self.sections[section_index][1][0].id)

    def next_section(self) -> bool:
        if self.section_index + 1 < len(self.sections):
            self.go_to_section(self.section_index + 1)
            return True
        return False

    def previous_section(self) -> bool:
        """To the start of this section, or of the one before when already at its start."""
        first = self.sections[self.section_index][1][0]
        if self.question.id != first.id:
            self.go_to(first.id)
            return True
        if self.section_index > 0:
            self.go_to_section(self.section_index - 1)
            return True
        return False

    def next_unanswered(self) -> bool:
        """The first unanswered question after this one, wrapping round to the start."""
        n = len(self.questions)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self.questions[i].id not in self.answers:
                self.index = i
                return True
        return False

    def first_unanswered(self) -> None:
        for i, q in enumerate(self.questions):
            if q.id not in self.answers:
                self.index = i
                return
        self.index = 0
