# One file that uses the HCL shapes the dialects write differently; every dialect must read it alike.
variable "env" {
  type    = string
  default = "prod"
}

variable "ranges" {
  type    = list(string)
  default = ["203.0.113.0/24", "198.51.100.0/24"]
}

locals {
  name     = lower("Contoso${var.env}")
  server   = "${local.name}.azurecr.io"
  tags     = merge({ team = "web" }, { "cost-center" = "42" })
  owner    = { "caf\u00e9" = "owner \"ops\"" }
  quoted   = "say \"hi\" to ${var.env}"
  unicode  = "caf\u00e9 \U0001F680\tshipped"
  windows  = "C:\\new\\u00e9\\"
  escaped  = "$${not_interpolated} %%{not_a_directive}"
  script   = <<-EOT
    echo ${var.env}
    EOT
  picked   = var.env == "prod" ? { tier = "Premium" } : { tier = "Basic" }
  upper    = [for r in var.ranges : upper(r) if r != ""]
  by_range = { for r in var.ranges : r => length(r) }
  concat   = concat(["a", "b"], [var.env])
}

resource "azurerm_container_registry" "acr" {
  name                          = local.name
  sku                           = local.picked.tier
  public_network_access_enabled = false
  tags                          = merge(local.tags, local.owner)

  network_rule_set = [{
    default_action = "Deny"
    ip_rule        = [for r in var.ranges : { action = "Allow", ip_range = r }]
  }]
}

resource "azurerm_container_group" "app" {
  name    = "cg-${var.env}"
  os_type = "Linux"

  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 0.5
    memory = 1.5
    environment_variables = {
      GREETING = local.quoted
      ESCAPED  = local.escaped
      UNICODE  = local.unicode
      WINDOWS  = local.windows
      SCRIPT   = local.script
      JOINED   = join(",", local.concat)
      UPPER    = join(",", local.upper)
      COUNT    = tostring(length(local.by_range))
    }
  }

  dynamic "init_container" {
    for_each = toset(["migrate", "seed"])
    content {
      name  = init_container.value
      image = "${local.server}/${init_container.key}:1"
    }
  }
}

output "server" {
  value = local.server
}
