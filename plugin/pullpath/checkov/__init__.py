"""pullpath's rules as checkov checks: ``policies/`` registers them, this package judges.

checkov hands a check one resource at a time; pullpath judges a whole configuration at once (a pull
path joins a workload, its registry, endpoints, subnets and NAT gateways). So each check looks up
the verdicts pullpath reached on the input the resource came from, judged once per plan file or
Terraform root and cached, and shows them in checkov's terms (see :mod:`pullpath.checkov.verdicts`).
"""

from pullpath.checkov.check import PullpathCheck, register
from pullpath.readers.hcl.shared_parses import share_host_parses

share_host_parses()  # checkov loads external checks before it parses: its parses become ours

__all__ = ["PullpathCheck", "register"]
