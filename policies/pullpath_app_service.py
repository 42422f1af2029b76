"""pullpath's App Service rules (PP201-PP204) as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import app_service, app_service_settings

checks = register(app_service.RULES + app_service_settings.RULES)
