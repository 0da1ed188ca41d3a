"""What an audit's record holds when it is started and when it is finalised: the columns
finalising sets and the values their log entries carry. Pure, and the one definition: the
audit service writes real audits through it and the demo generator its bulk-loaded ones, so
`db verify` replays both alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from audit_tui.domain.review import Figures

# The audit columns a start entry records (ids for `db verify`), after the names its
# history shows.
START_COLUMNS = (
    "framework_id",
    "framework_version",
    "framework_hash",
    "case_id",
    "case_type",
    "team_id",
    "worker_id",
    "auditor_id",
    "audit_date",
    "previous_audit_id",
)


def start_values(
    columns: Mapping[str, Any], *, case: str, team: str, holder: str | None, auditor: str
) -> dict[str, object]:
    """What a start entry records: the audit's header in full (`columns`: the audit's
    START_COLUMNS and is_demo; the case, team, case-holder and auditor by name)."""
    return {
        "framework": f"{columns['framework_id']} {columns['framework_version']}",
        "case": case,
        "team": team,
        "case_holder": holder,
        "auditor": auditor,
        **{k: columns[k] for k in START_COLUMNS},
        "is_demo": bool(columns["is_demo"]),
    }


def finalised_columns(
    figures: Figures, judgement: str, reason: str | None, at: datetime
) -> dict[str, object]:
    """The audit columns finalising sets: its figures, the judgement and its reason, the
    status and the time (its last change too)."""
    return {
        "status": "finalised",
        "percent_met": figures.percent_met,
        "critical_failures": figures.critical_failures,
        "suggested_judgement": figures.suggested_judgement,
        "judgement": judgement,
        "judgement_reason": reason,
        "finalised_at": at,
        "updated_at": at,
    }


def finalise_values(
    figures: Figures,
    judgement: str,
    answers: Mapping[str, str],
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """What a finalise entry records: the judgement beside the suggestion and percent met,
    and the answers by question id. `extra` adds what generated data brings with it (notes,
    N/A reasons, strengths, areas for development); empty values are left out."""
    new: dict[str, object] = {
        "judgement": judgement,
        "suggested": figures.suggested_judgement,
        "percent_met": figures.percent_met,
        "answers": dict(answers),
    }
    for key, value in (extra or {}).items():
        if value:
            new[key] = value
    return new
