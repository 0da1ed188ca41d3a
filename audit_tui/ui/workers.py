"""Slow work (demo data, the export) runs in Textual workers so the screen stays responsive."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

ENDED = frozenset({WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED})


def worker_ended(event: Worker.StateChanged, group: str) -> bool:
    """Whether `event` says a worker of `group` is over, whether it succeeded, failed or was
    cancelled."""
    return event.worker.group == group and event.state in ENDED
