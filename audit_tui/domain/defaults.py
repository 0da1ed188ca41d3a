"""Defaults shared by the services and the command line. A module of plain constants, so the
command line can use them without importing the services (and SQLAlchemy) at start-up."""

MAX_TREND = 24  # periods a trend may cover
