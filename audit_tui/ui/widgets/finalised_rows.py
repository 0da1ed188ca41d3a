"""The rows of Home's "recently finalised" table: each audit's grade as it counts (agreed by
moderation where it was), marked where a critical failure capped the suggestion, hidden from
its moderator until they submit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from audit_tui.domain.errors import UserError
from audit_tui.domain.scoring import capped_by_critical
from audit_tui.i18n import N_, _
from audit_tui.services import framework_versions
from audit_tui.ui.format import judgement_label, percent

if TYPE_CHECKING:
    from audit_tui.domain.framework import Framework
    from audit_tui.services.context import AppContext
    from audit_tui.services.schemas import AuditSummary

CAPPED = N_("! capped")  # a critical failure capped the suggested grade

Row = tuple[tuple[str, ...], str]


def finalised_rows(ctx: AppContext, finalised: Sequence[AuditSummary]) -> tuple[list[Row], bool]:
    """The table's rows (cells, audit id), and whether any grade is marked capped."""
    capped = False
    rows: list[Row] = []
    for a in finalised:
        try:
            fw: Framework | None = framework_versions.framework(ctx, a.framework_hash)
        except UserError:
            fw = None
        counted = a.counted
        grade = judgement_label(fw, counted.judgement if counted else a.judgement)
        if a.moderated_judgement:
            grade += " " + _("(moderated)")
        if a.blind:
            grade = _("hidden: you moderate it")
        elif (
            # The auditor's own grade against a capped suggestion (a moderated grade was
            # agreed by people, not suggested).
            fw is not None
            and counted is not None
            and not a.moderated_judgement
            and capped_by_critical(fw, counted.percent_met, counted.suggested_judgement)
        ):
            grade += f" {_(CAPPED)}"
            capped = True
        rows.append(
            (
                (
                    a.case_reference,
                    grade,
                    "–"
                    if a.blind
                    else percent(counted.percent_met if counted else a.percent_met, fw=fw),
                    a.audit_date.isoformat(),
                    a.case_type_label,
                    a.team,
                    judgement_label(fw, a.judgement) if a.moderated_judgement else "–",
                ),
                str(a.id),
            )
        )
    return rows, capped
