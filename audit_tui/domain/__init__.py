"""Pure domain: framework schema, scoring, periods and statistics. No SQLAlchemy, no Textual."""
