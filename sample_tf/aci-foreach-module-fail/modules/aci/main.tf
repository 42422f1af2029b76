resource "azurerm_container_group" "this" {
  name                = "aci-${var.image_name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [var.subnet_id]

  container {
    name   = var.image_name
    image  = "${var.login_server}/${var.image_name}:1.0"
    cpu    = var.cpu
    memory = var.memory
    ports {
      port     = 8080
      protocol = "TCP"
    }
  }

  image_registry_credential {
    server   = var.login_server
    username = var.registry_username
    password = var.registry_password
  }
}
