"""`db verify`'s report: the verdict, the summary and the line for the QA minutes, and the
problem lines with very many of one kind counted rather than all listed.

Every word is in the run's language; the numbers a later `db verify --expect ENTRY:HASH`
reads back (the entry id and its hash) are written the same way in every language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel

from audit_tui.i18n import _, ngettext

# Lines of one kind shown before the rest are counted (a log stripped of its keys would
# otherwise print one line per entry).
SHOWN_PER_KIND = 20
SHOWN_IN_ALL = 2000


class VerifyReport(BaseModel):
    events: int
    finalised_audits: int
    problems: list[str]
    # What could not be checked but is no sign of tampering (a framework version lost).
    notes: list[str] = []
    last_event_id: int | None = None
    last_hash: str | None = None
    audits: int = 0
    problem_count: int = 0  # all problems found (more than `problems` shows when very many)
    database: str = ""
    database_id: str | None = None
    key_fingerprint: str | None = None
    keyed_from: int | None = None  # the first keyed entry; None: the log has no key yet
    checked_at: datetime | None = None

    def _problems(self) -> str:
        n = self.problem_count
        return ngettext("{n} problem(s)", "{n} problem(s)", n).format(n=n)

    @property
    def summary(self) -> str:
        state = _("OK") if not self.problems else self._problems()
        if self.last_event_id is not None and self.last_hash:
            return _(
                "{state}: {events} log entries checked (last entry {entry}, hash {hash}), "
                "{audits} finalised audits compared with the log"
            ).format(
                state=state,
                events=self.events,
                entry=self.last_event_id,
                hash=self.last_hash[:16],
                audits=self.finalised_audits,
            )
        return _(
            "{state}: {events} log entries checked, {audits} finalised audits compared with the log"
        ).format(state=state, events=self.events, audits=self.finalised_audits)

    @property
    def verdict(self) -> str:
        if self.problems:
            return _("NOT INTACT, {problems}").format(problems=self._problems())
        if self.keyed_from is None:
            return _("intact, but the log has no key yet (written by an earlier release)")
        if self.keyed_from > 1:
            return _(
                "intact; keyed from entry {entry} (entries before it: earlier release)"
            ).format(entry=self.keyed_from)
        return _("intact")

    @property
    def minute(self) -> str:
        """One line to write in the QA minutes: a later `db verify --expect` uses its
        ENTRY:HASH."""
        at = (self.checked_at or datetime.now(UTC)).astimezone(UTC)
        anchor = (
            _("last entry {entry}:{hash}").format(
                entry=self.last_event_id, hash=self.last_hash[:16]
            )
            if self.last_event_id is not None and self.last_hash
            else _("no entries")
        )
        ident = " " + _("(id {id})").format(id=self.database_id[:12]) if self.database_id else ""
        key = (
            _("key {fingerprint}").format(fingerprint=self.key_fingerprint)
            if self.key_fingerprint
            else _("no key")
        )
        return _(
            "Verified {at} UTC: {database}{ident}, {events} entries, {anchor}, {key}: {verdict}"
        ).format(
            at=f"{at:%Y-%m-%d %H:%M}",
            database=self.database,
            ident=ident,
            events=self.events,
            anchor=anchor,
            key=key,
            verdict=self.verdict,
        )


class Problems:
    """Problem lines, with very many of one kind counted rather than all listed."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        self._kinds: dict[str, int] = defaultdict(int)

    def add(self, line: str, kind: str | None = None) -> None:
        self.count += 1
        if kind is not None:
            self._kinds[kind] += 1
            if self._kinds[kind] > SHOWN_PER_KIND:
                return
        if len(self.lines) < SHOWN_IN_ALL:
            self.lines.append(line)

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.add(line)

    def finish(self) -> list[str]:
        hidden = self.count - len(self.lines)
        for kind, n in self._kinds.items():
            if n > SHOWN_PER_KIND:
                self.lines.append(
                    _("... and {n} more entries that {problem}").format(
                        n=n - SHOWN_PER_KIND, problem=kind
                    )
                )
                hidden -= n - SHOWN_PER_KIND
        if hidden > 0:
            self.lines.append(_("... and {n} more problems").format(n=hidden))
        return self.lines


def parse_anchor(text: str) -> tuple[int, str]:
    """`ID:HASH` (a hash prefix of 8 or more characters) as written down from `db verify`."""
    event_id, sep, digest = text.partition(":")
    digest = digest.strip().lower()
    if not sep or not event_id.strip().isdigit() or len(digest) < 8:
        raise ValueError(
            _("'{text}' is not ENTRY:HASH (e.g. 1204:3f9a0c1b2d4e5f60)").format(text=text)
        )
    if any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(_("'{text}': a hash is hexadecimal (0-9, a-f)").format(text=text))
    return int(event_id), digest
