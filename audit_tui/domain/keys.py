"""The walkthrough's keys, and the rule that no answer option's key is ever lost.

The rule (docs/framework-format.md, "Answer keys"):

- The walkthrough's own commands (and the moderator's re-answer, which shares them) own the
  letters below. An answer option's key is one lower-case letter or one digit, and never one of
  these: `frameworks check` refuses such a key, naming the command that owns it, so an option
  key can never be silently dropped.
- Number keys: on a scale whose options have no digit keys, 1-9 choose the options by position
  (as they always have). On a scale where any option has a digit key (a 0-10 scale), number
  keys choose by key only, so `0` is the option keyed `0` and never "the tenth".

The screens bind exactly these commands; a UI test checks the two lists agree.
"""

from __future__ import annotations

from audit_tui.i18n import N_

# Each command's name is N_: `frameworks check` says it (translated) where an option's key
# takes a command's key. The screens' bindings carry their own descriptions.
WALK_COMMANDS: dict[str, str] = {
    "j": N_("next question"),
    "k": N_("previous question"),
    "u": N_("next unanswered question"),
    "g": N_("show or hide the guidance"),
    "e": N_("write a note"),
    "r": N_("give the not-applicable reason"),
    "v": N_("review (submit, when moderating)"),
    "c": N_("add an action"),
    "q": N_("leave the walkthrough"),
}


def key_owner(key: str) -> str | None:
    """The walkthrough command that owns `key` (its name in English: `_()` it where it is
    shown), or None when an answer option may take it."""
    return WALK_COMMANDS.get(key)
