# A granted, attached user-assigned identity pulls for a Linux web app, but an azapi patch sets the
# registry's azureADAuthenticationAsArmPolicy to disabled: the registry then refuses the
# ARM-audience tokens App Service pulls with (Azure/AKS#4560), and the pull fails.
# Expected: PP201 PASS (open registry), PP507 FAIL (ARM-audience tokens refused).

terraform {
  required_providers {
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-webapp-partner-portal"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "acrpartnerportal01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

# The security baseline makes the registry accept only ACR-audience tokens; azurerm has no argument
# for the policy, so it is set by an azapi patch.
resource "azapi_update_resource" "acr_token_audience" {
  type        = "Microsoft.ContainerRegistry/registries@2023-11-01-preview"
  resource_id = azurerm_container_registry.acr.id
  body = {
    properties = {
      policies = {
        azureADAuthenticationAsArmPolicy = {
          status = "disabled"
        }
      }
    }
  }
}

resource "azurerm_user_assigned_identity" "acr_pull" {
  name                = "id-portal-acrpull"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_role_assignment" "acr_pull" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.acr_pull.principal_id
}

resource "azurerm_service_plan" "main" {
  name                = "asp-partner-portal"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "portal" {
  name                = "app-partner-portal"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  service_plan_id     = azurerm_service_plan.main.id
  https_only          = true
  app_settings = {
    "WEBSITES_ENABLE_APP_SERVICE_STORAGE" = "false"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.acr_pull.id]
  }

  site_config {
    always_on                                     = true
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.acr_pull.client_id
    application_stack {
      docker_image_name   = "partner-portal:5.1.0"
      docker_registry_url = "https://${azurerm_container_registry.acr.login_server}"
    }
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
