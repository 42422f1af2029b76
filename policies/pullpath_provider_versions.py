"""pullpath's provider-version rule (PP902) as a checkov check; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import provider_versions

checks = register(provider_versions.RULES)
