"""The shipped frameworks: they load, they ship with the package, and every question is
traceable to a real sentence in one of the inspection reports in ../shared/seeds."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path

import pytest

from audit_tui.config import builtin_frameworks_dir
from audit_tui.domain.framework import Framework
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.scoring import suggested_judgement

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SHIPPED = {
    "case-file": ("case-file.yaml", "CF-"),
    "supervision": ("supervision.yaml", "SV-"),
    "front-door": ("front-door.yaml", "FD-"),
}
CASE_FILE_TYPES = [
    "child_in_need",
    "child_protection",
    "looked_after",
    "care_leaver",
    "disabled_children",
]

# The questions issue 2 names, each with words its text must contain (lower case), so an id
# reused for a different question is caught.
NAMED_QUESTIONS = {
    "CF-AS-01": ["child", "seen"],
    "CF-AS-02": ["alone"],
    "CF-AS-03": ["wishes and feelings"],
    "CF-AS-04": ["risk", "analysis"],
    "CF-AS-05": ["strengths"],
    "CF-PL-01": ["plan", "follow", "assessment"],
    "CF-PL-02": ["outcome"],
    "CF-PL-03": ["timescales", "roles"],
    "CF-PL-04": ["contingency"],
    "CF-PL-05": ["written agreement"],
    "CF-VR-01": ["visited", "timescales"],
    "CF-VR-02": ["visit records"],
    "CF-MO-01": ["signed off", "manager"],
    "CF-MO-02": ["supervision", "reasons"],
    "CF-AD-03": ["history", "chronology"],
}
# A "No" on these is a safeguarding failure that must cap the suggested grade.
MUST_BE_CRITICAL = ["CF-AS-02", "CF-AS-04"]


def _normalise(text: str) -> str:
    """Whitespace collapsed and curly quotes straightened, as the seed text wraps lines and
    the reports use typographic apostrophes."""
    straight = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))
    return " ".join(straight.split())


@pytest.fixture(scope="module")
def shipped() -> FrameworkRegistry:
    missing = [f for f, _ in SHIPPED.values() if not (builtin_frameworks_dir() / f).exists()]
    if missing:
        pytest.fail(f"shipped framework files missing from {builtin_frameworks_dir()}: {missing}")
    return FrameworkRegistry.from_dirs([builtin_frameworks_dir()])


@pytest.fixture(scope="module")
def case_file(shipped: FrameworkRegistry) -> Framework:
    return shipped.get("case-file")


def all_shipped(registry: FrameworkRegistry) -> list[Framework]:
    return [registry.get(framework_id) for framework_id in SHIPPED]


def test_the_three_frameworks_load(shipped: FrameworkRegistry) -> None:
    for framework_id, (file_name, _) in SHIPPED.items():
        fw = shipped.get(framework_id)
        assert Path(fw.source_path).name == file_name
        assert fw.version and len(fw.content_hash) == 16


def test_subject_types(shipped: FrameworkRegistry) -> None:
    assert shipped.get("case-file").case_types == CASE_FILE_TYPES
    assert set(shipped.get("front-door").case_types) == {"contact", "referral"}
    assert shipped.get("supervision").case_types == ["supervision_record"]


def test_every_question_is_cited_and_guided(shipped: FrameworkRegistry) -> None:
    for fw in all_shipped(shipped):
        for q in fw.questions:
            assert q.evidence, f"{fw.id} {q.id} has no citation"
            assert q.guidance.good.strip() and q.guidance.look_for.strip(), q.id
            for c in q.evidence:
                assert c.source in fw.sources, f"{q.id} cites undeclared {c.source}"
                assert len(c.quote) <= 300, f"{q.id}: quotations stay short"


def test_question_ids_are_prefixed_and_unique_across_frameworks(
    shipped: FrameworkRegistry,
) -> None:
    seen: dict[str, str] = {}
    for framework_id, (_, prefix) in SHIPPED.items():
        for q in shipped.get(framework_id).questions:
            assert q.id.startswith(prefix), f"{framework_id}: {q.id} should start {prefix}"
            assert q.id not in seen, f"{q.id} in both {seen.get(q.id)} and {framework_id}"
            seen[q.id] = framework_id


def test_every_declared_source_is_cited(shipped: FrameworkRegistry) -> None:
    for fw in all_shipped(shipped):
        cited = {c.source for q in fw.questions for c in q.evidence}
        assert set(fw.sources) == cited, f"{fw.id}: declared but never cited"


def test_a_perfect_audit_gets_the_top_grade(shipped: FrameworkRegistry) -> None:
    for fw in all_shipped(shipped):
        best = fw.judgements.codes[0]
        assert suggested_judgement(fw, 100.0) == best
        assert suggested_judgement(fw, 100.0, [fw.critical_cap]) == fw.critical_cap
        assert any(q.critical for q in fw.questions), f"{fw.id} has no critical question"


def test_case_file_size_and_scale(case_file: Framework) -> None:
    assert 35 <= len(case_file.questions) <= 45
    assert case_file.judgement_scale == "ciw2025"
    # Every case type has its questions, and every section applies to some case type.
    for case_type in CASE_FILE_TYPES:
        assert len(case_file.applicable_questions(case_type)) >= 20, case_type


@pytest.mark.parametrize("question_id", sorted(NAMED_QUESTIONS))
def test_case_file_has_the_named_question(case_file: Framework, question_id: str) -> None:
    assert case_file.has_question(question_id), f"case-file lacks {question_id}"
    text = case_file.question(question_id).text.lower()
    for word in NAMED_QUESTIONS[question_id]:
        assert word in text, f"{question_id} should be about {word!r}: {text}"


def test_safeguarding_questions_are_critical(case_file: Framework) -> None:
    for question_id in MUST_BE_CRITICAL:
        assert case_file.question(question_id).critical, question_id


# --- against the reports ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}: citations cannot be checked here")
    return SEEDS


def test_every_declared_source_file_exists(shipped: FrameworkRegistry, seeds: Path) -> None:
    for fw in all_shipped(shipped):
        for key, source in fw.sources.items():
            assert (seeds / source.file).is_file(), f"{fw.id} source {key}: no {source.file}"


def test_every_quotation_occurs_in_its_report(shipped: FrameworkRegistry, seeds: Path) -> None:
    reports: dict[str, str] = {}
    missing: list[str] = []
    for fw in all_shipped(shipped):
        for q in fw.questions:
            for c in q.evidence:
                file_name = fw.sources[c.source].file
                if file_name not in reports:
                    reports[file_name] = _normalise((seeds / file_name).read_text("utf-8"))
                if _normalise(c.quote) not in reports[file_name]:
                    missing.append(f"{fw.id} {q.id} ({c.source} para {c.paragraph}): {c.quote}")
    assert not missing, "quotations not found in their reports:\n" + "\n".join(missing)


def test_quotation_check_would_catch_a_made_up_quote(seeds: Path) -> None:
    report = _normalise((seeds / "000_2f7424f9dd6bca94.txt").read_text("utf-8"))
    assert _normalise("Neath Port Talbot (NPT) Children's Services was made subject") in report
    assert _normalise("Children's Services were rated outstanding in every area") not in report


# --- packaging ----------------------------------------------------------------------------


def test_the_package_ships_the_frameworks() -> None:
    link = REPO / "audit_tui" / "frameworks"
    assert link.is_symlink() and link.resolve() == (REPO / "frameworks").resolve()
    packaged = importlib.resources.files("audit_tui") / "frameworks"
    names = {p.name for p in packaged.iterdir() if p.name.endswith(".yaml")}
    assert {file_name for file_name, _ in SHIPPED.values()} <= names
    assert {p.name for p in builtin_frameworks_dir().glob("*.yaml")} == names
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "frameworks/*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["audit_tui"]
