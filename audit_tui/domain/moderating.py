"""The rules of moderation that need no database: which audits a share picks, the
moderator's own figures, and the agreed answer (and whose note it keeps) for each question."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from audit_tui.domain.errors import UserError
from audit_tui.domain.framework import Framework, Question
from audit_tui.domain.review import figures
from audit_tui.domain.scoring import ScoredAnswer
from audit_tui.i18n import _


def pick_share(candidates: Iterable[tuple[str, int]], share: float, seed: int) -> list[int]:
    """ceil(share x n) audits from each group (auditor or team), so every group with an
    eligible audit has at least one moderated. Groups and ids are sorted first: the pick
    depends only on the seed and the eligible audits, never on database row order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for key, audit_id in candidates:
        groups[key].append(audit_id)
    rng = random.Random(seed)
    picked: list[int] = []
    for key in sorted(groups):
        ids = sorted(groups[key])
        picked.extend(rng.sample(ids, math.ceil(share * len(ids))))
    return sorted(picked)


def moderator_figures(
    fw: Framework, answers: Mapping[str, str], points: Mapping[str, float | None]
) -> tuple[float | None, str | None]:
    """Percent met and the suggested judgement of the moderator's own answers (by question
    id) on the audit's framework version; a question the version lacks is left out."""
    scored = [
        ScoredAnswer(
            points=points[qid],
            weight=fw.question(qid).weight,
            cap=fw.critical_cap_of(fw.question(qid), answers[qid]),
        )
        for qid in answers
        if fw.has_question(qid)
    ]
    result = figures(fw, scored)
    return result.percent_met, result.suggested_judgement


def agreed_codes(
    questions: Iterable[Question],
    given: Mapping[str, str],
    original: Mapping[str, str],
    moderator: Mapping[str, str],
) -> dict[str, str]:
    """The agreed answer to each applicable question: the one given, else the answer auditor
    and moderator share. Where they differ and none is given, the agreement is refused."""
    chosen: dict[str, str] = {}
    for q in questions:
        o, md = original.get(q.id), moderator.get(q.id)
        if q.id in given:
            chosen[q.id] = given[q.id]
        elif o is not None and md is not None and o == md:
            chosen[q.id] = o
        elif o is not None or md is not None:
            raise UserError(
                _(
                    "agree an answer for {question}: the auditor said {auditor}, the moderator {moderator}"
                ).format(
                    question=q.id,
                    auditor=o if o is not None else _("nothing"),
                    moderator=md if md is not None else _("nothing"),
                )
            )
    return chosen


@dataclass(frozen=True)
class Side:
    """One side's answer to a question, as the agreed answer may take it over."""

    answer: str
    note: str | None
    na_reason: str | None


def kept_text(
    code: str, original: Side | None, moderator: Side | None
) -> tuple[str | None, str | None]:
    """The note and N/A reason an agreed answer keeps: those of whichever side gave that
    answer, the auditor's first (a moderator's answer carries no N/A reason)."""
    if original is not None and original.answer == code:
        return original.note, original.na_reason
    if moderator is not None and moderator.answer == code:
        return moderator.note, None
    return None, None
