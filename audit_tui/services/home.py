"""Headline figures for the Home screen: the current financial quarter at a glance.

Every figure carries its n; a framework with no scored answers shows "no data" (None),
never 0%. Aggregation happens in SQL (GROUP BY), one query per figure family.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select

from audit_tui.domain.periods import current_quarter
from audit_tui.services.context import AppContext
from audit_tui.store.models import Answer, Audit


class JudgementCount(BaseModel):
    code: str
    label: str
    n: int


class FrameworkFigures(BaseModel):
    """One framework's quarter: figures from different frameworks are never mixed."""

    framework_id: str
    title: str
    audits_n: int  # finalised audits dated in the quarter
    percent_met: float | None  # None: no scored answers ("no data")
    scored_n: int  # answers behind percent_met (N/A excluded)
    judgements: list[JudgementCount]  # best grade first, zero counts left out


class HomeSummary(BaseModel):
    period_label: str
    period_start: date
    period_end: date
    drafts_n: int
    finalised_total: int  # finalised audits ever, all frameworks
    frameworks: list[FrameworkFigures]

    @property
    def empty(self) -> bool:
        """Nothing in the database at all: the Home screen offers demo data or a first audit."""
        return self.drafts_n == 0 and self.finalised_total == 0


def home_summary(ctx: AppContext) -> HomeSummary:
    period = current_quarter(ctx.today())
    in_quarter = (
        Audit.status == "finalised",
        Audit.audit_date >= period.start,
        Audit.audit_date <= period.end,
    )
    # A moderated audit counts with its moderated judgement (and its agreed answers, which
    # are the rows marked `counted`).
    judgement = func.coalesce(Audit.moderated_judgement, Audit.judgement)
    with ctx.db.read() as s:
        drafts_n = s.scalar(select(func.count()).where(Audit.status == "draft")) or 0
        finalised_total = s.scalar(select(func.count()).where(Audit.status == "finalised")) or 0
        audits = dict(
            s.execute(
                select(Audit.framework_id, func.count())
                .where(*in_quarter)
                .group_by(Audit.framework_id)
            ).all()
        )
        scores = {
            fid: (num, den, n)
            for fid, num, den, n in s.execute(
                select(
                    Audit.framework_id,
                    func.sum(Answer.weight * Answer.points),
                    func.sum(Answer.weight),
                    func.count(),
                )
                .join(Answer, Answer.audit_id == Audit.id)
                .where(*in_quarter, Answer.counted, Answer.points.is_not(None), Answer.weight > 0)
                .group_by(Audit.framework_id)
            ).all()
        }
        grades: dict[str, dict[str, int]] = {}
        for fid, code, n in s.execute(
            select(Audit.framework_id, judgement, func.count())
            .where(*in_quarter)
            .group_by(Audit.framework_id, judgement)
        ).all():
            grades.setdefault(fid, {})[code] = n

    figures = []
    for fid in sorted(audits):
        fw = ctx.frameworks.get(fid) if fid in ctx.frameworks else None
        num, den, scored_n = scores.get(fid, (None, None, 0))
        pct = 100.0 * float(num) / float(den) if num is not None and den else None
        counts = grades.get(fid, {})
        order = fw.judgements.codes if fw else sorted(counts)
        # Grades the scale does not know (a changed framework) are still shown, after the rest.
        order = order + sorted(c for c in counts if c not in order)
        figures.append(
            FrameworkFigures(
                framework_id=fid,
                title=fw.title if fw else fid,
                audits_n=audits[fid],
                percent_met=pct,
                scored_n=scored_n,
                judgements=[
                    JudgementCount(code=c, label=fw.judgements.label(c) if fw else c, n=counts[c])
                    for c in order
                    if counts.get(c)
                ],
            )
        )
    return HomeSummary(
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        drafts_n=drafts_n,
        finalised_total=finalised_total,
        frameworks=figures,
    )
