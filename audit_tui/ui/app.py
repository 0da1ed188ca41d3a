"""The auditor's terminal UI. `create_app` is the one factory, used by the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from audit_tui.domain.text import CONTROL_STRIP
from audit_tui.services import framework_choice
from audit_tui.services.context import AppContext


def strip_every_control_character() -> None:
    """Textual and Rich strip only BEL, BS, VT, FF and CR from the text they show: ESC and the
    other control characters in a name would reach the terminal as escape sequences. Names
    are refused on entry and import, but a database may hold older or foreign ones; widening
    both libraries' tables makes every widget drop them (tests/ui/test_hostile_text.py)."""
    import rich.control
    import textual.content

    rich.control._CONTROL_STRIP_TRANSLATE.update(CONTROL_STRIP)  # type: ignore[attr-defined]
    textual.content._CONTROL_STRIP_TRANSLATE.update(CONTROL_STRIP)  # type: ignore[attr-defined]


class AuditApp(App[None]):
    TITLE = "audit-tui"
    CSS_PATH = "app.tcss"
    # Below 100 columns the walkthrough gives the guidance panel the sidebar's room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    # Below 32 rows lists give up some height so Home shows each of its panels.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]

    def __init__(self, ctx: AppContext, *, clock: Callable[[], datetime] | None = None) -> None:
        strip_every_control_character()
        super().__init__()
        self.ctx = ctx
        # The title bar names the framework in use (the default_framework setting).
        self.sub_title = framework_choice.title_bar(ctx)
        # The "Saved HH:MM:SS" indicator reads this clock; snapshot tests fix it.
        self.clock: Callable[[], datetime] = clock or datetime.now
        self.show_guidance = False
        # Home asks "who are you?" once per database per session, not on every return.
        self.identity_asked: set[str] = set()

    def on_mount(self) -> None:
        from audit_tui.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen())

    async def action_quit(self) -> None:
        # A note being typed is saved on the way out, as it would be on leaving the field.
        save = getattr(self.screen, "save_text_fields", None)
        if save is not None:
            save(leaving=True)
        await super().action_quit()

    def action_help(self) -> None:
        from audit_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def use_context(self, ctx: AppContext) -> None:
        """Carry on in another database (the demo one, from Home's first-run offer): a fresh
        Home on it; the database left behind is closed."""
        from audit_tui.ui.screens.home import HomeScreen

        old, self.ctx = self.ctx, ctx
        if old.db is not ctx.db:
            old.db.dispose()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(HomeScreen())

    def action_session(self) -> None:
        from audit_tui.ui.screens.session import SessionModal

        self.push_screen(SessionModal(self.ctx))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a command in the palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Database",
            "Which database is open, who you are, where exports go",
            self.action_session,
        )
        yield SystemCommand("Who am I", "Who you are in this database", self.action_session)
        for title, help_text, callback in getattr(screen, "palette_commands", list)():
            yield SystemCommand(title, help_text, callback)
        hidden = tuple(getattr(screen, "PALETTE_HIDE", ()))
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description:
                continue
            if hidden and binding.action.startswith(hidden):
                continue
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            yield SystemCommand(
                binding.description,
                f"key {self.get_key_display(binding)}",
                partial(self.run_action, binding.action, active.node),
            )


def create_app(ctx: AppContext, *, clock: Callable[[], datetime] | None = None) -> AuditApp:
    return AuditApp(ctx, clock=clock)


def run_app(ctx: AppContext) -> None:
    create_app(ctx).run()
