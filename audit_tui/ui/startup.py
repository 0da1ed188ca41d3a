"""Start-up: Home's first frame from Textual alone; the database opened after it.

The command line gives the app a way to open its context (`open_context`) rather than an open
one. Settings, frameworks, the database and who is working (pydantic, SQLAlchemy, the
services: most of the start-up time) are then opened in a thread worker once Home's first
frame is on screen. Home's drafts come sooner: the command line may also give a cheap early
read of them (`early_drafts`: the standard library's sqlite3, read-only; store/early_drafts.py),
which Home lists in its first frame. Until the context arrives:

- `opened` is False and reading `ctx` is a programming error (`NotOpenYet`);
- the early-listed drafts are only shown: opening one (Enter) waits like the keys below, and
  nothing can be written before the context is open;
- keys that need the database wait: `when_open` keeps them, in order, and runs them once Home
  shows what the database holds (`run_waiting`); nothing typed is lost;
- an error from opening (a bad setting or database, a missing key, a database to upgrade)
  ends the app, and `run_app` raises it again once the terminal is restored, so the command
  line reports it as one line, as for every other command.

Tests and the other screens keep passing an open context: `opened` is True from the start.
Nothing here, nor the early read, imports SQLAlchemy or pydantic (tests/ui/test_startup.py
checks it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar, cast

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from audit_tui import collector
from audit_tui.i18n import N_

if TYPE_CHECKING:
    from audit_tui.services.context import AppContext
    from audit_tui.store.early_drafts import EarlyDrafts

# Home's figures panel until the database is open.
OPENING = N_("Opening the database…")  # translated where shown

P = ParamSpec("P")
S = TypeVar("S", bound=MessagePump)


class NotOpenYet(AttributeError):
    """`ctx` was read before the database was open. (An AttributeError, so
    `getattr(app, "ctx", None)` is None until then.)"""


class ContextOpened(Message):
    """The worker has opened the session's context."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx


def open_and_warm(open_context: Callable[[], AppContext]) -> AppContext:
    """Open the context, then import what Home reads on the way (in the worker's thread, so
    the screen does not pause for imports when the lists arrive)."""
    ctx = open_context()
    import audit_tui.domain.scoring
    import audit_tui.services.audits
    import audit_tui.services.framework_versions
    import audit_tui.services.home
    import audit_tui.ui.format  # noqa: F401

    return ctx


class OpensContext(App[None]):
    """The app's side: the context, opened now or by a worker after the first frame."""

    def __init__(self) -> None:
        super().__init__()
        self._ctx: AppContext | None = None
        self._open_context: Callable[[], AppContext] | None = None
        # Home's drafts read before the context opens (store/early_drafts.py), if given.
        self._early_drafts: Callable[[], EarlyDrafts | None] | None = None
        # Why the context could not be opened: raised again by run_app after the app closed.
        self.start_error: BaseException | None = None
        self._waiting: list[Callable[[], object]] = []

    @property
    def ctx(self) -> AppContext:
        if self._ctx is None:
            raise NotOpenYet("the database is not open yet")  # not translated: a bug if seen
        return self._ctx

    @ctx.setter
    def ctx(self, ctx: AppContext) -> None:
        self._ctx = ctx

    @property
    def opened(self) -> bool:
        return self._ctx is not None

    def when_open(self, callback: Callable[[], object]) -> None:
        """Run `callback` now if the database is open, else once Home has shown it."""
        if self.opened and not self._waiting:
            callback()
        else:
            self._waiting.append(callback)

    def run_waiting(self) -> None:
        """The keys pressed while the database was opening, in the order pressed."""
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def read_early_drafts(self) -> EarlyDrafts | None:
        """Home's drafts for its first frame, read without the context; None when there is
        no early read or it could not be trusted (the drafts then come with the context)."""
        if self._early_drafts is None or self.opened:
            return None
        try:
            return self._early_drafts()
        except Exception:
            return None

    def on_unmount(self) -> None:
        collector.release()  # had the app ended before its first frame

    def start_opening(self) -> None:
        """Open the context in a worker (Home calls it after its first frame)."""
        collector.release(freeze=True)  # held since the start (audit_tui/collector.py)
        if self._open_context is not None and not self.opened:
            self.run_worker(
                functools.partial(open_and_warm, self._open_context),
                name="open",
                group="open",
                thread=True,
                exit_on_error=False,
            )

    def on_context_opened(self, message: ContextOpened) -> None:
        self._ctx = message.ctx
        self.context_ready()

    def context_ready(self) -> None:
        """The context is open (the app shows what it holds)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "open":
            return
        if event.state == WorkerState.SUCCESS:
            self.post_message(ContextOpened(cast("AppContext", worker.result)))
        elif event.state == WorkerState.ERROR:
            # Reported by run_app as one line once the terminal is restored.
            self.start_error = worker.error
            self.exit(return_code=2)


def after_open(
    action: Callable[Concatenate[S, P], None],
) -> Callable[Concatenate[S, P], None]:
    """For a screen's action that needs the database: pressed before it is open, the action
    waits and runs (in order) once Home has shown the database."""

    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> None:
        app = cast(OpensContext, self.app)
        app.when_open(functools.partial(action, self, *args, **kwargs))

    functools.update_wrapper(run, action)  # Textual reads the action's own signature
    return run
