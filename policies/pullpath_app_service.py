"""pullpath's App Service rules (PP201-PP204) as checkov checks; logic lives in pullpath."""

from pullpath import resource_types
from pullpath.checkov import register
from pullpath.rules import app_service, app_service_settings

checks = (
    register(app_service.RULES, (*resource_types.APP_SERVICES, *resource_types.AZAPI_TYPES))
    + register([app_service_settings.PP203], resource_types.APP_SERVICES)
    + register([app_service_settings.PP204], resource_types.FUNCTION_APPS)
)
