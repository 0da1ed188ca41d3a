"""SQLAlchemy 2 typed models. Every change to them needs an Alembic migration.

No child's name is stored anywhere: a case is known by its pseudonymous reference from the
case management system. CHECK constraints mirror the service rules, so a bug in one layer
cannot store an impossible audit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    InstrumentedAttribute,
    Mapped,
    mapped_column,
    relationship,
)

from audit_tui.domain.text import check_plain
from audit_tui.i18n import N_, _

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AUDIT_STATUSES = ("draft", "finalised")
ANSWER_KINDS = ("original", "agreed")
MODERATION_STATUSES = ("requested", "submitted", "agreed")
ACTION_STATUSES = ("open", "done", "not_needed")
RESPONSES = ("agree", "disagree")


# Generated data (the demo) runs the ordinary services under a clock of its own, so the same
# seed on the same day gives the same rows and log; everything else reads the wall clock.
_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("audit_tui_clock", default=None)


def utcnow() -> datetime:
    clock = _clock.get()
    return clock() if clock is not None else datetime.now(UTC)


@contextmanager
def clock_set(clock: Callable[[], datetime]) -> Iterator[None]:
    """Within this block (and this thread or task only), `utcnow` reads `clock`."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Worker(Base):
    """A member of staff: a case-holder, an auditing manager, a moderator or QA lead.

    `login` links a person to the database login they connect with (PostgreSQL, one login per
    person), which then proves who they are. A leaver (`left_on` set) keeps their history but
    gets no new work."""

    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    is_auditor: Mapped[bool] = mapped_column(Boolean, default=False)
    login: Mapped[str | None] = mapped_column(String(120), unique=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team | None] = relationship()

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    case_type: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"))
    legal_status: Mapped[str | None] = mapped_column(String(80))
    age_band: Mapped[str | None] = mapped_column(String(20))
    open_date: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship()
    worker: Mapped[Worker | None] = relationship()

    __table_args__ = (
        CheckConstraint("length(reference) > 0", name="reference_not_empty"),
        Index("ix_cases_team_id", "team_id"),
    )


class Audit(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    framework_version: Mapped[str] = mapped_column(String(40))
    framework_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    case_type: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    audit_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    percent_met: Mapped[float | None] = mapped_column(Float)
    critical_failures: Mapped[int] = mapped_column(Integer, default=0)
    suggested_judgement: Mapped[str | None] = mapped_column(String(60))
    judgement: Mapped[str | None] = mapped_column(String(60))
    judgement_reason: Mapped[str | None] = mapped_column(Text)
    moderated_judgement: Mapped[str | None] = mapped_column(String(60))
    strengths: Mapped[str | None] = mapped_column(Text)
    areas_for_development: Mapped[str | None] = mapped_column(Text)
    previous_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    # Safeguarding escalation: a child who may be at risk now.
    concern_open: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_to: Mapped[str | None] = mapped_column(String(120))
    # Who raised the concern: nobody acknowledges their own escalation.
    escalated_by: Mapped[str | None] = mapped_column(String(120))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalation_note: Mapped[str | None] = mapped_column(Text)
    escalation_acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalation_acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    # The case-holder's response, recorded by the auditor.
    practitioner_response: Mapped[str | None] = mapped_column(String(16))
    practitioner_comment: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Optimistic locking: two people amending one audit cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship()
    team: Mapped[Team] = relationship()
    worker: Mapped[Worker | None] = relationship(foreign_keys=[worker_id])
    auditor: Mapped[Worker] = relationship(foreign_keys=[auditor_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="audit",
        cascade="all, delete-orphan",  # not translated: a SQLAlchemy option
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(_in("status", AUDIT_STATUSES), name="status_known"),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status <> 'finalised' OR judgement IS NOT NULL",
            name="finalised_has_judgement",
        ),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status <> 'finalised' OR suggested_judgement IS NULL "
            "OR judgement = suggested_judgement "
            "OR (judgement_reason IS NOT NULL AND length(judgement_reason) > 0)",
            name="override_has_reason",
        ),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status <> 'finalised' OR NOT concern_open OR escalated_to IS NOT NULL",
            name="concern_escalated_before_final",
        ),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "practitioner_response IS NULL OR " + _in("practitioner_response", RESPONSES),
            name="response_known",
        ),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "percent_met IS NULL OR (percent_met >= 0 AND percent_met <= 100)",
            name="percent_in_range",
        ),
        Index("ix_audits_profile", "framework_id", "status", "audit_date", "team_id"),
        # Home: the most recently finalised audits without sorting them all. Status is not
        # the leading column, so queries by status and audit date keep ix_audits_profile.
        Index("ix_audits_finalised_at", "finalised_at", "id"),
        # Home: the newest drafts without scanning every audit; partial, so it holds only
        # the drafts and no query by another status can choose it (migration 0005).
        Index(
            "ix_audits_drafts",
            "updated_at",
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        Index("ix_audits_case_id", "case_id"),
        Index("ix_audits_auditor_id", "auditor_id"),
    )


class Answer(Base):
    """One answer to one question. `kind` 'agreed' rows come from moderation; `counted` says
    which row profiles use (the agreed one once a moderation is agreed, the original kept)."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    section_id: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16), default="original")
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    answer: Mapped[str] = mapped_column(String(30))
    points: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    na_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship(back_populates="answers")

    __table_args__ = (
        UniqueConstraint("audit_id", "question_id", "kind", name="uq_answers_audit_question_kind"),
        CheckConstraint(_in("kind", ANSWER_KINDS), name="kind_known"),
        CheckConstraint("length(answer) > 0", name="answer_not_empty"),
        # not translated: SQL (a CHECK constraint)
        CheckConstraint("points IS NULL OR (points >= 0 AND points <= 1)", name="points_in_range"),
        # weight 0: recorded, not scored (a framework may ask a question it does not grade)
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        Index("ix_answers_audit_counted", "audit_id", "counted"),
    )


class Event(Base):
    """Append-only log: who did what, when, old and new value. Each row's hash chains to the
    previous row's, so a changed or deleted row breaks the chain (`audit-tui db verify`)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    audit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC of `hash` with a key kept outside the database: a correctly chained entry written
    # without the key is caught. NULL only on entries written before the database had a key.
    mac: Mapped[str | None] = mapped_column(String(64))


class FrameworkVersion(Base):
    """The full normalised definition of one framework version, stored the first time an
    audit uses it. Audits are read against their own version from here, never against
    whatever file is on disk now."""

    __tablename__ = "framework_versions"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text)  # JSON of the validated framework
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("framework_id", "version", name="uq_framework_versions_id_version"),
    )


class DatabaseInfo(Base):
    """Facts about the database itself, one row per key: `kind` ('live' or 'demo'), the event
    log key's fingerprint, ..."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Moderation(Base):
    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    moderator_judgement: Mapped[str | None] = mapped_column(String(60))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    agreed_judgement: Mapped[str | None] = mapped_column(String(60))
    comment: Mapped[str | None] = mapped_column(Text)
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    audit: Mapped[Audit] = relationship()
    moderator: Mapped[Worker] = relationship()

    __table_args__ = (
        CheckConstraint(_in("status", MODERATION_STATUSES), name="status_known"),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status = 'requested' OR moderator_judgement IS NOT NULL",
            name="submitted_has_judgement",
        ),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status <> 'agreed' OR (agreed_judgement IS NOT NULL AND comment IS NOT NULL)",
            name="agreed_has_judgement_and_comment",
        ),
        Index("ix_moderations_audit_id", "audit_id"),
    )


class ModerationAnswer(Base):
    """The moderator's blind answer to one question."""

    __tablename__ = "moderation_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderations.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    section_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[str] = mapped_column(String(30))
    points: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("moderation_id", "question_id", name="uq_moderation_answers_question"),
        # not translated: SQL (a CHECK constraint)
        CheckConstraint("points IS NULL OR (points >= 0 AND points <= 1)", name="points_in_range"),
    )


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"))
    question_id: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    status_reason: Mapped[str | None] = mapped_column(Text)
    reaudit_by: Mapped[date | None] = mapped_column(Date)
    reaudit_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status_known"),
        CheckConstraint(
            # not translated: SQL (a CHECK constraint)
            "status <> 'not_needed' OR (status_reason IS NOT NULL AND length(status_reason) > 0)",
            name="not_needed_has_reason",
        ),
        CheckConstraint("length(description) > 0", name="description_not_empty"),
        Index("ix_actions_audit_id", "audit_id"),
        Index("ix_actions_status_due", "status", "due_date"),
    )


class Round(Base):
    """An audit round: a saved, reproducible sample of cases with a due date."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    framework_id: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_date: Mapped[date] = mapped_column(Date)
    seed: Mapped[int | None] = mapped_column(Integer)
    per_team: Mapped[int] = mapped_column(Integer)
    case_type: Mapped[str | None] = mapped_column(String(40))
    exclude_days: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("per_team > 0", name="per_team_positive"),)


class RoundCase(Base):
    __tablename__ = "round_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))

    __table_args__ = (
        UniqueConstraint("round_id", "case_id", name="uq_round_cases_round_case"),
        Index("ix_round_cases_auditor_id", "auditor_id"),
    )


# --- names and references never hold control characters ------------------------------------
# The services refuse them where they are typed or imported, with the field named; this is the
# last line, for every other path that writes one (a control character such as ESC in a name
# would reach every terminal that lists it). Listening on the attributes covers constructors
# and assignments alike, before anything is flushed.
# The field's name is in the refusal: marked here, translated when one is refused.
_PLAIN_TEXT: dict[InstrumentedAttribute[Any], str] = {
    Team.name: N_("team name"),
    Worker.name: N_("staff name"),
    Worker.login: N_("login"),
    Case.reference: N_("case reference"),
    Case.legal_status: N_("legal status"),
    Case.age_band: N_("age band"),
    Audit.escalated_to: N_("escalated to"),
    Audit.escalated_by: N_("escalated by"),
    Audit.escalation_acknowledged_by: N_("acknowledged by"),
    Moderation.requested_by: N_("requested by"),
    Action.owner: N_("action owner"),
    Round.name: N_("round name"),
    Event.actor: N_("user name"),
}


def _listen_plain(attribute: InstrumentedAttribute[Any], what: str) -> None:
    def refuse_control(_target: object, value: object, _old: object, _initiator: object) -> None:
        if isinstance(value, str):
            check_plain(value, _(what))

    event.listen(attribute, "set", refuse_control)


for _attribute, _what in _PLAIN_TEXT.items():
    _listen_plain(_attribute, _what)
