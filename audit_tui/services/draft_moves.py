"""Moving a draft to the framework version now in its file: what it would carry and drop,
and the move itself (logged with the answers dropped)."""

from __future__ import annotations

from collections.abc import Mapping

from audit_tui.domain.framework import Framework
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import (
    Conflict,
    draft_audit,
    load_audit,
    original_answers_of,
    touch,
)
from audit_tui.services.audit_views import audit_detail
from audit_tui.services.context import AppContext
from audit_tui.services.eventlog import log_event
from audit_tui.services.schemas import AuditDetail, DraftMove
from audit_tui.store.models import Answer, utcnow


def _carry(
    new: Framework, case_type: str, answers: Mapping[str, Answer]
) -> tuple[list[str], list[str]]:
    """Which answers a draft keeps on moving to `new`: those to questions `new` asks for this
    case type whose answer `new` still offers (and allows, for not applicable)."""
    carried: list[str] = []
    dropped: list[str] = []
    for qid, a in answers.items():
        ok = False
        if new.has_question(qid):
            q = new.question(qid)
            option = new.option(q, a.answer)
            ok = (
                new.applies(q, case_type)
                and option is not None
                and (q.na_allowed or not option.is_na)
            )
        (carried if ok else dropped).append(qid)
    return sorted(carried), sorted(dropped)


def draft_move(ctx: AppContext, audit_id: int) -> DraftMove | None:
    """For a draft whose framework file now holds another version: what moving would carry
    and drop. None for a finalised audit, or when the file is unchanged or gone."""
    with ctx.db.read() as s:
        audit = load_audit(s, audit_id)
        if audit.status != "draft" or audit.framework_id not in ctx.frameworks:
            return None
        new = ctx.frameworks.get(audit.framework_id)
        if new.content_hash == audit.framework_hash:
            return None
        carried, dropped = _carry(new, audit.case_type, original_answers_of(audit))
        return DraftMove(
            audit_id=audit.id,
            framework_id=audit.framework_id,
            from_version=audit.framework_version,
            from_hash=audit.framework_hash,
            to_version=new.version,
            to_hash=new.content_hash,
            carried=carried,
            dropped=dropped,
            refused=versions.conflict(ctx, s, new),
        )


def move_draft(ctx: AppContext, audit_id: int, to_hash: str) -> AuditDetail:
    """Move a draft to the version in its framework file (`to_hash`, as the auditor saw it):
    answers to questions both versions share carry over (taking the new version's section,
    weight and critical flag), the others are removed, and the move is logged with what was
    dropped. Never a mix: the recorded version and hash and every answer are the new one's."""
    with ctx.db.write() as s:
        audit = draft_audit(s, audit_id)
        new = (
            ctx.frameworks.get(audit.framework_id) if audit.framework_id in ctx.frameworks else None
        )
        if new is None or new.content_hash != to_hash:
            raise Conflict(
                _(
                    "the framework file for {framework} changed again: reopen audit {id} to see "
                    "its version now"
                ).format(framework=audit.framework_id, id=audit_id)
            )
        if audit.framework_hash == to_hash:
            return audit_detail(ctx, s, audit)
        versions.store(ctx, s, new)
        originals = original_answers_of(audit)
        carried, dropped = _carry(new, audit.case_type, originals)
        for qid in carried:
            row, q = originals[qid], new.question(qid)
            row.section_id = new.section_of(qid).id
            row.weight, row.critical = q.weight, q.critical
            option = new.option(q, row.answer)
            if option is not None:  # always: an answer is carried only when `new` offers it
                row.points = option.points
        for qid in dropped:
            s.delete(originals[qid])
        now = utcnow()
        log_event(
            s,
            ctx.actor,
            "move_version",
            "audit",
            audit.id,
            audit_id=audit.id,
            field="framework_version",
            old={"version": audit.framework_version, "hash": audit.framework_hash},
            new={
                "version": new.version,
                "hash": new.content_hash,
                "carried": len(carried),
                "dropped": {qid: originals[qid].answer for qid in dropped},
            },
            at=now,
        )
        audit.framework_version, audit.framework_hash = new.version, new.content_hash
        touch(audit, now)
        s.flush()
        s.expire(audit, ["answers"])
        return audit_detail(ctx, s, audit)
