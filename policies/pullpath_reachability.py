"""pullpath's reachability rules (PP701-PP704) as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import reachability

checks = register(reachability.RULES)
