"""Opening an audit from any list: a draft of yours resumes; someone else's draft says whose it
is and asks before you take it over (logged); a finalised audit opens read-only."""

from __future__ import annotations

from collections.abc import Callable

from audit_tui.domain.errors import UserError
from audit_tui.services import audits
from audit_tui.ui.screens.base import AuditScreen
from audit_tui.ui.screens.modals import ConfirmModal


def same_person(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).lower() == " ".join((b or "").split()).lower()


def open_audit(
    screen: AuditScreen[object], audit_id: int, gone: Callable[[], None] | None = None
) -> None:
    """Open `audit_id` the right way for its state and its auditor. `gone` runs when the audit
    no longer exists (deleted meanwhile)."""
    from audit_tui.ui.screens.audit_view import AuditViewScreen
    from audit_tui.ui.screens.walkthrough import WalkthroughScreen

    ctx = screen.ctx
    try:
        detail = audits.get_audit(ctx, audit_id)
        if detail.status != "draft":
            screen.app.push_screen(AuditViewScreen(audit_id))
            return
        if same_person(detail.auditor, ctx.me):
            screen.app.push_screen(WalkthroughScreen(audit_id))
            return
    except UserError as exc:  # deleted meanwhile, or its framework is not installed
        screen.notify(str(exc), severity="error")
        if gone is not None:
            gone()
        return

    def answered(take: bool | None) -> None:
        if not take:
            return
        try:
            audits.take_over(ctx, audit_id)
            screen.app.push_screen(WalkthroughScreen(audit_id))
        except UserError as exc:
            screen.notify(str(exc), severity="error")
            return
        screen.notify(f"You are now the auditor of {detail.case_reference}.", title="Draft")

    screen.app.push_screen(
        ConfirmModal(
            f"This draft is {detail.auditor}'s",
            f"The audit of {detail.case_reference} ({detail.team}) was started by "
            f"{detail.auditor}, not by you ({ctx.me}). Take it over? You become its auditor "
            f"and carry on from {detail.answered} of {detail.applicable} answered; the log "
            "records the change.",
            yes="Take it over",
            no="Leave it",
        ),
        answered,
    )
