"""The notes behind a profile's weakest questions: the most recent notes on answers short of
full marks, per team and question, read in one query (a lateral walk on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, String, column, func, literal, select, text, true, values
from sqlalchemy.orm import Session

from audit_tui.domain.periods import Period
from audit_tui.domain.profile_model import EvidenceNote, QuestionFigure
from audit_tui.domain.versions import VersionSet
from audit_tui.services.profile_sums import scope_filter
from audit_tui.store.models import Answer, Audit, Case

Group = int | None  # a team's id; None: the whole authority


def _notes(
    s: Session,
    framework_id: str,
    period: Period,
    question_ids: Iterable[str],
    per_question: int,
) -> list[Any]:
    """Notes on answers short of full marks to the given questions, the most recent `per_question` for
    each team and question. The authority's most recent notes are among these too."""
    ids = sorted(set(question_ids))
    if not ids or per_question <= 0:
        return []
    rn = (
        func.row_number()
        .over(
            partition_by=(Audit.team_id, Answer.question_id),
            order_by=(Audit.audit_date.desc(), Audit.id.desc()),
        )
        .label("rn")
    )
    inner = (
        select(
            Audit.team_id,
            Answer.question_id,
            Audit.id.label("audit_id"),
            Case.reference,
            Audit.audit_date,
            Answer.answer,
            Answer.note,
            rn,
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .join(Case, Case.id == Audit.case_id)
        .where(
            *scope_filter(framework_id, period.start, period.end),
            Answer.counted == true(),
            Answer.question_id.in_(ids),
            Answer.points < 1,
            Answer.note.is_not(None),
            Answer.note != "",
        )
        .subquery()
    )
    stmt = select(inner).where(inner.c.rn <= per_question)
    return list(s.execute(stmt))


def _recent_notes(
    s: Session,
    framework_id: str,
    period: Period,
    pairs: Iterable[tuple[int, str]],
    per_question: int,
) -> list[Any]:
    """PostgreSQL: `_notes`' rows for the given (team id, question id) pairs, each pair's
    found by walking that team's audits newest first (ix_audits_profile backwards, then the
    answer by its unique index) and stopping at `per_question` notes. Ranking every noted
    answer of a year instead took a third of a national year's profile."""
    wanted_pairs = sorted(set(pairs))
    if not wanted_pairs or per_question <= 0:
        return []
    wanted = values(column("team_id", Integer), column("question_id", String), name="wanted").data(
        wanted_pairs
    )
    recent = (
        select(
            Audit.id.label("audit_id"),
            Audit.case_id,
            Audit.audit_date,
            Answer.answer,
            Answer.note,
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .where(
            *scope_filter(framework_id, period.start, period.end),
            Audit.team_id == wanted.c.team_id,
            Answer.question_id == wanted.c.question_id,
            Answer.counted == true(),
            Answer.points < 1,
            Answer.note.is_not(None),
            Answer.note != "",
        )
        .order_by(Audit.audit_date.desc(), Audit.id.desc())
        .limit(per_question)
        .lateral("recent")
    )
    stmt = (
        select(
            wanted.c.team_id,
            wanted.c.question_id,
            recent.c.audit_id,
            Case.reference,
            recent.c.audit_date,
            recent.c.answer,
            recent.c.note,
            literal(0),
        )
        .select_from(wanted)
        .join(recent, true())
        .join(Case, Case.id == recent.c.case_id)
    )
    # The planner's cost for these LIMITed walks is far above the real work (8 ms for a
    # national year), so it would JIT-compile the query for ~150 ms: not for this statement.
    s.execute(text("SET LOCAL jit = off"))  # not translated: SQL
    return list(s.execute(stmt))


def weakest_notes(
    s: Session,
    vs: VersionSet,
    period: Period,
    weak: Mapping[Group, Sequence[QuestionFigure]],
    teams: Mapping[int, str],
    per_question: int,
) -> dict[Group, dict[str, list[EvidenceNote]]]:
    """Group -> question id -> the notes on its weakest questions, most recent first: each
    team's on its own weakest, and every team's on the authority's weakest."""
    framework_id = vs.newest.id
    if s.get_bind().dialect.name == "postgresql":
        pairs = {(t, f.question_id) for t in teams for f in weak.get(None, [])}
        pairs |= {(g, f.question_id) for g, figs in weak.items() if g is not None for f in figs}
        rows = _recent_notes(s, framework_id, period, pairs, per_question)
    else:
        wanted = {f.question_id for figs in weak.values() for f in figs}
        rows = _notes(s, framework_id, period, wanted, per_question)
    out: dict[Group, dict[str, list[EvidenceNote]]] = defaultdict(lambda: defaultdict(list))
    for team_id, qid, audit_id, ref, when, code, note, _rn in rows:
        ev = EvidenceNote(
            audit_id=audit_id,
            case_reference=ref,
            team=teams.get(team_id, str(team_id)),
            audit_date=when,
            answer=code,
            answer_label=vs.answer_label(qid, code),
            note=note,
        )
        out[team_id][qid].append(ev)
        out[None][qid].append(ev)
    for by_q in out.values():
        for evs in by_q.values():
            evs.sort(key=lambda e: (e.audit_date, e.audit_id), reverse=True)
    return out
