"""The profile's and statistics' own words (a change's verdict, a period cut short, "no
data", a question still to answer, the sampling window) in a Welsh run: said once, in Welsh,
and the same on the profiles screen, in `audit-tui profile` and in the workbook."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from audit_tui import i18n
from audit_tui.domain.loader import FrameworkRegistry
from audit_tui.domain.periods import financial_year
from audit_tui.domain.profile_model import VERDICTS, Change
from audit_tui.export.periods import period_caption
from audit_tui.export.sheets.summary import change_words
from audit_tui.export.sheets.teams import change_note
from audit_tui.services.context import AppContext
from audit_tui.services.profiles import profile
from audit_tui.ui.widgets.figures import Area, figure_lines
from tests.cli.test_db_cmd import run
from tests.conftest import make_context
from tests.export.fake_audits import seed_audits


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, registry: FrameworkRegistry
) -> Iterator[tuple[AppContext, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('welsh-words') / 'audits.db'}"
    c = make_context(url, registry)
    seed_audits(c, seed=19, audits=40, start=date(2025, 4, 1), end=date(2026, 11, 20))
    yield c, url
    c.db.dispose()


def _change(**values: object) -> Change:
    base: dict[str, object] = {
        "previous_period": "2025-26",
        "current": 80.0,
        "previous": 74.0,
        "points": 6.0,
        "audits_current": 40,
        "audits_previous": 40,
        "clear": True,
        "n_current": 40,
        "n_previous": 40,
        "too_few": False,
    }
    base.update(values)
    return Change(**base)  # type: ignore[arg-type]


def test_a_changes_verdict_is_one_wording_in_welsh_everywhere() -> None:
    """Home's and the profiles screen's figure said "clear rise" in English in a Welsh run
    (ui/widgets/figures.py showed the service's code); the workbook and `audit-tui profile`
    had their own table of the same words. Now all take Change.verdict_words."""
    rise, chance = _change(), _change(clear=False)
    assert (rise.verdict, chance.verdict) == ("clear rise", "may be chance")  # codes, kept
    with i18n.language("cy"):
        rise_cy, chance_cy = _(VERDICTS["clear rise"]), _(VERDICTS["may be chance"])
        assert rise_cy != "clear rise" and chance_cy != "may be chance"
        assert rise.verdict_words == rise_cy and chance.verdict_words == chance_cy
        assert change_note(rise) == rise_cy  # the workbook's teams sheet
        assert f"({rise_cy})" in change_words(rise)  # the workbook's summary
    with i18n.language("en"):
        assert rise.verdict_words == "clear rise"


def _(message: str) -> str:
    return i18n.gettext_(message)


def test_the_profiles_figure_and_the_workbook_say_the_same_welsh_words(
    seeded: tuple[AppContext, str],
) -> None:
    ctx, _url = seeded
    with i18n.language("cy"):
        prof = profile(ctx, "case-file", financial_year(2026))
        group = prof.authority
        lines = [str(line) for line in figure_lines(prof, group, Area("overall", "Cyffredinol"))]
        text = "\n".join(lines)
        for english in ("clear rise", "clear fall", "may be chance", "to date", "first "):
            assert english not in text, (english, text)
        # The year in progress and the same months of the year before, in Welsh - the same
        # caption the workbook's sheets print.
        assert prof.period.to_date
        caption = prof.period.caption
        assert "hyd yma" in caption and "month" not in caption
        assert period_caption(prof.period) == caption
        before = prof.previous_period.caption
        assert "Tachwedd" in before and "first" not in before
        assert period_caption(prof.previous_period) == before
        change = group.change
        assert change.verdict  # the seeded year has a change to word
        assert change.verdict_words in text
        assert change.verdict_words in change_words(change)
        assert before in text  # "On <the same months of the year before>: ..."


def test_a_missing_answer_and_no_data_in_welsh(seeded: tuple[AppContext, str]) -> None:
    from audit_tui.domain.review import score_answers
    from audit_tui.domain.scoring import format_percent

    fw = seeded[0].frameworks.get("case-file")
    with i18n.language("cy"):
        review = score_answers(fw, 1, "child_in_need", {})
        problems = {m.problem for m in review.missing if m.question_id}
        assert problems == {_("not answered")} and "not answered" not in problems
        assert format_percent(None) == _("no data") != "no data"


def test_a_bad_sampling_window_is_one_welsh_line(
    tmp_path: Path, registry: FrameworkRegistry, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'audits.db'}"
    make_context(url, registry).db.dispose()
    args = ["--db", url, "sample", "--per-team", "2", "--exclude-audited-within", "5x"]
    english = run(capsys, *args)
    welsh = run(capsys, "--lang", "cy", *args)
    assert english[0] == welsh[0] == 2
    assert "the exclusion window '5x' is not a number of days" in english[2]
    assert len(welsh[2].strip().splitlines()) == 1
    assert "nid yw'r cyfnod eithrio '5x' yn nifer o ddyddiau" in welsh[2]
    assert "Traceback" not in welsh[2]
    with sqlite3.connect(tmp_path / "audits.db") as conn:
        assert conn.execute("SELECT count(*) FROM rounds").fetchone() == (0,)
