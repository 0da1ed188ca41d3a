"""Framework versions in the database: an audit is read against its own version, always.

The first time an audit uses a framework version (starting an audit, moving a draft to a new
version) the version's full normalised definition is stored in `framework_versions`, keyed
by its content hash. Every later reading of that audit - walkthrough, review, finalise,
amend, the audit view, moderation, feedback, profiles, the export, `db verify` - gets the
definition for the audit's own hash from here, even after the YAML file changed or went.
A framework file on disk is only where new versions come from.

Definitions are cached in this process by hash (a hash names one content for ever, in any
database), so the answer path reads the database for a version at most once per run.

A file is refused for new audits - one line, naming the file - when its id and version are
already stored with other content (the version was not bumped), or when it uses a question
id that an older version used for a different question and the newest stored version retired
(an id is never reused). The check runs where a version would be stored, so a refused file
stops only new work on that framework; other frameworks, and audits already done on the
refused one, carry on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import (
    Framework,
    definition_hash,
    definition_of,
    framework_from_definition,
)
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import _
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.store.models import Audit, DatabaseInfo, FrameworkVersion, utcnow

# Content-addressed, so one cache serves every database this process opens.
_BY_HASH: dict[str, Framework] = {}
# database_info key: set once the versions of audits written before versions were stored
# have been stored from the files on disk that match them.
LEGACY_KEY = "framework_versions"


class VersionMissing(UserError):
    """An audit's framework version is neither stored nor on disk."""


class StoredVersion(BaseModel):
    framework_id: str
    version: str
    content_hash: str
    title: str
    stored_at: datetime


# --- reading ---------------------------------------------------------------------------------


def from_row(row: FrameworkVersion) -> Framework:
    """A stored version's framework, checked against its hash (`db verify` uses this too)."""
    try:
        definition = json.loads(row.definition)
        if definition_hash(definition) != row.content_hash:
            raise ValueError
        return framework_from_definition(
            definition, row.content_hash, _("(stored in the database)")
        )
    except (ValueError, ValidationError):
        raise UserError(
            _(
                "framework {framework} version {version}: the stored definition does not match "
                "its hash {hash} (it was changed in the database); run `audit-tui db verify`"
            ).format(framework=row.framework_id, version=row.version, hash=row.content_hash)
        ) from None


def _on_disk(ctx: AppContext, content_hash: str) -> Framework | None:
    return next((fw for fw in ctx.frameworks.all() if fw.content_hash == content_hash), None)


def framework_in(
    ctx: AppContext, s: Session, content_hash: str, *, what: str | None = None
) -> Framework:
    """The framework version with this content hash: from the cache, the database, or a file
    on disk with the same content (found by hash, never by id). Raises VersionMissing."""
    fw = _BY_HASH.get(content_hash)
    if fw is not None:
        return fw
    row = s.get(FrameworkVersion, content_hash)
    fw = from_row(row) if row is not None else _on_disk(ctx, content_hash)
    if fw is None:
        raise VersionMissing(
            _(
                "{what} was done on a framework version (hash {hash}) that is neither stored in "
                "this database nor in any framework file: store that version with "
                "`audit-tui frameworks store FILE` (the file from your version control)"
            ).format(what=what or _("this audit"), hash=content_hash)
        )
    _BY_HASH[content_hash] = fw
    return fw


def of_audit(ctx: AppContext, s: Session, audit: Audit) -> Framework:
    """The definition of the version `audit` was done on."""
    return framework_in(
        ctx,
        s,
        audit.framework_hash,
        what=_("audit {id} ({framework} version {version})").format(
            id=audit.id, framework=audit.framework_id, version=audit.framework_version
        ),
    )


def framework(ctx: AppContext, content_hash: str, *, what: str | None = None) -> Framework:
    """`framework_in` with a read transaction of its own (none when the version is cached)."""
    fw = _BY_HASH.get(content_hash)
    if fw is not None:
        return fw
    with ctx.db.read() as s:
        return framework_in(ctx, s, content_hash, what=what)


def stored(ctx: AppContext, framework_id: str | None = None) -> list[StoredVersion]:
    """The stored versions (of one framework), oldest first."""
    with ctx.db.read() as s:
        return [
            StoredVersion.model_validate(r, from_attributes=True) for r in _rows(s, framework_id)
        ]


def _rows(s: Session, framework_id: str | None) -> list[FrameworkVersion]:
    q = select(FrameworkVersion).order_by(FrameworkVersion.stored_at, FrameworkVersion.content_hash)
    if framework_id is not None:
        q = q.where(FrameworkVersion.framework_id == framework_id)
    return list(s.execute(q).scalars())


def version_set(
    ctx: AppContext, s: Session, framework_id: str, hashes: Iterable[str]
) -> VersionSet:
    """The versions with these hashes, newest (most recently stored) first. Versions that
    cannot be found are left out; with none found, the file on disk stands in (or the newest
    stored version when the file is gone)."""
    order = {r.content_hash: i for i, r in enumerate(_rows(s, framework_id))}
    found: list[Framework] = []
    for h in set(hashes):
        try:
            found.append(framework_in(ctx, s, h))
        except UserError:
            continue
    # Stored versions by when they were stored; a version only on disk is the newest.
    found.sort(key=lambda fw: order.get(fw.content_hash, len(order)), reverse=True)
    if not found:
        if framework_id in ctx.frameworks:
            found.append(ctx.frameworks.get(framework_id))
        elif order:
            found.append(framework_in(ctx, s, max(order, key=order.__getitem__)))
        else:
            ctx.frameworks.get(framework_id)  # the usual "unknown framework" line
    return VersionSet.of(found)


# --- storing ---------------------------------------------------------------------------------


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def conflict(ctx: AppContext, s: Session, fw: Framework) -> str | None:
    """Why this framework file cannot be stored beside the versions already stored, or None."""
    where = fw.source_path or fw.id
    rows = _rows(s, fw.id)
    if any(r.content_hash == fw.content_hash for r in rows):
        return None
    same = next((r for r in rows if r.version == fw.version), None)
    if same is not None:
        return _(
            "{where}: framework {framework} version {version} is already in this database with "
            "different content (hash {hash}); give the changed file a new version number"
        ).format(where=where, framework=fw.id, version=fw.version, hash=same.content_hash)
    if not rows:
        return None
    for r in rows:  # an id a stored version declared retired is never used again
        reused = set(framework_in(ctx, s, r.content_hash).retired) & {q.id for q in fw.questions}
        if reused:
            return _(
                "{where}: question {q} is listed as retired in version {version}; a retired id "
                "is never reused: give the question a new id"
            ).format(where=where, q=min(reused), version=r.version)
    newest = framework_in(ctx, s, rows[-1].content_hash)
    for q in fw.questions:
        if newest.has_question(q.id):
            continue  # a question of the current version, perhaps reworded: the same question
        for r in reversed(rows[:-1]):
            old = framework_in(ctx, s, r.content_hash)
            if old.has_question(q.id) and old.question(q.id).text.split() != q.text.split():
                return _(
                    '{where}: question {q} was "{text}" in version {version} and was then '
                    "retired; an id is never reused for a different question: give the new "
                    "question a new id"
                ).format(
                    where=where, q=q.id, text=_short(old.question(q.id).text), version=r.version
                )
    return None


def store(ctx: AppContext, s: Session, fw: Framework, *, log: bool = True) -> None:
    """Store `fw`'s definition (once), inside the caller's transaction, logged (unless the
    caller logs it in an entry of its own). Refused with one line when it conflicts with a
    stored version."""
    if s.get(FrameworkVersion, fw.content_hash) is not None:
        return
    problem = conflict(ctx, s, fw)
    if problem:
        raise UserError(problem)
    s.add(
        FrameworkVersion(
            content_hash=fw.content_hash,
            framework_id=fw.id,
            version=fw.version,
            title=fw.title,
            definition=json.dumps(definition_of(fw), sort_keys=True),
            stored_at=utcnow(),
        )
    )
    s.flush()
    if log:
        log_event(
            s,
            ctx.actor,
            "store_version",
            "framework",
            None,
            field=fw.id,
            new={"version": fw.version, "hash": fw.content_hash},
        )
    _BY_HASH.setdefault(fw.content_hash, fw)


def store_file_version(ctx: AppContext, fw: Framework) -> bool:
    """Store one framework version given as a file (`frameworks store`). False when it was
    already stored."""
    with ctx.db.write() as s:
        if s.get(FrameworkVersion, fw.content_hash) is not None:
            return False
        store(ctx, s, fw)
        return True


def store_legacy_versions(ctx: AppContext) -> int:
    """Once per database: store the versions of audits written before versions were stored,
    from the framework files on disk whose content hash matches. Returns how many were
    stored. An audit whose version matches no file keeps its answers and figures; reading
    it against a definition then needs `frameworks store FILE`."""
    with ctx.db.read() as s:
        if s.get(DatabaseInfo, LEGACY_KEY) is not None:
            return 0
    n = 0
    with ctx.db.write() as s:
        if s.get(DatabaseInfo, LEGACY_KEY) is not None:
            return 0
        have = set(s.execute(select(FrameworkVersion.content_hash)).scalars())
        for h in sorted(set(s.execute(select(Audit.framework_hash).distinct()).scalars()) - have):
            fw = _on_disk(ctx, h)
            if fw is not None and conflict(ctx, s, fw) is None:
                store(ctx, s, fw)
                n += 1
        s.add(DatabaseInfo(key=LEGACY_KEY, value="stored", updated_at=utcnow()))
        log_event(s, ctx.actor, "mark", "database", None, field=LEGACY_KEY, new="stored")
    return n


def check_against_database(ctx: AppContext, frameworks: Iterable[Framework]) -> dict[str, str]:
    """Framework id -> the line refusing it, for files that conflict with stored versions."""
    out: dict[str, str] = {}
    with ctx.db.read() as s:
        for fw in frameworks:
            problem = conflict(ctx, s, fw)
            if problem:
                out[fw.id] = problem
    return out
