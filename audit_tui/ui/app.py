"""The auditor's terminal UI. `create_app` is the one factory, used by the CLI and the tests.

The app is the router: screens and widgets post the messages of ui/messages.py, and the
handlers here build the screen asked for and show it. This is the only module that imports
screen classes (an import contract in pyproject.toml keeps it so); each handler imports its
screen when it is first needed, so start-up pays only for Home.

A screen that loads what it shows before it can be drawn says so in a `load` class method
(the audit, its framework version...): the app calls it, and a refusal (a UserError: the
audit was deleted meanwhile, its framework is not installed) is one notification and no
screen, in one place (`_show`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from audit_tui import i18n
from audit_tui.domain.errors import UserError
from audit_tui.domain.people import same_person
from audit_tui.domain.text import CONTROL_STRIP
from audit_tui.i18n import N_, _, translate
from audit_tui.services import framework_choice
from audit_tui.ui import messages
from audit_tui.ui.bases.screen import AuditScreen, redraw_in_language
from audit_tui.ui.startup import OpensContext

if TYPE_CHECKING:
    # Opened after the first frame (ui/startup.py): SQLAlchemy and pydantic load then.
    from audit_tui.services.context import AppContext
    from audit_tui.store.early_drafts import EarlyDrafts

# Textual's own words in the palette and the footer (its system commands and the palette's
# key), so that the catalogue has them: translated where they are shown.
TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("palette"),
    N_("Open the command palette"),
)


def framework_title(ctx: AppContext) -> str:
    """The title bar's framework, in the interface language."""
    from audit_tui.ui.format import shown  # domain models: after the first frame

    try:
        return shown(framework_choice.in_use(ctx).title)
    except UserError:
        return framework_choice.title_bar(ctx)


def other_language(lang: str) -> str:
    """The language the switch goes to from `lang`."""
    return "en" if lang == "cy" else "cy"


def strip_every_control_character() -> None:
    """Textual and Rich strip only BEL, BS, VT, FF and CR from the text they show: ESC and the
    other control characters in a name would reach the terminal as escape sequences. Names
    are refused on entry and import, but a database may hold older or foreign ones; widening
    both libraries' tables makes every widget drop them (tests/ui/test_hostile_text.py)."""
    import rich.control
    import textual.content

    # Private tables of both libraries (no public hook exists); the test above fails if a
    # release renames them.
    for table in (rich.control._CONTROL_STRIP_TRANSLATE, textual.content._CONTROL_STRIP_TRANSLATE):
        table.update(CONTROL_STRIP)


class AuditApp(OpensContext):
    TITLE = "audit-tui"
    CSS_PATH = "app.tcss"
    # Below 100 columns the walkthrough gives the guidance panel the sidebar's room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    # Below 32 rows lists give up some height so Home shows each of its panels.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("question_mark,f1", "help", N_("Help"), key_display="?"),
    ]

    def __init__(
        self,
        ctx: AppContext | None = None,
        *,
        open_context: Callable[[], AppContext] | None = None,
        early_drafts: Callable[[], EarlyDrafts | None] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        strip_every_control_character()
        super().__init__()
        # An open context, or how to open one after the first frame (ui/startup.py), with
        # Home's drafts read early for that first frame.
        self._ctx, self._open_context = ctx, open_context
        self._early_drafts = early_drafts
        if ctx is not None:
            self.context_ready()
        # The "Saved HH:MM:SS" indicator reads this clock; snapshot tests fix it.
        self.clock: Callable[[], datetime] = clock or datetime.now
        self.show_guidance = False
        # Home asks "who are you?" once per database per session, not on every return.
        self.identity_asked: set[str] = set()

    def on_mount(self) -> None:
        from audit_tui.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen())  # which opens the context after its first frame

    def context_ready(self) -> None:
        # The title bar names the framework in use (the default_framework setting).
        self.sub_title = framework_title(self.ctx)
        if self.is_running:  # opened after the first frame: Home shows what it holds
            from audit_tui.ui.screens.home import HomeScreen

            for screen in self.screen_stack:
                if isinstance(screen, HomeScreen):
                    screen.context_opened()

    async def action_quit(self) -> None:
        # A note being typed is saved on the way out, as it would be on leaving the field.
        if isinstance(self.screen, AuditScreen):
            self.screen.save_typing()
        await super().action_quit()

    def action_help(self) -> None:
        from audit_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_session(self) -> None:
        from audit_tui.ui.dialogs.session import SessionModal

        self.when_open(lambda: self.push_screen(SessionModal()))

    # --- the language ---------------------------------------------------------------------

    async def action_switch_language(self) -> None:
        """English to Welsh or back, at any time, remembered for the next run."""
        await self.use_language(other_language(i18n.current()))

    async def use_language(self, lang: str) -> None:
        """Show every screen on the stack in `lang` (what was typed and where the user was are
        kept) and write the choice to the user settings file."""
        i18n.set_language(lang)
        if self.opened:  # before the database opens, context_ready writes it
            self.sub_title = framework_title(self.ctx)
        for screen in list(self.screen_stack):
            # Ours only: Textual's own (its default screen, a closing palette) have no words
            # of ours.
            if type(screen).__module__.startswith("audit_tui."):
                await redraw_in_language(screen)
        name = i18n.LANGUAGES[lang]
        from audit_tui import config  # pydantic-settings: not on the first frame's path

        try:
            path = config.remember("lang", lang)
        except (OSError, ValueError) as exc:
            self.notify(
                _("{language}, for now: could not remember it ({problem}).").format(
                    language=name, problem=exc
                ),
                severity="warning",
            )
            return
        self.notify(
            _("{language} from now on (remembered in {file}).").format(language=name, file=path),
            title=_("Language"),
        )

    # --- routing ------------------------------------------------------------------------

    def _show(
        self,
        build: Callable[[], Screen[Any]],
        done: Callable[[Any], None] | None = None,
        *,
        replace: bool = False,
    ) -> None:
        """Build a screen (which may load its data and refuse) and show it: on top, or in
        place of the current one."""
        try:
            screen = build()
        except UserError as exc:
            self._refused(exc)
            return
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen, done)

    def _refused(self, error: UserError) -> None:
        """A screen could not open: one notification, and the screen underneath shows what
        the database holds now (the audit it listed may have gone)."""
        self.notify(str(error), severity="error")
        if isinstance(self.screen, AuditScreen):
            self.screen.refresh_data()

    @on(messages.OpenAudit)
    def open_audit(self, message: messages.OpenAudit) -> None:
        """The one place that decides how an audit opens: a draft of mine resumes in the
        walkthrough; someone else's draft says whose it is and asks before I take it over
        (logged); a finalised audit opens read-only."""
        from audit_tui.services import audits
        from audit_tui.ui.bases.dialog import ConfirmModal
        from audit_tui.ui.screens.audit_view import AuditViewScreen
        from audit_tui.ui.screens.walkthrough import WalkthroughScreen

        ctx, audit_id, replace = self.ctx, message.audit_id, message.replace
        try:
            detail = audits.get_audit(ctx, audit_id)
        except UserError as exc:  # deleted meanwhile
            self._refused(exc)
            return
        if detail.status != "draft":
            self._show(lambda: AuditViewScreen.load(ctx, detail), replace=replace)
            return
        if replace or same_person(detail.auditor, ctx.me):
            self._show(lambda: WalkthroughScreen.load(ctx, detail), replace=replace)
            return

        def answered(take: bool | None) -> None:
            if not take:
                return
            try:
                taken = audits.take_over(ctx, audit_id)
            except UserError as exc:
                self.notify(str(exc), severity="error")
                return
            self._show(lambda: WalkthroughScreen.load(ctx, taken))
            self.notify(
                _("You are now the auditor of {case}.").format(case=detail.case_reference),
                title=_("Draft"),
            )

        self.push_screen(
            ConfirmModal(
                _("This draft is {person}'s").format(person=detail.auditor),
                _(
                    "The audit of {case} ({team}) was started by {person}, not by you ({me}). "
                    "Take it over? You become its auditor and carry on from {answered} of "
                    "{total} answered; the log records the change."
                ).format(
                    case=detail.case_reference,
                    team=detail.team,
                    person=detail.auditor,
                    me=ctx.me,
                    answered=detail.answered,
                    total=detail.applicable,
                ),
                yes=_("Take it over"),
                no=_("Leave it"),
            ),
            answered,
        )

    @on(messages.StartAudit)
    def start_audit(self, message: messages.StartAudit) -> None:
        from audit_tui.ui.screens.new_audit import NewAuditScreen

        prefill = message.prefill
        self._show(lambda: NewAuditScreen.load(self.ctx, prefill))

    @on(messages.OpenReview)
    def open_review(self, message: messages.OpenReview) -> None:
        from audit_tui.ui.screens.review import ReviewScreen

        self._show(lambda: ReviewScreen.load(self.ctx, message.audit_id), message.done)

    @on(messages.OpenHistory)
    def open_history(self, message: messages.OpenHistory) -> None:
        from audit_tui.ui.screens.history import HistoryScreen

        self._show(lambda: HistoryScreen(message.audit_id))

    @on(messages.OpenActions)
    def open_actions(self, message: messages.OpenActions) -> None:
        from audit_tui.ui.screens.actions import ActionsScreen

        self._show(
            lambda: ActionsScreen(focus_action=message.focus_action, audit_id=message.audit_id),
            message.done,
        )

    @on(messages.OpenModerations)
    def open_moderations(self) -> None:
        from audit_tui.ui.screens.moderation import ModerationScreen

        self._show(ModerationScreen)

    @on(messages.OpenModeration)
    def open_moderation(self, message: messages.OpenModeration) -> None:
        """The blind walkthrough for its moderator while it is requested; else the
        comparison."""
        from audit_tui.ui.screens.moderation_compare import ComparisonScreen
        from audit_tui.ui.screens.moderation_walk import ModerationWalkScreen

        m, ctx = message.moderation, self.ctx
        if m.status != "requested":
            self._show(lambda: ComparisonScreen.load(ctx, m.id), replace=message.replace)
        elif same_person(m.moderator, ctx.me):
            self._show(lambda: ModerationWalkScreen.load(ctx, m.id), replace=message.replace)
        else:
            self.notify(
                _(
                    "Moderation {id} is assigned to {person}: only they answer it blind. "
                    "The comparison opens once they submit."
                ).format(id=m.id, person=m.moderator),
                severity="warning",
            )

    @on(messages.SelectForModeration)
    def select_for_moderation(self, message: messages.SelectForModeration) -> None:
        from audit_tui.ui.screens.moderation_select import ModerationSelectScreen

        self._show(ModerationSelectScreen, message.done)

    @on(messages.OpenAgreement)
    def open_agreement(self) -> None:
        from audit_tui.ui.screens.moderation_agreement import AgreementScreen

        self._show(AgreementScreen)

    @on(messages.OpenProfiles)
    def open_profiles(self) -> None:
        from audit_tui.ui.screens.profiles import ProfilesScreen

        self._show(ProfilesScreen)

    @on(messages.OpenAuditsBehind)
    def open_audits_behind(self, m: messages.OpenAuditsBehind) -> None:
        from audit_tui.ui.screens.audits_behind import AuditsBehindScreen

        self._show(
            lambda: AuditsBehindScreen(
                m.framework_id,
                m.period,
                m.team,
                m.section_id,
                m.question_id,
                area_title=m.area_title,
            )
        )

    @on(messages.OpenExport)
    def open_export(self, m: messages.OpenExport) -> None:
        from audit_tui.ui.screens.export import ExportModal

        self._show(lambda: ExportModal(m.framework_id, m.period, m.teams))

    @on(messages.OpenProgramme)
    def open_programme(self) -> None:
        from audit_tui.ui.screens.programme import ProgrammeScreen

        self._show(ProgrammeScreen)

    @on(messages.OpenStaff)
    def open_staff(self) -> None:
        from audit_tui.ui.screens.staff import StaffScreen

        self._show(StaffScreen)

    @on(messages.UseDatabase)
    def use_database(self, message: messages.UseDatabase) -> None:
        """Carry on in another database (the demo one, from Home's first-run offer): a fresh
        Home on it; the database left behind is closed."""
        from audit_tui.ui.screens.home import HomeScreen

        old, self.ctx = self.ctx, message.ctx
        if old.db is not self.ctx.db:
            old.db.dispose()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(HomeScreen())

    # --- the command palette ---------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a command in the palette (ctrl+p), in the
        interface language (descriptions are marked with N_ or NP_ and translated here)."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))
        other = other_language(i18n.current())
        # Written in the language it switches to, so someone who reads only that one finds
        # it: "Iaith: English" in Welsh, "Language: Cymraeg" in English.
        with i18n.language(other):
            switch_help = _(
                "{language}: show audit-tui in this language; remembered for next time"
            ).format(language=i18n.LANGUAGES[other])
        yield SystemCommand(
            _("Language: {language}").format(language=i18n.LANGUAGES[other]),
            switch_help,
            self.action_switch_language,
        )
        yield SystemCommand(
            _("Database"),
            _("Which database is open, who you are, where exports go"),
            self.action_session,
        )
        yield SystemCommand(_("Who am I"), _("Who you are in this database"), self.action_session)
        if isinstance(screen, AuditScreen):
            for title, help_text, callback in screen.palette_commands():
                yield SystemCommand(title, help_text, callback)
        hidden = screen.PALETTE_HIDE if isinstance(screen, AuditScreen) else ()
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
                translate(binding.description),
                _("key {key}").format(key=self.get_key_display(binding)),
                partial(self.run_action, binding.action, active.node),
            )


def create_app(
    ctx: AppContext | None = None,
    *,
    open_context: Callable[[], AppContext] | None = None,
    early_drafts: Callable[[], EarlyDrafts | None] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> AuditApp:
    return AuditApp(ctx, open_context=open_context, early_drafts=early_drafts, clock=clock)


def run_app(
    open_context: Callable[[], AppContext],
    early_drafts: Callable[[], EarlyDrafts | None] | None = None,
) -> None:
    """Run the UI; the context is opened after Home's first frame (which lists the drafts
    `early_drafts` reads, if it can). An error opening it is raised here, after the terminal
    is restored, for the command line to report."""
    app = create_app(open_context=open_context, early_drafts=early_drafts)
    try:
        app.run()
    finally:
        # Closing the database (the one open at the end: perhaps the demo) lets SQLite
        # gather its planner statistics (PRAGMA optimize, in store/database.py).
        if app.opened:
            app.ctx.db.dispose()
    if app.start_error is not None:
        raise app.start_error
