"""pullpath's aks rules as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import aks

checks = register(aks.RULES)
