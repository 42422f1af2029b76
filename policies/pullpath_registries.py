"""pullpath's registry rule (PP901) as a checkov check; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import registries

checks = register(registries.RULES)
