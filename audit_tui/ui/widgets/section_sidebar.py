"""The walkthrough's list of sections with progress and a mark for a critical failure."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from audit_tui.i18n import N_
from audit_tui.ui.walk import SectionProgress

LEGEND = N_("✓ all answered\n! a critical failure")  # translated where shown


def section_prompt(p: SectionProgress) -> Content:
    # The mark is a symbol first and a colour second, so it reads without colour.
    if p.critical_no:
        mark = ("!", "bold $text-error")
    elif p.complete:
        mark = ("✓", "$text-success")
    else:
        mark = (" ", "")
    count = f"{p.answered:>2}/{p.applicable:<2}"
    return Content.assemble(mark, " ", (count, "$text-muted"), " ", p.section.title)


class SectionSidebar(OptionList):
    """Select a section with Enter or a click to jump to its first question."""

    # not translated: CSS
    DEFAULT_CSS = """
    SectionSidebar {
        height: 1fr;
        border: none;
        padding: 0;
        background: transparent;
        &:focus { border: none; }
    }
    """

    def show(self, progress: list[SectionProgress], current: int) -> None:
        prompts = [Option(section_prompt(p), id=p.section.id) for p in progress]
        if self.option_count == len(prompts):
            for i, option in enumerate(prompts):
                self.replace_option_prompt_at_index(i, option.prompt)
        else:
            self.clear_options()
            self.add_options(prompts)
        self.highlighted = current
