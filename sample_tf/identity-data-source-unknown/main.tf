# A container group pulls with a user-assigned identity the platform team owns, read through a data
# source: its AcrPull grant, if any, is made outside this configuration, so the input cannot tell
# whether the pull is authorised. The plan knows the identity's principal ID, so the output of
# az role assignment list --all -o json, given with --role-assignments, settles it.
# Expected: PP101 PASS (open registry), PP503 UNKNOWN (identity and its grants defined elsewhere).

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

data "azurerm_user_assigned_identity" "platform" {
  name                = "id-platform-acrpull"
  resource_group_name = "rg-platform-identities"
}

resource "azurerm_resource_group" "main" {
  name     = "rg-aci-batch"
  location = "West Europe"
  tags = {
    workload = "pullpath-fixture"
  }
}

resource "azurerm_container_registry" "acr" {
  name                = "acrbatchjobs01"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "Standard"
}

resource "azurerm_container_group" "batch" {
  name                = "aci-batch-import"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "None"
  restart_policy      = "OnFailure"

  identity {
    type         = "UserAssigned"
    identity_ids = [data.azurerm_user_assigned_identity.platform.id]
  }

  container {
    name   = "import"
    image  = "${azurerm_container_registry.acr.login_server}/batch/import:6.0.3"
    cpu    = 1
    memory = 2
  }

  image_registry_credential {
    server                    = azurerm_container_registry.acr.login_server
    user_assigned_identity_id = data.azurerm_user_assigned_identity.platform.id
  }
}
