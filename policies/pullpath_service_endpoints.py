"""pullpath's service-endpoint rule (PP105), on every workload that pulls images, as a checkov check."""

from pullpath.checkov import register
from pullpath.rules import service_endpoints

checks = register(service_endpoints.RULES)
