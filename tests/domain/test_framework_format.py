"""What the framework format lets an authority write (issue 17), and what `check` refuses.

tests/fixtures/own-words.yaml uses every feature; each refusal below is that file (or mini)
with one small edit, so the lines can be read off the fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit_tui.domain.errors import FrameworkError
from audit_tui.domain.framework import Framework, definition_of
from audit_tui.domain.keys import WALK_COMMANDS
from audit_tui.domain.loader import load_framework_file, load_framework_text
from audit_tui.domain.scoring import ScoredAnswer, percent_met, suggested_judgement

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN_FILE = FIXTURES / "own-words.yaml"
OWN_TEXT = OWN_FILE.read_text("utf-8")
MINI = (FIXTURES / "mini.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def own() -> Framework:
    return load_framework_file(OWN_FILE)


def own_with(old: str, new: str) -> str:
    assert OWN_TEXT.count(old) == 1, f"fixture edit is ambiguous or stale: {old!r}"
    return OWN_TEXT.replace(old, new)


def problems(text: str) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        load_framework_text(text, "f.yaml")
    return info.value.lines


def line_of(text: str) -> int:
    """The line of OWN_TEXT that holds `text` (1-based)."""
    return next(i for i, line in enumerate(OWN_TEXT.splitlines(), 1) if text in line)


# --- what can be written ------------------------------------------------------------------------


def test_own_grades_with_short_codes_and_cut_off(own: Framework) -> None:
    scale = own.judgements
    assert scale.codes == ["strong", "secure", "developing", "weak"]
    assert scale.label("developing") == "Still developing practice"
    assert scale.short("developing") == "DEV"  # its own short code
    assert scale.short("secure") == "Secure"  # short enough already
    assert scale.good_or_better_codes == ["strong", "secure"]
    assert scale.good_or_better_name == "Secure or better"
    assert scale.grade("strong").label.get("cy") == "Cryf"  # type: ignore[union-attr]


def test_built_in_scales_stay_available_by_id() -> None:
    mini = load_framework_text(MINI)
    assert mini.judgements.codes == ["outstanding", "good", "requires_improvement", "inadequate"]
    assert mini.judgements.good_or_better_name == "Good or better"
    assert mini.judgements.short("requires_improvement") == "RI"


def test_own_case_types_with_labels_and_import_aliases(own: Framework) -> None:
    assert own.case_type_codes == ["early_help", "children_in_care", "care_experienced"]
    assert own.case_type_label("children_in_care") == "Children in care"
    for written, code in [
        ("CiC", "children_in_care"),
        ("Plant mewn gofal", "children_in_care"),  # the Welsh label
        ("early-help", "early_help"),
        ("EH", "early_help"),
        ("Care experienced", "care_experienced"),
        ("LAC", None),  # a built-in alias of a type this framework does not have
        ("Child in need", None),
    ]:
        assert own.case_type_code(written) == code, written


def test_a_zero_to_ten_scale_with_key_0(own: Framework) -> None:
    signs = own.scale("signs")
    assert len(signs.options) == 11
    assert [o.key for o in signs.options] == [*"0123456789", "t"]
    assert signs.digit_keys
    assert signs.option("0").points == 0 and signs.option("10").points == 1  # type: ignore[union-attr]


def test_weight_zero_is_recorded_not_scored(own: Framework) -> None:
    q = own.question("LL-V-02")
    assert q.weight == 0
    met = ScoredAnswer(1.0, 1.0)
    not_met_unscored = ScoredAnswer(0.0, q.weight)
    assert percent_met([met, not_met_unscored]) == 100.0


def test_critical_question_triggered_by_two_answers_caps_at_its_own_grade(own: Framework) -> None:
    q = own.question("LL-V-01")
    assert own.critical_triggers(q) == ["not_met", "part_met"]
    assert own.critical_cap_of(q, "part_met") == "developing"
    assert own.critical_cap_of(q, "not_met") == "developing"
    assert own.critical_cap_of(q, "met") is None
    assert suggested_judgement(own, 95.0, ["developing"]) == "developing"


def test_retired_ids_and_sources_by_short_title(own: Framework) -> None:
    assert own.retired == ["LL-OLD-01"]
    src = own.sources["wt-2023"]
    assert src.url and src.url.startswith("https://")
    cited = [own.citation_text(c) for q in own.questions for c in q.evidence]
    assert "Working Together 2023, para Chapter 1, 12" in cited
    assert "Practice standard, para 2.1" in cited


def test_welsh_and_english_text_both_stored(own: Framework) -> None:
    q = own.question("LL-V-01")
    assert str(q.text) == "Is the child's own view recorded in their words?"
    assert q.text.get("cy") == "A yw barn y plentyn wedi'i chofnodi yn ei eiriau ei hun?"
    assert q.text.in_language("cy") == q.text.get("cy")
    assert own.scale("practice").option("part_met").label.get("cy") == "Yn rhannol"  # type: ignore[union-attr]
    # Plain text has one language: asking for Welsh gives the English.
    assert own.question("LL-V-02").text.get("cy") == "Was the family's first language recorded?"


def test_a_framework_read_in_welsh_is_the_same_framework(own: Framework) -> None:
    """What issue 19 needs: one call, and every screen built from the copy reads Welsh."""
    cy = own.in_language("cy")
    assert str(cy.title) == "Archwiliad cymorth teulu Llanfair"
    assert str(cy.question("LL-V-01").text).startswith("A yw barn y plentyn")
    assert cy.judgements.label("strong") == "Cryf"
    assert cy.case_type_label("children_in_care") == "Plant mewn gofal"
    assert str(cy.scale("practice").option("part_met").label) == "Yn rhannol"  # type: ignore[union-attr]
    assert str(cy.question("LL-V-02").text) == "Was the family's first language recorded?"
    assert cy.content_hash == own.content_hash
    assert definition_of(cy) == definition_of(own)


# --- what check refuses ---------------------------------------------------------------------


def test_reusing_a_retired_id_is_refused() -> None:
    text = own_with("      - id: LL-S-02\n", "      - id: LL-OLD-01\n")
    assert problems(text) == [
        f"f.yaml:{line_of('id: LL-S-02')}: sections[1].questions[1].id: question id 'LL-OLD-01' "
        "is listed under retired: a retired id is never reused; give this question a new id"
    ]


def test_a_critical_question_nothing_can_trigger_is_refused() -> None:
    # On a scale with no answer worth 0 points, and no critical_answers naming a trigger.
    text = own_with(
        '      - {code: "0", label: "0 - danger", key: "0", points: 0}\n',
        '      - {code: "0", label: "0 - danger", key: "0", points: 0.05}\n',
    ).replace(
        "        scale: signs\n        weight: 2\n",
        "        scale: signs\n        weight: 2\n        critical: true\n",
    )
    [line] = problems(text)
    lines = text.splitlines()
    at = lines.index("        critical: true", lines.index("      - id: LL-S-01")) + 1
    assert line.startswith(
        f"f.yaml:{at}: sections[1].questions[0].critical: question "
        "LL-S-01: nothing on scale signs can trigger this critical question"
    )
    assert "name the answers that trigger it under critical_answers (0, 1, 2," in line


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "critical_answers: [not_met, part_met]",
            "critical_answers: [not_met, nearly]",
            "sections[0].questions[0].critical_answers[1]: question LL-V-01: 'nearly' is not an "
            "answer on scale practice (met, part_met, not_met, does_not_apply)",
        ),
        (
            "critical_cap: developing",
            "critical_cap: poor",
            "sections[0].questions[0].critical_cap: question LL-V-01: 'poor' is not a grade of "
            "llanfair (strong, secure, developing, weak)",
        ),
        (
            "good_or_better: secure",
            "good_or_better: fine",
            "judgement_scales.llanfair.good_or_better: 'fine' is not one of its grades (strong, "
            "secure, developing, weak)",
        ),
        (
            "    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2",
            "    url: www.gov.uk/working-together",
            "sources.wt-2023.url: should be a web address starting with https://",
        ),
        (
            "    aliases: [CiC]",
            "    aliases: [CiC, EH]",
            "case_types[1]: 'eh' names both case type early_help and children_in_care: an import "
            "could not tell them apart",
        ),
        (
            "title: {en: Llanfair practice standard, cy: Safon ymarfer Llanfair}",
            "title: {en: Llanfair practice standard, fr: Norme}",
            "sources.standard.title: unknown language 'fr' (write the text under en or cy)",
        ),
    ],
    ids=["critical-answer", "critical-cap", "cut-off", "url", "alias-clash", "language"],
)
def test_new_fields_are_checked_in_words(old: str, new: str, expected: str) -> None:
    text = own_with(old, new)
    at = _line(text, "id: children_in_care" if "CiC, EH" in new else new)
    assert problems(text) == [f"f.yaml:{at}: {expected}"]


def _line(text: str, new: str) -> int:
    first = new.strip().splitlines()[0]
    return next(i for i, line in enumerate(text.splitlines(), 1) if first in line)


def test_a_source_needs_more_than_a_title() -> None:
    text = own_with(
        "    short: {en: Practice standard, cy: Safon ymarfer}\n    publisher: Llanfair Council\n"
        "    file: practice-standard-2025.pdf\n",
        "",
    )
    assert problems(text) == [
        f"f.yaml:{line_of('  standard:')}: sources.standard: a source needs at least one of "
        "publisher, date, url or file"
    ]


def test_critical_answers_on_a_question_that_is_not_critical() -> None:
    text = own_with(
        "        critical: true\n        critical_answers:", "        critical_answers:"
    )
    assert problems(text) == [
        f"f.yaml:{_line(text, 'critical_answers:')}: sections[0].questions[0].critical_answers: "
        "question LL-V-01: critical_answers is given but the question is not critical (add "
        "critical: true)",
        f"f.yaml:{_line(text, 'critical_cap: developing')}: sections[0].questions[0].critical_cap: "
        "question LL-V-01: critical_cap is given but the question is not critical (add "
        "critical: true)",
    ]


def test_twelve_options_are_refused() -> None:
    text = own_with(
        '      - {code: "10", label: "10 - safe enough to close", key: t, points: 1}\n',
        '      - {code: "10", label: "10 - safe enough to close", key: t, points: 1}\n'
        '      - {code: "11", label: "11", key: s, points: 1}\n',
    )
    assert problems(text) == [
        f"f.yaml:{line_of('  signs:') + 1}: answer_scales.signs.options: 12 options: a scale has "
        "at most 11 (enough for 0 to 10)"
    ]


# --- keys: no option key is ever dropped ------------------------------------------------------


@pytest.mark.parametrize("key", sorted(WALK_COMMANDS))
def test_an_option_key_a_walkthrough_command_owns_is_refused(key: str) -> None:
    text = own_with(
        '{code: part_met, label: {en: Part met, cy: "Yn rhannol"}, key: h,',
        f'{{code: part_met, label: {{en: Part met, cy: "Yn rhannol"}}, key: {key},',
    )
    assert problems(text) == [
        f"f.yaml:{line_of('code: part_met')}: answer_scales.practice.options[1].key: key "
        f"'{key}' belongs to the walkthrough's command '{WALK_COMMANDS[key]}': choose another "
        "key for Part met"
    ]


@pytest.mark.parametrize("key", ["y", "n", "p", "g", "r"])
def test_natural_keys_of_other_languages_are_either_free_or_refused_never_dropped(key: str) -> None:
    """An English "Good" on g, the Welsh "Yn rhannol" on r: refused with the command named,
    so the author picks another key; y, n and p are free and work."""
    text = own_with("key: h,", f"key: {key},")
    if key in WALK_COMMANDS:
        assert f"belongs to the walkthrough's command '{WALK_COMMANDS[key]}'" in problems(text)[0]
    else:
        fw = load_framework_text(text)
        assert fw.scale("practice").option("part_met").key == key  # type: ignore[union-attr]


@pytest.mark.parametrize("key", ["G", "gg", "!", " ", "é"])
def test_an_option_key_is_one_lower_case_letter_or_digit(key: str) -> None:
    text = own_with("key: h,", f"key: '{key}',")
    [line] = problems(text)
    assert line.endswith(
        "answer_scales.practice.options[1].key: should be one lower-case letter or one digit, "
        "like y or 0"
    )


# --- every problem in one run, in file order, in words -------------------------------------------

FIVE_MISTAKES = [
    ("id: mini\n", "id: Mini\n"),
    ("judgement_scale: ofsted\n", "judgement_scale: stars\n"),
    ('    date: "2013-11"\n', '    date: "2013-11"\n    publsher: NPT\n'),
    (
        "        na_reason_required: true\n",
        "        na_reason_required: true\n        colour: blue\n",
    ),
    ('{source: npt-2013, paragraph: "49"', '{source: cardiff-2019, paragraph: "49"'),
]


def test_five_different_mistakes_are_all_reported_in_file_order_in_words() -> None:
    text = MINI
    for old, new in reversed(FIVE_MISTAKES):
        assert text.count(old) == 1
        text = text.replace(old, new)
    lines = problems(text)
    assert lines == [
        "f.yaml:2: id: should be lower-case letters, digits and hyphens, like case-file",
        "f.yaml:7: judgement_scale: unknown judgement scale 'stars' (known: ofsted, ciw2025; or "
        "declare it under judgement_scales)",
        "f.yaml:19: sources.npt-2013: unknown key 'publsher' (did you mean 'publisher'?)",
        "f.yaml:36: sections[0].questions[1]: unknown key 'colour' (allowed here: id, text, "
        "guidance, scale, option_labels, applies_to, weight, critical, critical_answers, "
        "critical_cap, na_allowed, na_reason_required, evidence)",
        "f.yaml:46: sections[1].questions[0].evidence[0].source: question M-03: cites source "
        "'cardiff-2019', which is not declared under sources (declared: npt-2013)",
    ]
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
    for line in lines:  # words, never a pattern
        assert not re.search(r"\^|\$'|\[a-z|\\d|pattern", line), line


def test_a_misspelt_required_key_is_one_problem_not_two() -> None:
    """`txt:` for `text:` is an unknown key with its near spelling; the "missing required key
    'text'" it causes is not reported as a second, misleading problem."""
    text = MINI.replace(
        "        text: Is the plan outcome-focused?", "        txt: Is the plan outcome-focused?"
    )
    assert problems(text) == [
        "f.yaml:41: sections[1].questions[0]: unknown key 'txt' (did you mean 'text'?)"
    ]
    # A key that is no near spelling of anything lists what is allowed, and the missing one
    # is reported too: two different mistakes.
    text = MINI.replace(
        "        text: Is the plan outcome-focused?",
        "        wording: Is the plan outcome-focused?",
    )
    assert problems(text) == [
        "f.yaml:40: sections[1].questions[0]: missing required key 'text'",
        "f.yaml:41: sections[1].questions[0]: unknown key 'wording' (allowed here: id, text, "
        "guidance, scale, option_labels, applies_to, weight, critical, critical_answers, "
        "critical_cap, na_allowed, na_reason_required, evidence)",
    ]
