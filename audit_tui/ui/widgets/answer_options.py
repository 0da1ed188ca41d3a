"""The current question's answer options with their keys and the chosen one marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from audit_tui.domain.scales import AnswerOption
from audit_tui.ui.format import STYLE, SYMBOL


class AnswerOptions(Static):
    """One line per option: number key, letter key, "(•)" on the chosen one, symbol, label."""

    DEFAULT_CSS = """
    AnswerOptions {
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    """

    def show(
        self,
        options: list[AnswerOption],
        chosen: str | None,
        letter_keys: set[str],
        na_allowed: bool = True,
    ) -> None:
        lines = []
        for number, option in enumerate(options, start=1):
            letter = option.key if option.key in letter_keys else " "
            picked = option.code == chosen
            radio = "(•)" if picked else "( )"
            label = f"{SYMBOL[option.kind]} {option.label}"
            if option.is_na and not na_allowed:
                lines.append(Content.assemble(("       (N/A not allowed here)", "$text-muted")))
                continue
            style = STYLE[option.kind]
            lines.append(
                Content.assemble(
                    (f"{number} {letter}", "bold"),
                    "  ",
                    (radio, "bold" if picked else ""),
                    " ",
                    (label, f"{style} bold" if picked else style),
                    ("  ← answer" if picked else "", "bold"),
                )
            )
        self.update(Content("\n").join(lines))
