"""Drilling down from a profile figure: the versions a period's audits were done on, the
finalised audits behind a figure (each with its own figure for the cell), and one audit's
counted answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session, aliased

from audit_tui.domain.errors import UserError
from audit_tui.domain.periods import Period
from audit_tui.domain.profile_model import AuditBehind
from audit_tui.domain.versions import VersionSet
from audit_tui.i18n import _
from audit_tui.services import framework_versions as versions
from audit_tui.services.audit_rules import answer_out, counted_figures
from audit_tui.services.context import AppContext
from audit_tui.services.directory import find_team
from audit_tui.services.profile_sums import AnySelect, scope_filter, scored_answers
from audit_tui.services.schemas import AnswerOut, Figures
from audit_tui.store.models import Answer, Audit, Case, Team, Worker


def _hashes_in(s: Session, framework_id: str, period: Period) -> list[str]:
    """The framework versions the period's finalised audits were done on."""
    return list(
        s.execute(
            select(Audit.framework_hash)
            .where(*scope_filter(framework_id, period.start, period.end))
            .distinct()
        ).scalars()
    )


def versions_in(ctx: AppContext, framework_id: str, period: Period) -> VersionSet:
    """The versions of a framework that a period's audits were done on, newest first (the
    file on disk when the period has none)."""
    with ctx.db.read() as s:
        return versions.version_set(ctx, s, framework_id, _hashes_in(s, framework_id, period))


def _cell_answers(section_id: str | None, question_id: str | None) -> Any:
    """Per audit: its counted answers in the cell (a section, a question, or all), how many
    are scored, their summed weight and points, and (for one question) the answer and note."""
    scored_weight = case((Answer.points.is_not(None), Answer.weight), else_=0.0)
    where = [Answer.counted == true()]
    if section_id is not None:
        where.append(Answer.section_id == section_id)
    if question_id is not None:
        where.append(Answer.question_id == question_id)
    return (
        select(
            Answer.audit_id,
            func.count().label("answered"),
            scored_answers(),
            func.sum(scored_weight).label("weight"),
            func.sum(Answer.weight * Answer.points).label("points"),
            func.max(Answer.answer).label("answer"),
            func.max(Answer.note).label("note"),
        )
        .where(*where)
        .group_by(Answer.audit_id)
        .subquery()
    )


def _behind_statement(framework_id: str, period: Period, agg: Any, *, cell: bool) -> AnySelect:
    holder, auditor = aliased(Worker), aliased(Worker)
    stmt = (
        select(
            Audit,
            Case.reference,
            Team.name,
            holder.name,
            auditor.name,
            agg.c.answered,
            agg.c.scored,
            agg.c.weight,
            agg.c.points,
            agg.c.answer,
            agg.c.note,
        )
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Audit.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .outerjoin(holder, holder.id == Audit.worker_id)
        .join(agg, agg.c.audit_id == Audit.id, isouter=not cell)
        .where(*scope_filter(framework_id, period.start, period.end))
        .order_by(Audit.audit_date.desc(), Audit.id.desc())
    )
    return stmt.where(agg.c.scored > 0) if cell else stmt


def _counted_figures(ctx: AppContext, s: Session, a: Audit) -> Figures | None:
    """A moderated audit's figures that count: its agreed answers', scored against its own
    version (few audits are moderated; the rest read as stored)."""
    if a.moderated_judgement is None:
        return None
    try:
        return counted_figures(versions.framework_in(ctx, s, a.framework_hash), a)
    except UserError:
        return None


def _behind(ctx: AppContext, s: Session, row: Any, question_id: str | None) -> AuditBehind:
    a, ref, team_name, holder_name, auditor_name, answered, scored, w, p, ans, note = row
    counted = _counted_figures(ctx, s, a)
    return AuditBehind(
        id=a.id,
        case_reference=ref,
        case_type=a.case_type,
        case_type_label=ctx.frameworks.case_type_label(a.case_type, a.framework_id),
        team=team_name,
        case_holder=holder_name,
        auditor=auditor_name,
        audit_date=a.audit_date,
        status=a.status,
        percent_met=counted.percent_met if counted else a.percent_met,
        suggested_judgement=counted.suggested_judgement if counted else a.suggested_judgement,
        judgement=a.judgement,
        moderated_judgement=a.moderated_judgement,
        judgement_counted=a.moderated_judgement or a.judgement,
        cell_percent=100.0 * p / w if w else None,
        cell_scored=scored or 0,
        cell_answered=answered or 0,
        answer=ans if question_id else None,
        note=note if question_id else None,
    )


def audits_behind(
    ctx: AppContext,
    framework_id: str,
    period: Period,
    team: str | None = None,
    section_id: str | None = None,
    question_id: str | None = None,
    *,
    limit: int | None = None,
) -> list[AuditBehind]:
    """The finalised audits behind a profile figure, most recent first.

    With a section or question, only audits with a scored (not N/A) counted answer there, each
    with its own percent met for that cell; otherwise every audit behind the audits n.
    """
    with ctx.db.read() as s:
        vs = versions.version_set(ctx, s, framework_id, _hashes_in(s, framework_id, period))
    fw = vs.newest
    if section_id is not None and section_id not in vs.section_titles:
        raise UserError(
            _("section '{section}' is not in framework {framework}").format(
                section=section_id, framework=fw.id
            )
        )
    if question_id is not None and not vs.has_question(question_id):
        raise UserError(
            _("question '{question}' is not in framework {framework}").format(
                question=question_id, framework=fw.id
            )
        )
    cell = (section_id, question_id) != (None, None)
    stmt = _behind_statement(fw.id, period, _cell_answers(section_id, question_id), cell=cell)
    if limit:
        stmt = stmt.limit(limit)
    with ctx.db.read() as s:
        if team is not None:
            stmt = stmt.where(Audit.team_id == find_team(s, team).id)
        return [_behind(ctx, s, row, question_id) for row in s.execute(stmt)]


def counted_answers(ctx: AppContext, audit_id: int) -> dict[str, AnswerOut]:
    """One audit's answers that count (the agreed ones where moderated), by question id."""
    with ctx.db.read() as s:
        if s.get(Audit, audit_id) is None:
            raise UserError(_("no audit {id}").format(id=audit_id))
        rows = s.execute(
            select(Answer)
            .where(Answer.audit_id == audit_id, Answer.counted == true())
            .order_by(Answer.id)
        ).scalars()
        return {a.question_id: answer_out(a) for a in rows}
