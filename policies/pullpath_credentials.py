"""pullpath's credentials rules as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import credentials

checks = register(credentials.RULES)
