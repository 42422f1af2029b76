"""Failing and fixed HCL for the provider-version rule, PP902 (examples are judged with azurerm 4.52)."""

from __future__ import annotations

from pullpath.rules.examples.container_groups import PP103_FIXED
from pullpath.rules.examples.parts import join

_PROFILE = """
resource "azurerm_network_profile" "aci" {
  name                = "np-aci"
  resource_group_name = "rg-app"
  location            = "westeurope"

  container_network_interface {
    name = "nic"

    ip_configuration {
      name      = "ip"
      subnet_id = azurerm_subnet.aci.id
    }
  }
}
"""

_SUBNET_IDS = "  subnet_ids          = [azurerm_subnet.aci.id]\n"
_NETWORK_PROFILE = "  network_profile_id  = azurerm_network_profile.aci.id # removed in azurerm 4.0\n"

# The group joins its VNet the way azurerm 3.x and older did: azurerm 4.x stops terraform plan here.
PP902_FAILING = join(_PROFILE, PP103_FIXED.replace(_SUBNET_IDS, _NETWORK_PROFILE))
PP902_FIXED = PP103_FIXED
