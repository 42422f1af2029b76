"""azapi_resource and azapi_update_resource: judged like azurerm, cited by their ARM paths.

Each scenario is written the way Azure Verified Modules and public code write azapi (a body object,
or ``jsonencode`` for azapi 1.x), mixed with azurerm both ways, and judged through ``scan`` and
through a plan shaped like ``terraform show -json`` for azapi (the body in planned values, the
unknowns inside it in ``after_unknown``, one expression for the whole body in ``configuration``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from planbuilder import PlanBuilder, const, ref
from pullpath.cli import run
from pullpath.engine import analyse_directory, analyse_plan

SUBNET_APPS = (
    "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"
)
SUBNET_PE = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"
RG = "/subscriptions/0/resourceGroups/rg"

CLOSED_ACR = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}
"""

ACR_ENDPOINT = f"""
resource "azurerm_private_endpoint" "acr" {{
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = "{SUBNET_PE}"
  private_service_connection {{
    name                           = "acr"
    is_manual_connection           = false
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
  }}
}}
"""


def container_app(environment_body: str, encode: bool = False) -> str:
    body = """{
    properties = {
      managedEnvironmentId = azapi_resource.env.id
      configuration = {
        registries = [{ server = azurerm_container_registry.acr.login_server, identity = azapi_resource.id.id }]
      }
      template = {
        containers = [{ name = "app", image = "${azurerm_container_registry.acr.login_server}/app:1.0" }]
      }
    }
  }"""
    return f"""
resource "azapi_resource" "env" {{
  type      = "Microsoft.App/managedEnvironments@2024-03-01"
  name      = "env"
  parent_id = "{RG}"
  location  = "westeurope"
  body      = {f"jsonencode({environment_body})" if encode else environment_body}
}}

resource "azapi_resource" "app" {{
  type      = "Microsoft.App/containerApps@2024-03-01"
  name      = "app"
  parent_id = "{RG}"
  location  = "westeurope"
  body      = {f"jsonencode({body})" if encode else body}
}}
"""


NO_VNET_ENV = "{ properties = {} }"
VNET_ENV = f'{{ properties = {{ vnetConfiguration = {{ infrastructureSubnetId = "{SUBNET_APPS}" }} }} }}'

WEB_APP = f"""
resource "azurerm_linux_web_app" "web" {{
  name                      = "web"
  location                  = "westeurope"
  resource_group_name       = "rg"
  service_plan_id           = "{RG}/providers/Microsoft.Web/serverFarms/plan"
  virtual_network_subnet_id = "{SUBNET_APPS}"
  site_config {{
    application_stack {{
      docker_image_name   = "app:1.0"
      docker_registry_url = "https://${{azurerm_container_registry.acr.login_server}}"
    }}
  }}
}}
"""

SITE_PATCH = """
resource "azapi_update_resource" "pull_over_vnet" {
  type        = "Microsoft.Web/sites@2023-12-01"
  resource_id = azurerm_linux_web_app.web.id
  body = {
    properties = { vnetImagePullEnabled = true }
  }
}
"""

SETTINGS_PATCH = """
resource "azapi_update_resource" "settings" {
  type      = "Microsoft.Web/sites/config@2024-04-01"
  name      = "appsettings"
  parent_id = azurerm_linux_web_app.web.id
  body = {
    properties = { WEBSITE_PULL_IMAGE_OVER_VNET = "true" }
  }
}
"""


def azapi_site(routing: str) -> str:
    return f"""
resource "azapi_resource" "site" {{
  type      = "Microsoft.Web/sites@2025-03-01"
  name      = "web"
  parent_id = "{RG}"
  location  = "westeurope"
  body = {{
    kind = "app,linux,container"
    properties = {{
      serverFarmId           = "{RG}/providers/Microsoft.Web/serverFarms/plan"
      virtualNetworkSubnetId = "{SUBNET_APPS}"
      outboundVnetRouting    = {{ {routing} }}
      siteConfig = {{
        linuxFxVersion = "DOCKER|${{azurerm_container_registry.acr.login_server}}/app:1.0"
      }}
    }}
  }}
}}
"""


def scan(tmp_path: Path, *parts: str) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(workload, rule) -> (verdict, evidence lines) of a scan of the given .tf text."""
    (tmp_path / "main.tf").write_text("\n".join(textwrap.dedent(p) for p in parts), encoding="utf-8")
    report = analyse_directory(str(tmp_path))
    return {
        (f.workload.address, f.rule): (f.verdict.name, tuple(str(e) for e in f.evidence))
        for f in report.findings
    }


@pytest.mark.parametrize("encode", [False, True], ids=["object-body", "jsonencode-body"])
def test_container_app_in_an_environment_without_vnet_fails_from_a_closed_registry(tmp_path, encode):
    found = scan(tmp_path, CLOSED_ACR, container_app(NO_VNET_ENV, encode))
    verdict, evidence = found[("azapi_resource.app", "PP301")]
    assert verdict == "FAIL"
    assert "azapi_resource.env.body.properties.vnetConfiguration.infrastructureSubnetId = not set" in evidence


@pytest.mark.parametrize("encode", [False, True], ids=["object-body", "jsonencode-body"])
def test_container_app_in_a_vnet_environment_with_a_registry_endpoint_passes(tmp_path, encode):
    found = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, container_app(VNET_ENV, encode))
    assert found[("azapi_resource.app", "PP301")][0] == "PASS"


def test_azurerm_web_app_without_routing_fails_and_an_azapi_patch_routes_it(tmp_path):
    unrouted = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, WEB_APP)
    assert unrouted[("azurerm_linux_web_app.web", "PP202")][0] == "FAIL"
    routed = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, WEB_APP, SITE_PATCH)
    verdict, evidence = routed[("azurerm_linux_web_app.web", "PP202")]
    assert verdict == "PASS"
    assert "azapi_update_resource.pull_over_vnet.body.properties.vnetImagePullEnabled = true" in evidence


def test_an_app_settings_patch_routes_the_pull_like_the_azurerm_setting(tmp_path):
    routed = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, WEB_APP, SETTINGS_PATCH)
    verdict, evidence = routed[("azurerm_linux_web_app.web", "PP202")]
    assert verdict == "PASS"
    assert "azapi_update_resource.settings.body.properties.WEBSITE_PULL_IMAGE_OVER_VNET = true" in evidence


def test_a_patch_that_turns_routing_off_fails_like_azurerm(tmp_path):
    off = SITE_PATCH.replace("vnetImagePullEnabled = true", "vnetImagePullEnabled = false")
    found = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, WEB_APP, off)
    assert found[("azurerm_linux_web_app.web", "PP202")][0] == "FAIL"


@pytest.mark.parametrize(
    ("routing", "verdict"),
    [
        ("imagePullTraffic = true", "PASS"),
        ("allTraffic = true", "PASS"),
        ("applicationTraffic = true", "FAIL"),
    ],
)
def test_azapi_site_routing_by_outbound_vnet_routing(tmp_path, routing, verdict):
    found = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, azapi_site(routing))
    assert found[("azapi_resource.site", "PP202")][0] == verdict


def test_azapi_registry_closes_an_azurerm_container_group_password_pull(tmp_path):
    registry = f"""
    resource "azapi_resource" "acr" {{
      type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
      name      = "contosoacr"
      parent_id = "{RG}"
      location  = "westeurope"
      body = {{
        sku        = {{ name = "Premium" }}
        properties = {{ publicNetworkAccess = "Disabled", adminUserEnabled = true }}
      }}
    }}
    """
    group = """
    resource "azurerm_container_group" "app" {
      name                = "cg-app"
      location            = "westeurope"
      resource_group_name = "rg"
      os_type             = "Linux"
      container {
        name   = "app"
        image  = "contosoacr.azurecr.io/app:1.0"
        cpu    = 1
        memory = 1
      }
      image_registry_credential {
        server   = "contosoacr.azurecr.io"
        username = "contosoacr"
        password = "not-a-real-password"
      }
    }
    """
    verdict, evidence = scan(tmp_path, registry, group)[("azurerm_container_group.app", "PP101")]
    assert verdict == "FAIL"
    assert "azapi_resource.acr.body.properties.publicNetworkAccess = false" in evidence


def test_azapi_container_group_identity_pull_passes_through_trusted_services(tmp_path):
    group = f"""
    resource "azapi_resource" "group" {{
      type      = "Microsoft.ContainerInstance/containerGroups@2023-05-01"
      name      = "cg"
      parent_id = "{RG}"
      location  = "westeurope"
      body = {{
        properties = {{
          osType = "Linux"
          containers = [{{ name = "app", properties = {{ image = "contosoacr.azurecr.io/app:1.0" }} }}]
          imageRegistryCredentials = [{{ server = "contosoacr.azurecr.io", identity = "/subscriptions/0/id" }}]
        }}
      }}
    }}
    """
    assert scan(tmp_path, CLOSED_ACR, group)[("azapi_resource.group", "PP102")][0] == "PASS"


@pytest.mark.parametrize("body", ['"not json"', "42", '"[1, 2]"'], ids=["text", "number", "json-list"])
def test_an_unreadable_body_is_unknown_never_a_pass_or_a_crash(tmp_path, body):
    app = f"""
    resource "azapi_resource" "app" {{
      type      = "Microsoft.App/containerApps@2024-03-01"
      name      = "app"
      parent_id = "{RG}"
      body      = {body}
    }}
    """
    found = scan(tmp_path, CLOSED_ACR, app)
    assert found[("azapi_resource.app", "PP301")][0] == "UNKNOWN"


def _app_plan(body: object, unknown: list[str]) -> PlanBuilder:
    """A closed registry and an azapi environment and container app, as terraform show -json has them."""
    plan = PlanBuilder()
    plan.resource(
        "azurerm_container_registry.acr",
        {
            "name": "contosoacr",
            "sku": "Premium",
            "public_network_access_enabled": False,
            "network_rule_set": [],
            "network_rule_bypass_option": "AzureServices",
        },
        unknown=["id", "login_server"],
    )
    plan.resource(
        "azapi_resource.env",
        {
            "type": "Microsoft.App/managedEnvironments@2024-03-01",
            "name": "env",
            "parent_id": RG,
            "location": "westeurope",
            "body": {"properties": {}},
        },
        unknown=["id", "output"],
        expressions={
            "type": const("Microsoft.App/managedEnvironments@2024-03-01"),
            "body": const({"properties": {}}),
        },
    )
    plan.resource(
        "azapi_resource.app",
        {
            "type": "Microsoft.App/containerApps@2024-03-01",
            "name": "app",
            "parent_id": RG,
            "location": "westeurope",
            "body": body,
        },
        unknown=["id", "output", *unknown],
        expressions={
            "type": const("Microsoft.App/containerApps@2024-03-01"),
            "body": ref(
                "azapi_resource.env.id",
                "azapi_resource.env",
                "azurerm_container_registry.acr.login_server",
                "azurerm_container_registry.acr",
            ),
        },
    )
    return plan


def test_plan_with_an_object_body_judges_the_container_app(tmp_path):
    body = {
        "properties": {
            "configuration": {"registries": [{"identity": "system"}]},
            "template": {"containers": [{"name": "app"}]},
        }
    }
    unknown = [
        "body.properties.managedEnvironmentId",
        "body.properties.configuration.registries.0.server",
        "body.properties.template.containers.0.image",
    ]
    path = _app_plan(body, unknown).write(tmp_path)
    findings = {(f.workload.address, f.rule): f for f in analyse_plan(str(path)).findings}
    finding = findings[("azapi_resource.app", "PP301")]
    assert finding.verdict.name == "FAIL"
    assert (
        finding.image is not None
        and finding.image.attribute == "body.properties.template.containers[0].image"
    )


def test_plan_with_a_jsonencode_body_unknown_as_a_whole_is_judged_through_its_references(tmp_path):
    """azapi 1.x: one unknown inside ``jsonencode`` makes the whole string unknown."""
    path = _app_plan(None, ["body"]).write(tmp_path)
    findings = {(f.workload.address, f.rule): f for f in analyse_plan(str(path)).findings}
    finding = findings[("azapi_resource.app", "PP301")]
    assert finding.verdict.name == "FAIL"  # the environment, known, has no VNet
    assert finding.registry == "azurerm_container_registry.acr"
    credential = findings[("azapi_resource.app", "PP501")]
    assert credential.verdict.name == "UNKNOWN"
    assert "Write the body as an object" in credential.remediation  # the sources cannot tell either


@pytest.mark.parametrize(("allowed", "verdict"), [("203.0.113.10", "PASS"), ("198.51.100.7", "FAIL")])
def test_azapi_group_in_an_azapi_subnet_leaves_by_its_nat_gateway_ip(tmp_path, allowed, verdict):
    """The public route through azapi subnet, NAT gateway and an azurerm public IP of known address."""
    network = f"""
    resource "azurerm_container_registry" "acr" {{
      name                          = "contosoacr"
      resource_group_name           = "rg"
      location                      = "westeurope"
      sku                           = "Premium"
      public_network_access_enabled = true
      network_rule_set {{
        default_action = "Deny"
        ip_rule {{
          action   = "Allow"
          ip_range = "{allowed}/32"
        }}
      }}
    }}

    resource "azurerm_public_ip" "egress" {{
      name                = "pip-egress"
      resource_group_name = "rg"
      location            = "westeurope"
      allocation_method   = "Static"
      sku                 = "Standard"
      ip_address          = "203.0.113.10"
    }}

    resource "azapi_resource" "nat" {{
      type      = "Microsoft.Network/natGateways@2024-05-01"
      name      = "nat"
      parent_id = "{RG}"
      location  = "westeurope"
      body = {{
        sku        = {{ name = "Standard" }}
        properties = {{ publicIpAddresses = [{{ id = azurerm_public_ip.egress.id }}] }}
      }}
    }}

    resource "azapi_resource" "subnet" {{
      type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
      name      = "aci"
      parent_id = "{RG}/providers/Microsoft.Network/virtualNetworks/vnet"
      body = {{
        properties = {{
          addressPrefix = "10.0.1.0/24"
          natGateway    = {{ id = azapi_resource.nat.id }}
        }}
      }}
    }}

    resource "azapi_resource" "group" {{
      type      = "Microsoft.ContainerInstance/containerGroups@2023-05-01"
      name      = "cg"
      parent_id = "{RG}"
      location  = "westeurope"
      body = {{
        properties = {{
          osType     = "Linux"
          subnetIds  = [{{ id = azapi_resource.subnet.id }}]
          ipAddress  = {{ type = "Private", ports = [{{ port = 80, protocol = "TCP" }}] }}
          containers = [{{ name = "app", properties = {{ image = "contosoacr.azurecr.io/app:1.0" }} }}]
          imageRegistryCredentials = [{{ server = "contosoacr.azurecr.io", username = "u", password = "p" }}]
        }}
      }}
    }}
    """
    found = scan(tmp_path, network)
    result, evidence = found[("azapi_resource.group", "PP101")]
    assert result == verdict
    assert "azapi_resource.nat.body.properties.publicIpAddresses" in evidence


GROUP_PASSWORD_PULL = """
resource "azurerm_container_group" "app" {
  name                = "cg-app"
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "contosoacr.azurecr.io/app:1.0"
    cpu    = 1
    memory = 1
  }
  image_registry_credential {
    server   = "contosoacr.azurecr.io"
    username = "contosoacr"
    password = "not-a-real-password"
  }
}
"""


@pytest.mark.parametrize(
    "target",
    ["resource_id = azurerm_container_registry.acr.id", f'parent_id = "{RG}"\n  name = "contosoacr"'],
)
def test_a_patch_that_closes_an_azurerm_registry_fails_a_password_pull_and_is_cited(tmp_path, target):
    """The other direction: the azurerm registry is open; a patch turns public access off."""
    open_registry = CLOSED_ACR.replace(
        "public_network_access_enabled = false", "public_network_access_enabled = true"
    )
    patch = f"""
    resource "azapi_update_resource" "lock_down" {{
      type = "Microsoft.ContainerRegistry/registries@2023-07-01"
      {target}
      body = {{ properties = {{ publicNetworkAccess = "Disabled" }} }}
    }}
    """
    assert (
        scan(tmp_path, open_registry, GROUP_PASSWORD_PULL)[("azurerm_container_group.app", "PP101")][0]
        == "PASS"
    )
    verdict, evidence = scan(tmp_path, open_registry, GROUP_PASSWORD_PULL, patch)[
        ("azurerm_container_group.app", "PP101")
    ]
    assert verdict == "FAIL"
    assert "azapi_update_resource.lock_down.body.properties.publicNetworkAccess = false" in evidence


def test_containers_known_only_after_apply_are_one_unknown_image_never_none(tmp_path):
    """An AVM-style template whose container list comes from a value the scan cannot know."""
    app = f"""
    variable "containers" {{
      type = list(object({{ name = string, image = string }}))
    }}

    resource "azapi_resource" "app" {{
      type      = "Microsoft.App/containerApps@2024-03-01"
      name      = "app"
      parent_id = "{RG}"
      body = {{
        properties = {{
          managedEnvironmentId = azapi_resource.env.id
          configuration        = {{ registries = [{{ server = azurerm_container_registry.acr.login_server, identity = "system" }}] }}
          template             = {{ containers = var.containers }}
        }}
      }}
    }}
    """
    env = container_app(NO_VNET_ENV).split('resource "azapi_resource" "app"')[0]
    verdict, evidence = scan(tmp_path, CLOSED_ACR, env, app)[("azapi_resource.app", "PP301")]
    assert verdict in ("FAIL", "UNKNOWN")


def test_a_credential_in_sensitive_body_is_present_but_unreadable(tmp_path):
    """azapi's write-only sensitive_body never reaches a plan: its credential is UNKNOWN, never 'none'."""
    group = f"""
    variable "registry_password" {{
      type      = string
      sensitive = true
    }}

    resource "azapi_resource" "group" {{
      type      = "Microsoft.ContainerInstance/containerGroups@2023-05-01"
      name      = "cg"
      parent_id = "{RG}"
      location  = "westeurope"
      body = {{
        properties = {{
          osType     = "Linux"
          containers = [{{ name = "app", properties = {{ image = "contosoacr.azurecr.io/app:1.0" }} }}]
        }}
      }}
      sensitive_body = {{
        properties = {{
          imageRegistryCredentials = [{{ server = "contosoacr.azurecr.io", username = "pull", password = var.registry_password }}]
        }}
      }}
    }}
    """
    verdict, evidence = scan(tmp_path, CLOSED_ACR, group)[("azapi_resource.group", "PP101")]
    assert verdict == "UNKNOWN"
    assert "azapi_resource.group.sensitive_body = unknown" in evidence


def test_an_azapi_resource_of_unknown_type_is_a_warning_in_plan_and_scan(tmp_path, capsys):
    """A type nobody can read may hide a workload: never skipped in silence."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tf").write_text(
        textwrap.dedent(
            f"""
            variable "kind" {{
              type = string
            }}

            resource "azapi_resource" "mystery" {{
              type      = var.kind
              name      = "x"
              parent_id = "{RG}"
              body      = {{ properties = {{}} }}
            }}
            """
        ),
        encoding="utf-8",
    )
    plan = PlanBuilder().resource(
        "azapi_resource.mystery",
        {"name": "x", "parent_id": RG, "body": {"properties": {}}},
        unknown=["id", "output", "type"],
        expressions={"type": ref("var.kind"), "body": const({"properties": {}})},
    )
    path = plan.write(tmp_path)
    for args in (["plan", str(path)], ["scan", str(tmp_path / "src")]):
        code = run(args)
        err = capsys.readouterr().err
        assert code == 0 and "azapi_resource.mystery: its type is known only after apply" in err, args


def test_an_empty_identity_beside_a_username_is_a_password_pull_as_avm_sends_it(tmp_path):
    """AVM's container app module sends ``identity = ""`` for a registry pulled with a password."""
    app = container_app(VNET_ENV).replace(
        "identity = azapi_resource.id.id",
        'identity = "", username = "pulltoken", passwordSecretRef = "secname"',
    )
    verdict, evidence = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, app)[("azapi_resource.app", "PP501")]
    assert verdict == "UNKNOWN"
    assert "azapi_resource.app.body.properties.configuration.registries[0] = password" in evidence


AZAPI_IDENTITY = f"""
resource "azapi_resource" "id" {{
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31"
  name      = "id-pull"
  parent_id = "{RG}"
  location  = "westeurope"
}}
"""


def with_azapi_identity(app: str) -> str:
    """The azapi container app with ``azapi_resource.id`` attached."""
    return app.replace(
        'resource "azapi_resource" "app" {\n',
        'resource "azapi_resource" "app" {\n  identity {\n    type         = "UserAssigned"\n'
        "    identity_ids = [azapi_resource.id.id]\n  }\n",
    )


def azapi_grant(attribute: str) -> str:
    """An azapi AcrPull grant on the registry to ``azapi_resource.id.output.properties.<attribute>``."""
    return f"""
resource "azapi_resource" "grant" {{
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "00000000-0000-0000-0000-000000000001"
  parent_id = azurerm_container_registry.acr.id
  body = {{
    properties = {{
      principalId      = azapi_resource.id.output.properties.{attribute}
      roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"
    }}
  }}
}}
"""


def test_a_granted_user_assigned_identity_in_azapi_passes_the_credential_layer(tmp_path):
    grant = azapi_grant("principalId")
    app = container_app(VNET_ENV)
    found = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, AZAPI_IDENTITY, grant, with_azapi_identity(app))
    verdict, _ = found[("azapi_resource.app", "PP503")]
    assert verdict == "PASS"
    unattached = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, AZAPI_IDENTITY, grant, app)
    assert unattached[("azapi_resource.app", "PP502")][0] == "FAIL"


AZURERM_CONTAINER_APP = f"""
resource "azurerm_user_assigned_identity" "pull" {{
  name                = "id-pull"
  location            = "westeurope"
  resource_group_name = "rg"
}}

resource "azurerm_role_assignment" "pull" {{
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.pull.principal_id
}}

resource "azurerm_container_app_environment" "env" {{
  name                     = "env"
  location                 = "westeurope"
  resource_group_name      = "rg"
  infrastructure_subnet_id = "{SUBNET_APPS}"
}}

resource "azurerm_container_app" "app" {{
  name                         = "app"
  resource_group_name          = "rg"
  container_app_environment_id = azurerm_container_app_environment.env.id
  revision_mode                = "Single"
  identity {{
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id]
  }}
  template {{
    container {{
      name   = "app"
      image  = "${{azurerm_container_registry.acr.login_server}}/app:1.0"
      cpu    = 0.5
      memory = "1Gi"
    }}
  }}
}}
"""


def test_a_patch_that_gives_an_azurerm_container_app_its_registry_credential_is_read(tmp_path):
    """AVM and hand-written code set a container app's registries with an azapi patch."""
    patch = """
    resource "azapi_update_resource" "registries" {
      type        = "Microsoft.App/containerApps@2024-03-01"
      resource_id = azurerm_container_app.app.id
      body = {
        properties = {
          configuration = {
            registries = [{
              server   = azurerm_container_registry.acr.login_server
              identity = azurerm_user_assigned_identity.pull.id
            }]
          }
        }
      }
    }
    """
    unpatched = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, AZURERM_CONTAINER_APP)
    assert unpatched[("azurerm_container_app.app", "PP501")][0] == "FAIL"  # no credential at all
    patched = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, AZURERM_CONTAINER_APP, patch)
    verdict, evidence = patched[("azurerm_container_app.app", "PP503")]
    assert verdict == "PASS"
    assert any(
        "azapi_update_resource.registries.body.properties.configuration.registries[0]" in e for e in evidence
    )


@pytest.mark.parametrize(
    "grant",
    [
        azapi_grant("clientId"),
        """
resource "azurerm_role_assignment" "grant" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "AcrPull"
  principal_id         = azapi_resource.id.output.properties.clientId
}
""",
    ],
    ids=["azapi grant", "azurerm grant"],
)
def test_a_grant_to_an_azapi_identitys_client_id_is_pp504(tmp_path, grant):
    """An azapi identity's output.properties.clientId is its client ID: a grant to it reaches nobody."""
    attached = with_azapi_identity(container_app(VNET_ENV))
    found = scan(tmp_path, CLOSED_ACR, ACR_ENDPOINT, AZAPI_IDENTITY, grant, attached)
    verdict, evidence = found[("azapi_resource.app", "PP504")]
    assert verdict == "FAIL"
    assert any(line.endswith("= azapi_resource.id.output.properties.clientId") for line in evidence), evidence


def test_both_readers_name_an_azapi_identitys_ids_and_nothing_else_of_its_output():
    """The plan reader and the .tf evaluator both name a reference's attribute through attribute_chain."""
    from pullpath.addresses import attribute_chain

    assert attribute_chain(["output", "properties", "clientId"]) == "output.properties.clientId"
    assert attribute_chain(["output", "properties", "principalId"]) == "output.properties.principalId"
    assert attribute_chain(["output", "properties", "tenantId"]) is None
    assert attribute_chain(["output"]) is None
