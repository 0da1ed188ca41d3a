"""Where the user goes next: the messages screens and widgets post, and the app routes.

A screen never imports another screen. It posts one of these; the message bubbles up to
`AuditApp` (ui/app.py), which builds the screen asked for and shows it. `done`, where a
message has one, is called with what the opened screen returns when it closes (Textual's
push_screen callback), so the screen that asked can carry on.

Only types are imported here (at type-checking time): posting a message costs no import of
the services behind the screen it opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from audit_tui.domain.periods import Period
    from audit_tui.services.context import AppContext
    from audit_tui.services.moderation import ModerationSummary, SelectionResult
    from audit_tui.services.programme import AssignedCase
    from audit_tui.services.schemas import NewAudit


@dataclass(frozen=True)
class ReviewOutcome:
    """How the review closed: the audit finalised, or back to the walkthrough at `go_to` (a
    question id) or where it was (None)."""

    finalised: bool = False
    go_to: str | None = None


class OpenAudit(Message):
    """An audit from any list. A draft of yours resumes in the walkthrough; someone else's
    draft says whose it is and asks before you take it over; a finalised audit opens
    read-only. `replace`: the user is already at work on it in the screen that asks (a new
    audit just started, perhaps recording a colleague's; a draft moved to a new framework
    version), so it opens in that screen's place without asking whose it is."""

    def __init__(self, audit_id: int, *, replace: bool = False) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.replace = replace


class StartAudit(Message):
    """The New audit form, empty or pre-filled (an assigned case from the programme)."""

    def __init__(self, prefill: NewAudit | AssignedCase | None = None) -> None:
        super().__init__()
        self.prefill = prefill


class OpenReview(Message):
    """Review and finalise a draft; `done` receives how the review closed."""

    def __init__(self, audit_id: int, done: Callable[[ReviewOutcome | None], None]) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.done = done


class OpenHistory(Message):
    """Every logged change of an audit."""

    def __init__(self, audit_id: int) -> None:
        super().__init__()
        self.audit_id = audit_id


class OpenActions(Message):
    """The actions list: every audit's (`audit_id` None) or one audit's, with the cursor on
    `focus_action` when given. `done` runs when the list closes."""

    def __init__(
        self,
        *,
        focus_action: int | None = None,
        audit_id: int | None = None,
        done: Callable[[None], None] | None = None,
    ) -> None:
        super().__init__()
        self.focus_action = focus_action
        self.audit_id = audit_id
        self.done = done


class OpenModerations(Message):
    """The list of moderation requests."""


class OpenModeration(Message):
    """One moderation: the blind walkthrough for its moderator while it is requested, the
    comparison once submitted. `replace`: in place of the screen that asked (the blind walk,
    once submitted)."""

    def __init__(self, moderation: ModerationSummary, *, replace: bool = False) -> None:
        super().__init__()
        self.moderation = moderation
        self.replace = replace


class SelectForModeration(Message):
    """Choose finalised audits for moderation; `done` receives what was selected (None when
    cancelled)."""

    def __init__(self, done: Callable[[SelectionResult | None], None]) -> None:
        super().__init__()
        self.done = done


class OpenAgreement(Message):
    """Agreement statistics between auditors and moderators."""


class OpenProfiles(Message):
    """Team quality profiles."""


class OpenAuditsBehind(Message):
    """The audits behind one profile figure: a team (None: the whole authority), a section or
    a question (None: the whole audit) in a period."""

    def __init__(
        self,
        framework_id: str,
        period: Period,
        team: str | None,
        section_id: str | None,
        question_id: str | None,
        area_title: str | None,
    ) -> None:
        super().__init__()
        self.framework_id = framework_id
        self.period = period
        self.team = team
        self.section_id = section_id
        self.question_id = question_id
        self.area_title = area_title


class OpenExport(Message):
    """The export dialog, pre-filled with a scope (None: the defaults)."""

    def __init__(
        self,
        framework_id: str | None = None,
        period: str | None = None,
        teams: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.framework_id = framework_id
        self.period = period
        self.teams = teams


class OpenProgramme(Message):
    """The audit programme: rounds and their assigned cases."""


class OpenStaff(Message):
    """The staff directory."""


class UseDatabase(Message):
    """Carry on in another database (the demo one, from Home's first-run offer)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
