"""Slow work (figures, profiles, the export, the demo database) runs in Textual thread
workers so the screen stays responsive, and reports back with messages.

A worker returns a `Message` (declared by the screen that runs it, e.g. `ProfilesScreen.Loaded`);
`ReportsWork` posts it to the screen when the worker succeeds. A failure of any kind becomes
one `WorkFailed` message carrying the line to show: a UserError in its own words, anything
else after the worker's description ("Could not load the profile: ..."). A cancelled worker
(superseded by a newer one of its group, or its screen closed) reports nothing. So no screen
looks at worker states itself.

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False,
          description="Could not load the profile")
    def _fetch(self, ctx: AppContext, ...) -> ProfilesScreen.Loaded: ...
"""

from __future__ import annotations

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from audit_tui.domain.errors import UserError
from audit_tui.i18n import _


def failure_text(error: BaseException | None, description: str) -> str:
    """The one line for a failed worker. `description` is marked where the worker is
    declared (N_) and translated here, when the failure is shown."""
    if isinstance(error, UserError):
        return str(error)
    return f"{_(description) if description else _('Could not finish')}: {error}"


class WorkFailed(Message):
    """A worker of the screen failed. `group` says which; `text` is the line to show."""

    def __init__(self, group: str, text: str, error: BaseException | None) -> None:
        super().__init__()
        self.group = group
        self.text = text
        self.error = error


class ReportsWork(MessagePump):
    """Turns the end of each worker into a message to this screen (see the module's doc)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            if isinstance(worker.result, Message):
                self.post_message(worker.result)
        elif event.state == WorkerState.ERROR:
            self.post_message(
                WorkFailed(
                    worker.group, failure_text(worker.error, worker.description), worker.error
                )
            )
