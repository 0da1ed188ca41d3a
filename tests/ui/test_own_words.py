"""An authority's own framework, in its own words everywhere (issue 17).

tests/fixtures/own-words.yaml uses every feature of the format: its own grades, case types,
answer scale and a 0-10 scale, weight 0, a critical question triggered by two answers capping
at a grade it chooses, a retired id, a source with a URL, English and Welsh text. It is made
the default framework and the shipped ones hidden; an audit is walked end to end by keyboard,
finalised, profiled, exported and given feedback - and every screen, the profile JSON, the
workbook and the feedback are searched for the shipped grades, case types and answer words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import openpyxl
import pytest
from textual.widgets import DataTable, Select

from audit_tui.cli.profile_cmd import render_profile
from audit_tui.config import Settings
from audit_tui.domain.case_types import CASE_TYPES
from audit_tui.domain.loader import FrameworkRegistry, load_framework_file
from audit_tui.domain.scales import BUILTIN_SCALES, JUDGEMENT_SCALES
from audit_tui.export import ExportSpec, write_workbook
from audit_tui.export.feedback import render_feedback
from audit_tui.services import audits, profiles
from audit_tui.services.context import AppContext
from audit_tui.store.migrate import open_database
from audit_tui.ui.app import AuditApp
from audit_tui.ui.screens.home import HomeScreen
from audit_tui.ui.screens.new_audit import NewAuditScreen
from audit_tui.ui.screens.review import ReviewScreen
from audit_tui.ui.screens.walkthrough import WalkthroughScreen
from tests.conftest import FIXED_TODAY
from tests.ui.helpers import app_for

OWN = load_framework_file(Path(__file__).resolve().parent.parent / "fixtures" / "own-words.yaml")
SHIPPED_IDS = ["case-file", "front-door", "supervision"]

# The shipped vocabulary: every built-in grade label, case type label and answer word.
SHIPPED_WORDS = sorted(
    {str(label) for scale in JUDGEMENT_SCALES.values() for _, label in scale.choices}
    | {label.split(" (")[0] for label in CASE_TYPES.values()}
    | {str(o.label) for scale in BUILTIN_SCALES.values() for o in scale.options}
)


def _pattern(word: str) -> str:
    # "No" the answer, not "No" the determiner of ordinary sentences ("No moderations
    # recorded", "No question has 5 answers"): followed by a lower-case word, it is the
    # determiner - unless that word is "or"/"and", as in "No or Partly".
    after = r"(?! (?!or\b|and\b)[a-z])" if word == "No" else ""
    return rf"(?<![\w-]){re.escape(word)}(?![\w-]){after}"


def shipped_words_in(text: str) -> list[str]:
    """The shipped words `text` uses, as whole words and in their own case ("Good", not
    "what good looks like"; "No", not "Not met")."""
    return [w for w in SHIPPED_WORDS if re.search(_pattern(w), text)]


def where(text: str) -> list[str]:
    """Each shipped word in `text` with what surrounds it, for a failure message."""
    return [
        text[max(0, m.start() - 50) : m.end() + 50]
        for w in shipped_words_in(text)
        for m in re.finditer(_pattern(w), text)
    ]


def screen_text(app: AuditApp) -> str:
    """What the terminal shows, as text."""
    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", line) for line in lines)).replace(
        "\xa0", " "
    )


def own_context(url: str, registry: FrameworkRegistry) -> AppContext:
    frameworks = FrameworkRegistry({**{fw.id: fw for fw in registry.all()}, OWN.id: OWN})
    settings = Settings(default_framework=OWN.id, hidden_frameworks=SHIPPED_IDS)
    return AppContext(
        db=open_database(url),
        frameworks=frameworks,
        actor="tester",
        today=lambda: FIXED_TODAY,
        settings=settings,
    )


@pytest.fixture
def own_ctx(db_url: str, registry: FrameworkRegistry):  # type: ignore[no-untyped-def]
    ctx = own_context(db_url, registry)
    yield ctx
    ctx.db.dispose()


def test_the_vocabulary_searched_for_is_the_shipped_one() -> None:
    assert {"Good", "Excellent", "Requires improvement", "Outstanding", "Inadequate"} <= set(
        SHIPPED_WORDS
    )
    assert {"Child in need", "Looked after", "Contact", "Yes", "Partly", "No"} <= set(SHIPPED_WORDS)
    assert shipped_words_in("Good or better; Partly or No") == ["Good", "No", "Partly"]
    assert shipped_words_in("what good looks like · Not met · No-one · No moderations") == []
    assert shipped_words_in("answered No.") == shipped_words_in("No or Maybe") == ["No"]


async def test_walked_profiled_exported_in_its_own_words(
    own_ctx: AppContext, tmp_path: Path
) -> None:
    ctx = own_ctx
    seen: dict[str, str] = {}

    async def journey() -> int:
        app = app_for(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            assert isinstance(app.screen, HomeScreen)
            # The title bar names the framework in use.
            assert app.sub_title == "Llanfair family support audit"
            await pilot.press("n")
            form = app.screen
            assert isinstance(form, NewAuditScreen)
            # The default framework, and only it: the shipped ones are hidden.
            framework = form.query_one("#framework", Select)
            assert framework.value == OWN.id
            assert [v for label, v in framework._options if str(label)] == [OWN.id]
            case_type = form.query_one("#case_type", Select)
            assert [str(label) for label, _ in case_type._options if str(label)] == [
                "Early help support",
                "Children in care",
                "Care experienced young person",
            ]
            await pilot.press(*"LL-2026-0042", "tab")
            await pilot.press("enter", "down", "down", "enter")  # Children in care
            assert case_type.value == "children_in_care"
            await pilot.press("ctrl+t", *"Llanfair North", "enter")
            await pilot.press(*"Jo Worker")
            seen["new audit"] = screen_text(app)
            await pilot.press("ctrl+s")
            await pilot.pause()
            walk = app.screen
            assert isinstance(walk, WalkthroughScreen)
            assert [q.id for q in walk.walk.questions] == [
                "LL-V-01",
                "LL-V-02",
                "LL-S-01",
                "LL-S-02",
            ]
            await pilot.press("g")  # the guidance, with its sources
            seen["walkthrough, own scale"] = screen_text(app)
            await pilot.press("h")  # Part met on its own key: a critical failure
            await pilot.press("x")  # Not met: recorded, weight 0
            seen["walkthrough, 0-10 scale"] = screen_text(app)
            assert walk.walk.question.id == "LL-S-01"
            await pilot.press("0")  # key 0 is the answer "0", not a position
            assert walk.walk.answers["LL-S-01"].answer == "0"
            await pilot.press("k", "t")  # t: 10
            assert walk.walk.answers["LL-S-01"].answer == "10"
            await pilot.press("k", "8")  # 8 is "8", not the eighth option ("7")
            assert walk.walk.answers["LL-S-01"].answer == "8"
            await pilot.press("m")
            assert walk.walk.answered == 4
            await pilot.press("v")
            review = app.screen
            assert isinstance(review, ReviewScreen)
            seen["review"] = screen_text(app)
            # (0.5 x 1 + 0.8 x 2 + 1 x 1) / 4 = 77.5%: Secure, capped by the critical
            # Part met at its own cap.
            assert review.review.percent_met == pytest.approx(77.5)
            assert review.review.critical_failures == ["LL-V-01"]
            assert review.review.suggested_judgement == "developing"
            await pilot.press("ctrl+f", "y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            seen["home"] = screen_text(app)
            finalised = app.screen.query_one("#finalised-table", DataTable)
            assert "Still developing practice ! capped" in [str(c) for c in finalised.get_row_at(0)]
            await pilot.press("p")
            await app.workers.wait_for_complete()
            await pilot.pause()
            seen["profiles"] = screen_text(app)
            return walk.audit_id

    audit_id = await journey()
    for name, text in seen.items():
        assert shipped_words_in(text) == [], (name, where(text))
    assert "Still developing practice" in seen["review"]
    assert "Part met" in seen["walkthrough, own scale"]
    assert "Working Together 2023, para Chapter 1, 12" in seen["walkthrough, 0-10 scale"] or (
        "Practice standard, para 2.1" in seen["walkthrough, own scale"]
    )

    detail = audits.get_audit(ctx, audit_id)
    assert (detail.status, detail.judgement, detail.case_type) == (
        "finalised",
        "developing",
        "children_in_care",
    )
    answers = {qid: a.answer for qid, a in detail.answers.items()}
    assert answers == {
        "LL-V-01": "part_met",
        "LL-V-02": "not_met",
        "LL-S-01": "8",
        "LL-S-02": "met",
    }

    # The profile (JSON and the CLI's table), the workbook and the feedback.
    period = profiles.resolve_period(ctx)
    prof = profiles.profile(ctx, OWN.id, period)
    assert prof.good_or_better_name == "Secure or better"
    assert prof.authority.percent_met.band == "secure"
    # Weight 0 is recorded, not scored: three scored answers behind the figure, four answered.
    assert (prof.authority.percent_met.n, prof.authority.percent_met.answered) == (3, 4)
    assert prof.authority.percent_met.percent == pytest.approx(77.5)
    documents = {
        "profile JSON": prof.model_dump_json(),
        "profile table": render_profile(prof),
        "feedback": render_feedback(ctx, audit_id),
    }
    out = write_workbook(ctx, ExportSpec(), tmp_path / "pack.xlsx").path
    wb = openpyxl.load_workbook(out)
    documents["workbook"] = " | ".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
    )
    for name, text in documents.items():
        assert shipped_words_in(text) == [], (name, where(text))
    assert "Secure or better" in documents["workbook"]
    assert "Children in care" in documents["workbook"]
    assert "Part met" in documents["feedback"]
    assert "Met in full = 1, Part met = 0.5" in documents["workbook"]
