"""Demo data, apart from the product's services: believable, clearly marked, reproducible from
a seed, and fast enough to build benchmark databases of 200,000 audits. It finalises its
audits through the same domain rules as real ones and tells this term's story through the
services; the services never import it (an import contract says so)."""

from audit_tui.demo.build import CHUNK, FORMAT, DemoSummary, generate_demo
from audit_tui.demo.content import FIRST_NAMES, FRAMEWORK, SURNAMES, TEAMS

__all__ = [
    "CHUNK",
    "FIRST_NAMES",
    "FORMAT",
    "FRAMEWORK",
    "SURNAMES",
    "TEAMS",
    "DemoSummary",
    "generate_demo",
]
