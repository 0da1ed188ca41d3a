"""audit-tui: case-file audits for quality assurance in children's social services."""

__version__ = "0.1.0"
