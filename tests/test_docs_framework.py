"""docs/framework-format.md says what is true: its complete framework for an English authority
loads, checks and walks, and its example of `check` output is what `check` prints."""

from __future__ import annotations

import dataclasses
from datetime import date

from audit_tui.cli.frameworks_cmd import render_framework
from audit_tui.domain.loader import FrameworkRegistry, load_framework_text
from audit_tui.services import audits
from audit_tui.services.context import AppContext
from audit_tui.services.directory import add_team
from audit_tui.services.schemas import AnswerIn, Finalise, NewAudit
from tests.conftest import REPO
from tests.domain.test_framework_format import FIVE_MISTAKES, MINI, problems

DOC = (REPO / "docs" / "framework-format.md").read_text("utf-8")


def english_authority() -> str:
    block = DOC.split("<!-- english-authority:start -->", 1)[1].split(
        "<!-- english-authority:end -->", 1
    )[0]
    return block.strip().removeprefix("```yaml").removesuffix("```")


def test_the_english_authoritys_framework_loads_in_its_own_words() -> None:
    fw = load_framework_text(english_authority(), "lincolnbury.yaml")
    assert fw.judgements.label("requires_improvement") == "Requires improvement to be good"
    assert fw.judgements.short("requires_improvement") == "RI"
    assert "Private fostering" in [str(ct.label) for ct in fw.case_type_list]
    cited = {fw.citation_text(c) for q in fw.questions for c in q.evidence}
    assert "Working Together 2023, para Chapter 3, 141" in cited
    assert "National Framework 2023, para Outcome 2" in cited
    shown = render_framework(fw)
    assert "CRITICAL: Partly met or Not met caps the grade at Requires improvement to be good" in (
        " ".join(shown.split())
    )
    assert "recorded, not scored" in shown


def test_the_english_authoritys_framework_walks(ctx: AppContext) -> None:
    fw = load_framework_text(english_authority(), "lincolnbury.yaml")
    c = dataclasses.replace(
        ctx, frameworks=FrameworkRegistry({**{f.id: f for f in ctx.frameworks.all()}, fw.id: fw})
    )
    add_team(c, "Lincolnbury East")
    audit = audits.start_audit(
        c,
        NewAudit(
            framework_id=fw.id,
            case_reference="LB-0001",
            case_type="private_fostering",
            team="Lincolnbury East",
            auditor="Ceri Jones",
            audit_date=date(2026, 11, 2),
        ),
    )
    given = {"LB-HP-01": "met", "LB-HP-02": "7", "LB-FH-01": "partly_met", "LB-FH-02": "not_met"}
    for qid, code in given.items():
        audits.record_answer(c, audit.id, AnswerIn(question_id=qid, answer=code))
    rv = audits.review(c, audit.id)
    # (1 + 0.7 x 2 + 0.5) / 4 = 72.5%; LB-FH-02 (weight 0) recorded, not scored.
    assert (rv.percent_met, rv.scored_n, rv.suggested_judgement) == (
        72.5,
        3,
        "requires_improvement",
    )
    done = audits.finalise(c, audit.id, Finalise(judgement="requires_improvement"))
    assert done.case_type_label == "Private fostering"


def test_the_documented_check_output_is_what_check_prints() -> None:
    text = MINI
    for old, new in reversed(FIVE_MISTAKES):
        text = text.replace(old, new)
    printed = [line.replace("f.yaml:", "llanfair.yaml:", 1) for line in problems(text)]
    documented = (
        DOC.split("spelling of an allowed key, and otherwise the keys allowed there:", 1)[1]
        .split("```")[1]
        .strip()
        .splitlines()
    )
    assert documented == printed


def test_the_active_offer_example_is_a_valid_question_in_both_languages() -> None:
    """The Active Offer question docs/framework-format.md offers an authority (issue 19)
    loads when added to a framework, answers Ydy/Nac ydy in Welsh and lacks no Welsh."""
    import yaml

    from audit_tui.domain.untranslated import untranslated

    section = DOC.split("### Example: an authority's own question on the Active Offer", 1)[1]
    example = yaml.safe_load(section.split("```yaml", 1)[1].split("```", 1)[0])
    data = yaml.safe_load(MINI)
    data["sources"].update(example["sources"])
    data["sections"].extend(example["sections"])
    fw = load_framework_text(yaml.safe_dump(data, allow_unicode=True), "llanfair.yaml")
    cy = fw.shown_in("cy")
    q = cy.question("LL-LA-01")
    assert str(q.text).startswith("Ydy dewis iaith y plentyn")
    assert [str(o.label) for o in cy.answer_scale(q).options][:3] == [
        "Ydy",
        "Yn rhannol",
        "Nac ydy",
    ]
    assert not [loc for loc, _ in untranslated(fw, "cy") if loc[:2] == ("sections", 2)]
    assert (
        q.evidence[0].quote.startswith("An 'Active Offer' means") and not q.evidence[0].quote.marked
    )
