"""The title a report gives a finding, said in one place for every format.

A rule's title states its failure ("pulls from a restricted registry with a password"), which a
WARN, an UNKNOWN or a PASS has not established; those findings are headed by the rule's topic,
which names what was judged and asserts nothing (``Rule.heading``).
"""

from __future__ import annotations

from pullpath.model import Finding
from pullpath.rules import ALL_RULES


def title(finding: Finding) -> str:
    """What a report prints as the headline of ``finding``."""
    return ALL_RULES[finding.rule].heading(finding.verdict)
