"""The current question's answer options with their keys and the chosen one marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from audit_tui.domain.scales import AnswerOption
from audit_tui.i18n import _
from audit_tui.ui.format import STYLE, option_text


class AnswerOptions(Static):
    """One line per option: the keys that choose it, "(•)" on the chosen one, symbol, label."""

    # not translated: CSS
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
        keys: list[str],
        na_allowed: bool = True,
    ) -> None:
        """`keys`: for each option, the keys that choose it as shown ('1 y', '0')."""
        width = max((len(k) for k in keys), default=0)
        lines = []
        for option, key_text in zip(options, keys, strict=True):
            picked = option.code == chosen
            radio = "(•)" if picked else "( )"
            label = option_text(option)
            if option.is_na and not na_allowed:
                lines.append(
                    Content.assemble(("       " + _("(N/A not allowed here)"), "$text-muted"))
                )
                continue
            style = STYLE[option.kind]
            lines.append(
                Content.assemble(
                    (key_text.ljust(width), "bold"),
                    "  ",
                    (radio, "bold" if picked else ""),
                    " ",
                    (label, f"{style} bold" if picked else style),
                    ("  ← " + _("answer") if picked else "", "bold"),
                )
            )
        self.update(Content("\n").join(lines))
