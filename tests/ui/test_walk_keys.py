"""No answer option's key is ever dropped by the walkthrough (issue 17).

The rule (domain/keys.py): the walkthrough's commands own the letters in WALK_COMMANDS and
`frameworks check` refuses an option key among them; every other option key is bound. These
tests hold the screens to that list, and every option of every framework to a binding.
"""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from audit_tui.domain.framework import Framework
from audit_tui.domain.keys import WALK_COMMANDS
from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.ui.bases.question_walk import (
    QuestionWalkScreen,
    bind_answer_keys,
    option_by_digit,
    option_keys,
)
from audit_tui.ui.screens.moderation_walk import ModerationWalkScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen

OWN = load_framework_file(Path(__file__).resolve().parent.parent / "fixtures" / "own-words.yaml")


def _letter_keys(*screens: type) -> set[str]:
    keys: set[str] = set()
    for screen in screens:
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                if len(key) == 1 and key.islower():
                    keys.add(key)
    return keys


def test_the_screens_bind_exactly_the_commands_the_rule_reserves() -> None:
    walk = _letter_keys(QuestionWalkScreen, WalkthroughScreen)
    moderation = _letter_keys(QuestionWalkScreen, ModerationWalkScreen)
    assert walk == set(WALK_COMMANDS)
    assert moderation <= set(WALK_COMMANDS)


class _Bindings:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def bind(self, key: str, action: str, description: str = "", show: bool = True) -> None:
        assert key not in self.keys, f"{key} bound twice"
        self.keys[key] = action


def _every_option_is_reachable(fw: Framework) -> None:
    bindings = _Bindings()
    letters = bind_answer_keys(bindings, fw, fw.questions)  # type: ignore[arg-type]
    for q in fw.questions:
        scale = fw.scale(q.scale)
        for n, option in enumerate(scale.options, start=1):
            shown = option_keys(scale, n, letters).split()
            assert option.key in shown or str(n) in shown, (fw.id, q.id, option.code)
            if option.key.isdigit() or (not scale.digit_keys and n <= 9):
                digit = option.key if scale.digit_keys else str(n)
                assert bindings.keys[digit] == f"answer_digit('{digit}')"
                assert option_by_digit(scale, digit) is option
            if not option.key.isdigit():
                assert bindings.keys[option.key] == f"answer_key('{option.key}')", option.code
                assert option.key not in WALK_COMMANDS


def test_every_option_of_every_shipped_framework_has_its_keys(registry: FrameworkRegistry) -> None:
    for fw in registry.all():
        _every_option_is_reachable(fw)


def test_a_zero_to_ten_scale_is_answered_by_its_own_digits() -> None:
    _every_option_is_reachable(OWN)
    signs = OWN.scale("signs")
    assert [option_keys(signs, n, {"t"}) for n in range(1, 12)] == [*"0123456789", "t"]
    assert option_by_digit(signs, "0").code == "0"  # type: ignore[union-attr]
    assert option_by_digit(signs, "8").code == "8"  # type: ignore[union-attr]
    practice = OWN.scale("practice")
    assert option_by_digit(practice, "2").code == "part_met"  # type: ignore[union-attr]
    assert option_by_digit(practice, "0") is None
    assert option_by_digit(practice, "5") is None
