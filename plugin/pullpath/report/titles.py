"""The title a report gives a finding, said in one place for every format.

Today it is the rule's title. A rule's title states its failure ("pulls from a restricted registry
with a password"), which a WARN or an UNKNOWN finding has not established; when the rules give
per-verdict titles, this is the one function that changes.
"""

from __future__ import annotations

from pullpath.model import Finding
from pullpath.rules import ALL_RULES


def title(finding: Finding) -> str:
    """What a report prints as the headline of ``finding``."""
    return ALL_RULES[finding.rule].title
