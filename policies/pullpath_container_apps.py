"""pullpath's Container Apps rule (PP301) as a checkov check; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import container_apps

checks = register(container_apps.RULES)
