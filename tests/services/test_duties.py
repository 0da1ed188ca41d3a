"""Separation of duties (issue 15), in the service and on the command line: nobody
acknowledges an escalation they raised, nobody agrees a moderation of their own audit."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from audit_tui.cli import main
from audit_tui.domain.errors import UserError
from audit_tui.services import escalation, moderation
from audit_tui.services.context import AppContext
from audit_tui.services.moderation import ModerationSelection
from audit_tui.services.moderation_schemas import AgreeIn
from audit_tui.services.schemas import AnswerIn
from tests.reliability.seed import finalised, mini_registry

WHEN = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)


def as_(ctx: AppContext, name: str) -> AppContext:
    return dataclasses.replace(ctx, actor=name, frameworks=mini_registry())


def run(url: str, user: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(["--db", url, "--user", user, *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), err or out


def test_nobody_acknowledges_their_own_escalation(
    ctx: AppContext, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = as_(ctx, "Ann Auditor")
    audit_id = finalised(ann, "ESC-1")
    escalation.record_escalation(ann, audit_id, "Duty manager", WHEN)
    assert escalation.escalation_status(ann, audit_id).escalated_by == "Ann Auditor"

    with pytest.raises(UserError, match=r"you escalated the concern on audit \d+ yourself"):
        escalation.acknowledge_escalation(ann, audit_id)
    with pytest.raises(UserError, match="acknowledges it themselves"):
        escalation.acknowledge_escalation(as_(ctx, "Bo Lead"), audit_id, "Ann Auditor")
    if db_url.startswith("sqlite"):  # the command line, on the same database
        code, err = run(db_url, "ann auditor", capsys, "escalations", "acknowledge", str(audit_id))
        assert code == 2 and err.count("\n") == 1 and "yourself" in err
    assert escalation.escalation_status(ann, audit_id).state == "awaiting_acknowledgement"

    done = escalation.acknowledge_escalation(as_(ctx, "Bo Lead"), audit_id)
    assert (done.state, done.acknowledged_by) == ("acknowledged", "Bo Lead")


def test_nobody_agrees_a_moderation_of_their_own_audit(
    ctx: AppContext, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ann, dana = as_(ctx, "Ann Auditor"), as_(ctx, "Dana Moss")
    audit_id = finalised(ann, "MOD-1", {"M-01": "yes", "M-02": "partly", "M-03": "yes"})
    mod = moderation.select_for_moderation(
        dana, ModerationSelection(moderator="Dana Moss", audit_ids=[audit_id])
    ).moderations[0]
    for qid, code in {"M-01": "yes", "M-02": "no", "M-03": "yes"}.items():
        moderation.record_moderation_answer(dana, mod.id, AnswerIn(question_id=qid, answer=code))
    moderation.submit_moderation(dana, mod.id, "requires_improvement")

    with pytest.raises(UserError, match="is of your own audit"):
        moderation.agree(
            ann,
            mod.id,
            AgreeIn(answers={"M-02": "partly"}, judgement="good", comment="talked it through"),
        )
    if db_url.startswith("sqlite"):
        code, err = run(
            db_url, "Ann Auditor", capsys, "moderation", "agree", str(mod.id),
            "--judgement", "good", "--comment", "talked it through", "--answer", "M-02=partly",
        )  # fmt: skip
        assert code == 2 and err.count("\n") == 1 and "your own audit" in err
    assert moderation.comparison(ann, mod.id).status == "submitted"

    agreed = moderation.agree(
        dana,
        mod.id,
        AgreeIn(answers={"M-02": "partly"}, judgement="good", comment="talked it through"),
    )
    assert agreed.status == "agreed"
