"""The framework's words in the interface's language, for any screen: a framework version as
its reader sees it (`Framework.shown_in`: the other language behind a mark where a text has
no translation), its title, and a profile in those words - by the workbook's own calls
(export.words.Words), so a screen and a workbook in one language say the same words - and
the Profiles screen's lines about a highlighted group."""

from __future__ import annotations

from textual.content import Content

from audit_tui import i18n
from audit_tui.domain.framework import Framework
from audit_tui.export.words import Words
from audit_tui.i18n import _, ngettext
from audit_tui.services.profile_schemas import (
    Grade,
    GradeCount,
    GroupProfile,
    PercentMet,
    Profile,
    QuestionFigure,
)
from audit_tui.ui.widgets.figures import band_legend, plain_percent, short_band, too_few_text


def shown_framework(fw: Framework) -> Framework:
    """`fw` as a reader in the interface's language sees it: every text in that language, or
    in the other behind its mark ("[cy] ..." in English for a text an authority wrote only in
    Welsh). The one call every screen and dialog makes, so none shows an unmarked fallback."""
    return fw.shown_in(i18n.shown_language())


def framework_title(fw: Framework) -> str:
    """A framework's title in the interface's language."""
    return Words(fw, i18n.current()).text(fw.title)


# --- the profile in the interface's language ----------------------------------------------


def in_language(prof: Profile, fw: Framework, lang: str) -> Profile:
    """`prof` with the framework's words - grades and bands, section titles, questions, what
    good looks like - in `lang`, from the framework itself and by the same calls as the
    workbook (export.words.Words), so the screen and a workbook in that language say the same
    words. The figures are untouched: the same objects, the same numbers. English is the
    profile as the service gives it."""
    if lang == i18n.DEFAULT:
        return prof
    words = Words(fw, lang)
    scale = fw.shown_in(lang).judgements

    def band(pm: PercentMet) -> PercentMet:
        return pm.model_copy(update={"band_label": words.band(pm)})

    def counts(items: list[GradeCount]) -> list[GradeCount]:
        return [j.model_copy(update={"label": words.grade(j.code)}) for j in items]

    def question(q: QuestionFigure) -> QuestionFigure:
        return q.model_copy(
            update={
                "text": words.question(q.question_id, q.text),
                "percent_met": band(q.percent_met),
            }
        )

    def group(g: GroupProfile) -> GroupProfile:
        return g.model_copy(
            update={
                "name": words.group(g.name) if g.is_authority else g.name,
                "judgements": counts(g.judgements),
                "percent_met": band(g.percent_met),
                "sections": [
                    s.model_copy(
                        update={
                            "title": words.section(s.section_id, s.title),
                            "percent_met": band(s.percent_met),
                        }
                    )
                    for s in g.sections
                ],
                "questions": [question(q) for q in g.questions],
                "strongest": [question(q) for q in g.strongest],
                "weakest": [
                    f.model_copy(
                        update={
                            "text": words.question(f.question_id, f.text),
                            "good": words.guidance(f.question_id, f.good),
                            "percent_met": band(f.percent_met),
                        }
                    )
                    for f in g.weakest
                ],
                "trend": [
                    tp.model_copy(
                        update={
                            "percent_met": band(tp.percent_met),
                            "judgements": counts(tp.judgements),
                        }
                    )
                    for tp in g.trend
                ],
            }
        )

    return prof.model_copy(
        update={
            "framework_title": words.text(fw.title),
            "grades": [
                Grade(code=g.code, label=words.grade(g.code), short=scale.short(g.code))
                for g in prof.grades
            ],
            "good_or_better_name": words.good_or_better(),
            "sections": [
                s.model_copy(update={"title": words.section(s.id, s.title)}) for s in prof.sections
            ],
            "questions": [
                q.model_copy(
                    update={
                        "text": words.question(q.id, q.text),
                        "good": words.guidance(q.id, q.good),
                    }
                )
                for q in prof.questions
            ],
            "authority": group(prof.authority),
            "teams": [group(t) for t in prof.teams],
        }
    )


# --- the highlighted group, in words (Profiles) --------------------------------------------


def trend_lines(group: GroupProfile) -> list[Content]:
    """A group's trend: each period's percent met, its n and its audits."""
    points = " · ".join(
        ngettext(
            "{period} {percent} (n={n}, {audits} audit)",
            "{period} {percent} (n={n}, {audits} audits)",
            tp.audits,
        ).format(
            period=tp.period.label,
            percent=tp.percent_met.shown,
            n=tp.percent_met.n,
            audits=tp.audits,
        )
        for tp in group.trend
    )
    return [
        Content.assemble((_("{group} · trend").format(group=group.name), "bold")),
        Content(points),
    ]


def group_lines(prof: Profile, group: GroupProfile) -> list[Content]:
    """A group's audits, its share judged good or better and its grades."""
    gob = group.good_or_better
    grades = " · ".join(f"{short_band(prof.grades, j.code)} {j.n}" for j in group.judgements if j.n)
    audits = ngettext("{n} audit in {period}", "{n} audits in {period}", group.audits)
    share = ngettext("{name} {percent} (n={n} audit)", "{name} {percent} (n={n} audits)", gob.n)
    return [
        Content.assemble(
            (group.name, "bold"), " · " + audits.format(n=group.audits, period=prof.period.label)
        ),
        Content(
            share.format(name=prof.good_or_better_name, percent=plain_percent(gob.percent), n=gob.n)
            + " · "
            + (grades or _("no judgements"))
        ),
    ]


def versions_line(prof: Profile) -> str:
    """The framework versions a period's audits were done on, each with its audits."""
    mixed = ", ".join(
        ngettext("{version}: {n} audit", "{version}: {n} audits", v.audits).format(
            version=v.version, n=i18n.format_number(v.audits)
        )
        for v in prof.framework_versions
    )
    return _("Framework versions: {versions}").format(versions=mixed)


def legend_text(prof: Profile) -> str:
    """The profile's legend: what n counts, the small-sample mark, the bands' words."""
    lines = [
        _("n = scored answers (no N/A) · {too_few}: a dip may be chance").format(
            too_few=too_few_text(prof.small_sample)
        )
    ]
    legend = band_legend(prof.grades)
    if legend:
        lines.append(legend)
    return "\n".join(lines)
