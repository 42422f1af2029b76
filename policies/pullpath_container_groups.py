"""pullpath's container group rules (PP101-PP104, PP106, PP107) as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import container_group_network, container_groups

checks = register(container_groups.RULES + container_group_network.RULES)
