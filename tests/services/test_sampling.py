"""Drawing a sample: stratified by team, reproducible, excluding recent audits, assigned fairly."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

import pytest
from sqlalchemy import func, select

from audit_tui.domain.errors import ChoiceError, UserError
from audit_tui.services.audits import start_audit
from audit_tui.services.context import AppContext
from audit_tui.services.sampling import SampleRequest, draw_sample, months_before, parse_window
from audit_tui.services.schemas import NewAudit
from audit_tui.store.models import Case, Event, Round, RoundCase, Team, Worker
from tests.conftest import FIXED_TODAY


def add_team(
    ctx: AppContext,
    team: str,
    n: int,
    *,
    managers: tuple[str, ...] = (),
    case_type: str = "child_in_need",
    holder: str | None = None,
    prefix: str | None = None,
) -> list[str]:
    """A team with `n` cases (references PREFIX-001...), its managers and case-holder."""
    prefix = prefix or team[:1].upper()
    refs = [f"{prefix}-{i:03d}" for i in range(1, n + 1)]
    with ctx.db.write() as s:
        t = s.execute(select(Team).where(Team.name == team)).scalar()
        if t is None:
            t = Team(name=team)
            s.add(t)
            s.flush()
        for m in managers:
            s.add(Worker(name=m, team_id=t.id, is_manager=True))
        worker = None
        if holder:
            worker = s.execute(select(Worker).where(Worker.name == holder)).scalar()
            if worker is None:
                worker = Worker(name=holder, team_id=t.id)
                s.add(worker)
        s.flush()
        # Inserted in reverse order: the sample must not depend on row order.
        for ref in reversed(refs):
            s.add(
                Case(
                    reference=ref,
                    case_type=case_type,
                    team_id=t.id,
                    worker_id=worker.id if worker else None,
                )
            )
    return refs


def audit_case(ctx: AppContext, ref: str, team: str, on: date) -> int:
    with ctx.db.read() as s:
        case_type = s.execute(select(Case.case_type).where(Case.reference == ref)).scalar_one()
    return start_audit(
        ctx,
        NewAudit(
            framework_id="case-file",
            case_reference=ref,
            case_type=case_type,
            team=team,
            auditor="Quality Lead",
            audit_date=on,
        ),
    ).id


def refs(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.reference for c in report.cases]


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_stratified_by_team_and_a_small_team_gives_all(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 10, managers=("Mgr Alpha",))
    add_team(ctx, "Bravo", 10, managers=("Mgr Bravo",))
    add_team(ctx, "Charlie", 2, managers=("Mgr Charlie",))
    report = draw_sample(ctx, SampleRequest(per_team=3, seed=7, exclude_audited_within_days=0))
    per_team = {t.team: (t.eligible, t.sampled, t.note) for t in report.teams}
    assert per_team == {
        "Alpha": (10, 3, None),
        "Bravo": (10, 3, None),
        "Charlie": (2, 2, "only 2 eligible cases: took all"),
    }
    assert [c.team for c in report.cases].count("Alpha") == 3
    assert {c.reference for c in report.cases if c.team == "Charlie"} == {"C-001", "C-002"}
    assert all(c.reference[0] == c.team[0] for c in report.cases)
    assert count(ctx, RoundCase) == 8
    with ctx.db.read() as s:
        rnd = s.get(Round, report.round_id)
        assert rnd is not None
        assert (rnd.seed, rnd.per_team, rnd.exclude_days) == (7, 3, 0)
        assert rnd.due_date == FIXED_TODAY + timedelta(days=28)
        event = s.execute(select(Event).where(Event.action == "draw_sample")).scalar_one()
        assert event.entity_id == report.round_id


def test_sample_is_the_documented_draw_over_sorted_references(ctx: AppContext) -> None:
    alpha = add_team(ctx, "Alpha", 12, managers=("M",))
    report = draw_sample(
        ctx, SampleRequest(per_team=4, seed=2024, exclude_audited_within_days=0, dry_run=True)
    )
    expected = sorted(Random("2024:Alpha").sample(sorted(alpha), 4))
    assert refs(report) == expected


def test_same_seed_same_sample_different_seed_differs(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 20, managers=("M1",))
    add_team(ctx, "Bravo", 20, managers=("M2",))

    def draw(seed: int) -> list[str]:
        return refs(draw_sample(ctx, SampleRequest(per_team=5, seed=seed, dry_run=True)))

    assert draw(11) == draw(11)
    assert draw(11) != draw(12)
    assert count(ctx, Round) == 0  # dry runs save nothing


def test_a_chosen_seed_is_recorded_and_redraws_the_sample(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 15, managers=("M",))
    preview = draw_sample(ctx, SampleRequest(per_team=4, dry_run=True))
    assert preview.seed > 0
    saved = draw_sample(ctx, SampleRequest(per_team=4, seed=preview.seed))
    assert refs(saved) == refs(preview)
    with ctx.db.read() as s:
        assert s.get(Round, saved.round_id).seed == preview.seed  # type: ignore[union-attr]


def test_exclusion_window_edges(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 4, managers=("M",))
    # FIXED_TODAY is 2026-11-20; 365 days back is 2025-11-20.
    audit_case(ctx, "A-001", "Alpha", date(2025, 11, 20))  # on the first day: left out
    audit_case(ctx, "A-002", "Alpha", date(2025, 11, 19))  # the day before: eligible
    audit_case(ctx, "A-003", "Alpha", date(2026, 11, 1))  # a draft counts too
    report = draw_sample(
        ctx, SampleRequest(per_team=10, exclude_audited_within_days=365, dry_run=True)
    )
    assert refs(report) == ["A-002", "A-004"]
    assert report.excluded_since == date(2025, 11, 20)
    assert report.excluded_recently_audited == 2
    assert "2 cases left out: audited on or after 2025-11-20" in report.notes
    assert report.teams[0].note == "only 2 eligible cases: took all"
    no_window = draw_sample(
        ctx, SampleRequest(per_team=10, exclude_audited_within_days=0, dry_run=True)
    )
    assert refs(no_window) == ["A-001", "A-002", "A-003", "A-004"]


def test_cases_assigned_and_not_started_are_not_drawn_again(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 6, managers=("M",))
    first = draw_sample(ctx, SampleRequest(per_team=4, seed=1))
    second = draw_sample(ctx, SampleRequest(per_team=4, seed=1))
    assert set(refs(first)).isdisjoint(refs(second))
    assert len(refs(second)) == 2
    assert second.excluded_already_assigned == 4


def test_case_type_filter_accepts_an_abbreviation(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 5, managers=("M",), case_type="child_protection", prefix="CP")
    add_team(ctx, "Alpha", 5, case_type="looked_after", prefix="LA")
    report = draw_sample(ctx, SampleRequest(per_team=3, case_type="CP", seed=3, dry_run=True))
    assert report.case_type == "child_protection"
    assert len(report.cases) == 3
    assert {c.case_type for c in report.cases} == {"child_protection"}


def test_unknown_case_type_is_refused(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 2, managers=("M",))
    with pytest.raises(ChoiceError, match=r"^'contact' is not a case type of framework") as info:
        draw_sample(ctx, SampleRequest(per_team=1, case_type="contact"))
    # In the user's words, naming the request's field: the CLI names its own option for it.
    assert info.value.field == "case_type" and "--" not in str(info.value)


def test_round_robin_over_team_managers_skipping_the_case_holder(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 4, managers=("Ann", "Bea"))
    report = draw_sample(ctx, SampleRequest(per_team=4, seed=5))
    assert [(c.reference, c.auditor) for c in report.cases] == [
        ("A-001", "Ann"),
        ("A-002", "Bea"),
        ("A-003", "Ann"),
        ("A-004", "Bea"),
    ]
    # Bea holds Bravo's cases herself; she is a manager of Bravo too.
    add_team(ctx, "Bravo", 3, managers=("Cat",), holder="Bea")
    with ctx.db.write() as s:
        bea = s.execute(select(Worker).where(Worker.name == "Bea")).scalar_one()
        bea.team_id = s.execute(select(Team.id).where(Team.name == "Bravo")).scalar_one()
    bravo = draw_sample(ctx, SampleRequest(per_team=3, seed=5))
    assert {c.auditor for c in bravo.cases} == {"Cat"}


def test_explicit_auditors_share_all_teams_and_never_audit_their_own_case(
    ctx: AppContext,
) -> None:
    add_team(ctx, "Alpha", 2, holder="Xan")
    add_team(ctx, "Bravo", 2)
    report = draw_sample(ctx, SampleRequest(per_team=2, seed=9, auditors=["Xan", "Yve"]))
    assert [(c.reference, c.auditor) for c in report.cases] == [
        ("A-001", "Yve"),  # Xan holds Alpha's cases
        ("A-002", "Yve"),
        ("B-001", "Xan"),
        ("B-002", "Yve"),
    ]
    assert "added Yve as an auditor" in report.notes
    assert "added Xan as an auditor" not in report.notes


def test_a_team_without_managers_is_a_clear_error(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 3, managers=("M",))
    add_team(ctx, "Bravo", 3)
    with pytest.raises(ChoiceError) as info:
        draw_sample(ctx, SampleRequest(per_team=2))
    assert str(info.value) == (
        "no auditor for team Bravo: mark a manager in the team (a team manager column in the "
        "case list, or the staff list), or name the auditors to assign"
    )
    assert info.value.field == "auditors"
    assert count(ctx, Round) == 0


def test_only_auditor_holding_the_case_is_an_error(ctx: AppContext) -> None:
    add_team(ctx, "Alpha", 1, holder="Solo")
    with pytest.raises(UserError, match="its case-holder is the only auditor available"):
        draw_sample(ctx, SampleRequest(per_team=1, auditors=["Solo"]))
    assert count(ctx, Round) == 0


def test_nothing_to_sample(ctx: AppContext) -> None:
    with pytest.raises(UserError, match="import a case list first"):
        draw_sample(ctx, SampleRequest(per_team=2))


@pytest.mark.parametrize(
    ("text", "today", "days"),
    [
        ("90d", FIXED_TODAY, 90),
        ("90", FIXED_TODAY, 90),
        ("2w", FIXED_TODAY, 14),
        ("12m", FIXED_TODAY, 365),
        ("1y", FIXED_TODAY, 365),
        ("12m", date(2024, 3, 1), 366),  # reaches back over 29 February 2024
        ("1m", date(2026, 3, 31), 31),  # 31 March back to 28 February
        ("6M", date(2026, 8, 31), 184),  # to 28 February
        ("0", FIXED_TODAY, 0),
    ],
)
def test_parse_window(text: str, today: date, days: int) -> None:
    assert parse_window(text, today) == days


def test_parse_window_refuses_nonsense() -> None:
    with pytest.raises(UserError, match="like 90d, 12w, 12m or 1y") as info:
        parse_window("a year", FIXED_TODAY)
    assert isinstance(info.value, ChoiceError) and info.value.field == "exclude_audited_within"


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
