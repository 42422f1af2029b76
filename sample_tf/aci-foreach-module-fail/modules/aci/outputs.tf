output "ip_address" {
  description = "Private IP address of the container group."
  value       = azurerm_container_group.this.ip_address
}
