"""The README's screenshot and tour exist and show what they say."""

from __future__ import annotations

from tests.conftest import REPO


def test_walkthrough_screenshot_is_an_svg_of_the_walkthrough() -> None:
    svg = (REPO / "docs" / "walkthrough.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    for text in ("What&#160;good&#160;looks&#160;like", "Sections", "CF-PL-03"):
        assert text in svg


def test_the_welsh_screenshot_is_the_walkthrough_in_welsh_and_the_readme_shows_it() -> None:
    svg = (REPO / "docs" / "walkthrough-cy.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg")
    for text in ("Sut&#160;olwg&#160;sydd&#160;ar&#160;waith&#160;da", "Adrannau", "CF-PL-03"):
        assert text in svg
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(docs/walkthrough-cy.svg)" in readme


def test_tour_names_the_keys_the_walkthrough_uses() -> None:
    tour = (REPO / "docs" / "tour.md").read_text(encoding="utf-8")
    assert "walkthrough.svg" in tour
    for key in ("`g`", "`u`", "`v`", "ctrl+f", "ctrl+p", "never a child's name"):
        assert key in tour
