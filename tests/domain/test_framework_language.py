"""A framework read in the user's language (issue 19): `Framework.shown_in(lang)` and
`Text.shown(lang)`, the calls the screens and exports make. The chosen language where the
framework has it; the other, behind a visible mark, where it does not; quotations as published.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.bilingual import Text, fallback_mark
from audit_tui.domain.framework import Framework, definition_of
from audit_tui.domain.loader import load_framework_file
from audit_tui.domain.untranslated import untranslated

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def own() -> Framework:
    return load_framework_file(FIXTURES / "own-words.yaml")


@pytest.fixture(scope="module")
def case_file() -> Framework:
    return shipped("case-file")


def test_a_text_shown_in_a_language_it_lacks_is_marked() -> None:
    both = Text({"en": "Was the plan reviewed?", "cy": "A gafodd y cynllun ei adolygu?"})
    english = Text("Was the plan reviewed?")
    welsh = Text({"cy": "A gafodd y cynllun ei adolygu?"})
    assert both.shown("cy") == "A gafodd y cynllun ei adolygu?"
    assert both.shown("en") == "Was the plan reviewed?"
    assert english.shown("en") == "Was the plan reviewed?"
    assert english.shown("cy") == "[en] Was the plan reviewed?"
    assert welsh.shown("en") == "[cy] A gafodd y cynllun ei adolygu?"
    assert fallback_mark("en") == "[en] "
    # Nothing to translate in a text without letters: never marked.
    assert Text("10").shown("cy") == "10"


def test_a_marked_text_keeps_its_words_and_survives_a_copy() -> None:
    marked = Text("Was the plan reviewed?").in_language("cy", mark=True)
    assert marked.marked and marked.lang == "en"
    assert marked.get("en") == "Was the plan reviewed?"
    assert marked.stored() == "Was the plan reviewed?"  # what is hashed: no mark
    again = pickle.loads(pickle.dumps(marked))
    assert str(again) == "[en] Was the plan reviewed?" and again.marked


def test_the_framework_shown_in_welsh_marks_only_what_is_missing(own: Framework) -> None:
    cy = own.shown_in("cy")
    assert cy.lang == "cy"
    assert str(cy.title) == "Archwiliad cymorth teulu Llanfair"
    q1, q2 = cy.question("LL-V-01"), cy.question("LL-V-02")
    assert str(q1.text).startswith("A yw barn y plentyn")
    assert str(q1.guidance.good) == "Mae eu geiriau'n cael eu dyfynnu."
    assert str(q1.guidance.look_for) == "[en] Visit records and direct work."
    assert str(q2.text) == "[en] Was the family's first language recorded?"
    assert str(cy.sections[1].title) == "[en] Safety"
    # Its own scales and grades, built-in words of a framework in Welsh.
    assert str(cy.scale("practice").option("met").label) == "Wedi'i fodloni"  # type: ignore[union-attr]
    assert str(cy.scale("signs").option("1").label) == "1"  # type: ignore[union-attr]
    assert str(cy.scale("signs").option("0").label) == "[en] 0 - danger"  # type: ignore[union-attr]
    assert cy.judgements.label("developing") == "Ymarfer sy'n datblygu"
    assert cy.case_type_label("children_in_care") == "Plant mewn gofal"
    # Quotations and sources stay as published: shown, never marked.
    quote = cy.question("LL-V-02").evidence[0].quote
    assert str(quote) == "Record the family's first language." and not quote.marked
    assert str(cy.sources["wt-2023"].title) == "Working Together to Safeguard Children 2023"
    # The same framework: same content, same hash.
    assert cy.content_hash == own.content_hash
    assert definition_of(cy) == definition_of(own)


def test_every_marked_text_is_one_the_untranslated_list_names(own: Framework) -> None:
    """One rule for both: what `shown_in` marks is what `frameworks check --lang` lists."""
    listed = {loc for loc, _ in untranslated(own, "cy")}
    cy = own.shown_in("cy")
    marked = set()
    for i, section in enumerate(cy.sections):
        if section.title.marked:
            marked.add(("sections", i, "title"))
        for j, q in enumerate(section.questions):
            here = ("sections", i, "questions", j)
            for field, text in [
                ("text", q.text),
                ("good", q.guidance.good),
                ("look_for", q.guidance.look_for),
            ]:
                if text.marked:
                    marked.add((*here, "guidance", field) if field != "text" else (*here, field))
    question_locs = {loc for loc in listed if loc[0] == "sections"}
    assert marked == question_locs
    assert marked  # the fixture has untranslated questions


def test_shown_in_english_marks_welsh_only_text() -> None:
    fw = load_framework_file(FIXTURES / "own-words.yaml")
    en = fw.shown_in("en")
    assert str(en.title) == "Llanfair family support audit"
    assert not en.title.marked
    welsh_only = Text({"cy": "Llais y teulu"})
    section = en.sections[0].model_copy(update={"title": welsh_only})
    assert (
        str(
            Framework.shown_in(en.model_copy(update={"sections": [section]}), "en")
            .sections[0]
            .title
        )
        == "[cy] Llais y teulu"
    )


def test_the_plain_in_language_reading_is_unmarked(own: Framework) -> None:
    cy = own.in_language("cy")
    assert str(cy.question("LL-V-02").text) == "Was the family's first language recorded?"


def test_an_unknown_language_is_refused_in_words(own: Framework) -> None:
    with pytest.raises(ValueError, match="unknown language 'fr' \\(known: en, cy\\)"):
        own.shown_in("fr")


SHIPPED = ["case-file", "front-door", "supervision"]


def shipped(framework_id: str) -> Framework:
    return load_framework_file(builtin_frameworks_dir() / f"{framework_id}.yaml")


def texts(fw: Framework) -> list[Text]:
    """Every text a person reads in `fw`, quotations included."""
    out = [fw.title, fw.description]
    out += [t for s in fw.sections for t in (s.title, s.description) if t is not None]
    for q in fw.questions:
        out += [q.text, q.guidance.good, q.guidance.look_for]
        out += [o.label for o in fw.answer_scale(q).options]
        out += [c.quote for c in q.evidence]
    out += [g.label for g in fw.judgements.grades]
    out += [ct.label for ct in fw.case_type_list]
    return out


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_the_shipped_frameworks_read_wholly_in_welsh(framework_id: str) -> None:
    fw = shipped(framework_id)
    assert untranslated(fw, "cy") == []
    cy = fw.shown_in("cy")
    assert not [str(t) for t in texts(cy) if t.marked]
    # ... and every question answers in Welsh with its own verb, not the bare Ie/Na.
    for q in cy.questions:
        words = [str(o.label) for o in cy.answer_scale(q).options]
        assert "Ie" not in words and "Na" not in words, q.id
    # ... and their quotations stay in English, as published.
    assert all(c.quote.languages == ["en"] for q in cy.questions for c in q.evidence)


def test_a_question_answers_with_its_own_verb_in_welsh(case_file: Framework) -> None:
    cy = case_file.shown_in("cy")
    words = {q.id: [str(o.label) for o in cy.answer_scale(q).options] for q in cy.questions}
    # "Was ... held?" - Do/Naddo; "Is there ...?" - Oes/Nac oes; "Is it ...?" - Ydy/Nac ydy.
    assert words["CF-SD-01"][0] == "Do" and words["CF-SD-01"][2] == "Naddo"
    assert {"Oes", "Ydy", "Do"} <= {w[0] for w in words.values()}
    # English is unchanged by the Welsh words.
    en = case_file.shown_in("en")
    assert [str(o.label) for o in en.answer_scale(en.question("CF-SD-01")).options] == [
        "Yes",
        "Partly",
        "No",
        "Not applicable",
    ]


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_the_welsh_version_keeps_the_english_of_the_one_before(framework_id: str) -> None:
    """1.1.0 adds Welsh to 1.0.0 and changes nothing an English reader sees; 1.0.0 keeps its
    hash (audits finished on it keep their version) and 1.1.0 is a new version."""
    before = load_framework_file(FIXTURES / "old-versions" / f"{framework_id}-1.0.0.yaml")
    now = shipped(framework_id)
    assert before.version == "1.0.0"
    assert all(q.text.languages == ["en"] for q in before.questions)
    assert now.version == "1.1.0" and now.content_hash != before.content_hash
    assert [q.id for q in now.questions] == [q.id for q in before.questions]
    assert [str(t) for t in texts(now.shown_in("en"))] == [str(t) for t in texts(before)]


ANSWER_WORDS = {"Ydy", "Nac ydy", "Ydyn", "Nac ydyn", "Oes", "Nac oes", "Do", "Naddo", "Oedd"}
ANSWER_WORDS |= {"Nac oedd", "Ie", "Na", "Yn rhannol", "Amherthnasol"}


@pytest.mark.parametrize("framework_id", SHIPPED)
def test_welsh_guidance_names_the_answers_its_question_offers(framework_id: str) -> None:
    """Guidance that says "answer 'Naddo'" must be on a question whose Welsh no is Naddo."""
    import re

    # A quoted answer word; Welsh apostrophes (wedi'i, i'w) are not quotation marks.
    alternatives = "|".join(sorted(ANSWER_WORDS, key=len, reverse=True))
    quoted = re.compile(rf"(?:^|[\s(])'({alternatives})'")
    cy = shipped(framework_id).shown_in("cy")
    wrong = []
    seen = 0
    for q in cy.questions:
        offered = {str(o.label) for o in cy.answer_scale(q).options}
        for text in (q.guidance.good, q.guidance.look_for):
            named = set(quoted.findall(text.get("cy")))
            wrong += [(q.id, word) for word in named - offered]
            seen += len(named)
    assert seen and wrong == []
