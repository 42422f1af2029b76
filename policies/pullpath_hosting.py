"""pullpath's App Service hosting rules (PP205, PP206) as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import hosting

checks = register(hosting.RULES)
