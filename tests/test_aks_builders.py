"""AKS as the readers and builders see it: clusters in both dialects, node pools, egress, and the
images Kubernetes and Helm resources run on them, tied through the provider configuration."""

from __future__ import annotations

import json

import pytest

from planbuilder import PlanBuilder, const, ref
from pullpath import resource_types as rt
from pullpath.builders import build_model
from pullpath.engine import analyse_directory, analyse_plan, review
from pullpath.inventory import load_inventory
from pullpath.model import Cite, Ref, WorkloadKind
from pullpath.readers.hcl import read_root
from pullpath.readers.plan import read_plan
from pullpath.role_assignments import load_role_assignments
from scenarios import GALLERY

NODES = """
resource "azurerm_subnet" "nodes" {
  name                 = "snet-aks"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.8.0/22"]
}
"""


def cluster(name: str = "aks", body: str = "") -> str:
    return f"""
resource "azurerm_kubernetes_cluster" "{name}" {{
  name                = "{name}"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "{name}"

  default_node_pool {{
    name           = "system"
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = azurerm_subnet.nodes.id
  }}

  identity {{
    type = "SystemAssigned"
  }}
{body}}}
"""


def deployment(name: str = "app", extra: str = "", image: str = "contosoacr.azurecr.io/app:1.0") -> str:
    return f"""
resource "kubernetes_deployment_v1" "{name}" {{
{extra}  metadata {{
    name = "{name}"
  }}
  spec {{
    template {{
      metadata {{
        labels = {{ app = "{name}" }}
      }}
      spec {{
        container {{
          name  = "{name}"
          image = "{image}"
        }}
      }}
    }}
  }}
}}
"""


def scanned(tmp_path, *parts: str, files: dict[str, str] | None = None):
    (tmp_path / "main.tf").write_text("\n".join(parts), encoding="utf-8")
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = read_root(str(tmp_path))
    assert read.problems == []
    return build_model(read.resources, str(tmp_path))


def clusters(model):
    return {workload.address: workload for workload in model.workloads if workload.kind is WorkloadKind.AKS}


# -- clusters -----------------------------------------------------------------------------------------


def test_an_azurerm_cluster_is_a_workload_with_its_node_pools_kubelet_and_egress(tmp_path):
    body = """
  kubelet_identity {
    user_assigned_identity_id = azurerm_user_assigned_identity.kubelet.id
    client_id                 = azurerm_user_assigned_identity.kubelet.client_id
    object_id                 = azurerm_user_assigned_identity.kubelet.principal_id
  }

  private_cluster_enabled = true

  network_profile {
    network_plugin = "azure"
    outbound_type  = "loadBalancer"
    load_balancer_profile {
      outbound_ip_address_ids = [azurerm_public_ip.egress.id]
    }
  }
"""
    extra = """
resource "azurerm_public_ip" "egress" {
  name                = "pip-egress"
  resource_group_name = "rg"
  location            = "westeurope"
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_user_assigned_identity" "kubelet" {
  name                = "id-kubelet"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = "Standard_D4s_v5"
}
"""
    [aks] = clusters(scanned(tmp_path, NODES, cluster(body=body), extra)).values()
    built = aks.cluster
    assert built.kubelet.targets == ("azurerm_user_assigned_identity.kubelet",)
    assert [(pool.address, pool.attribute, pool.subnet.targets) for pool in built.node_pools] == [
        ("azurerm_kubernetes_cluster.aks", "default_node_pool[0].vnet_subnet_id", ("azurerm_subnet.nodes",)),
        ("azurerm_kubernetes_cluster_node_pool.batch", "vnet_subnet_id", ()),
    ]
    assert built.node_pools[1].subnet.is_set is False  # a VNet AKS creates
    assert built.outbound_type == "loadBalancer"
    assert built.load_balancer_ips == (None,)  # named, its address known only after apply
    assert built.private_cluster is True
    assert aks.identities.system is True


def test_a_cluster_with_no_network_profile_leaves_through_ips_aks_creates(tmp_path):
    [aks] = clusters(scanned(tmp_path, NODES, cluster())).values()
    assert (aks.cluster.outbound_type, aks.cluster.load_balancer_ips) == ("loadBalancer", None)
    assert aks.cluster.kubelet.is_set is False


def test_a_cluster_with_a_service_principal_pulls_as_it(tmp_path):
    body = """
  service_principal {
    client_id     = var.client_id
    client_secret = var.client_secret
  }
"""
    text = cluster(body=body).replace('  identity {\n    type = "SystemAssigned"\n  }\n', "")
    [aks] = clusters(scanned(tmp_path, NODES, text)).values()
    assert aks.cluster.service_principal is True


AZAPI_CLUSTER = """
resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-09-01"
  name      = "aks"
  location  = "westeurope"
  parent_id = var.resource_group_id

  identity {
    type = "SystemAssigned"
  }

  body = {
    properties = {
      dnsPrefix = "aks"
      agentPoolProfiles = [{
        name         = "system"
        mode         = "System"
        vmSize       = "Standard_D4s_v5"
        vnetSubnetID = azurerm_subnet.nodes.id
      }]
      identityProfile = {
        kubeletidentity = {
          resourceId = azurerm_user_assigned_identity.kubelet.id
        }
      }
      apiServerAccessProfile = {
        enablePrivateCluster = true
      }
      networkProfile = {
        networkPlugin = "azure"
        outboundType  = "userAssignedNATGateway"
      }
    }
  }
}

resource "azapi_resource" "batch" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2024-09-01"
  name      = "batch"
  parent_id = azapi_resource.aks.id
  body = {
    properties = {
      vmSize       = "Standard_D4s_v5"
      vnetSubnetID = azurerm_subnet.batch.id
    }
  }
}

resource "azurerm_user_assigned_identity" "kubelet" {
  name                = "id-kubelet"
  resource_group_name = "rg"
  location            = "westeurope"
}
"""


def test_an_azapi_cluster_and_its_agent_pools(tmp_path):
    [aks] = clusters(scanned(tmp_path, NODES, AZAPI_CLUSTER)).values()
    built = aks.cluster
    assert aks.address == "azapi_resource.aks"
    assert built.kubelet.targets == ("azurerm_user_assigned_identity.kubelet",)
    assert [(pool.address, pool.attribute, pool.subnet.targets) for pool in built.node_pools] == [
        (
            "azapi_resource.aks",
            "body.properties.agentPoolProfiles[0].vnetSubnetID",
            ("azurerm_subnet.nodes",),
        ),
        ("azapi_resource.batch", "body.properties.vnetSubnetID", ("azurerm_subnet.batch",)),
    ]
    assert (built.outbound_type, built.private_cluster) == ("userAssignedNATGateway", True)
    assert aks.cite(Cite.KUBELET_IDENTITY) == "output.properties.identityProfile.kubeletidentity.objectId"


# -- what runs on a cluster -------------------------------------------------------------------------

POD_SPEC = """
        init_container {
          name  = "migrate"
          image = "contosoacr.azurecr.io/migrate:1.0"
        }
        container {
          name  = "app"
          image = "contosoacr.azurecr.io/app:1.0"
        }
        image_pull_secrets {
          name = "acr"
        }
"""


def _workload(kind: str) -> str:
    spec = rt.KUBERNETES_WORKLOADS[kind]
    blocks = [step for step in spec if isinstance(step, str)]
    text = POD_SPEC
    for block in reversed(blocks):
        text = f"{block} {{\n{text}\n}}"
    return f'resource "{kind}" "app" {{\n  metadata {{\n    name = "app"\n  }}\n{text}\n}}\n'


@pytest.mark.parametrize("kind", sorted(rt.KUBERNETES_WORKLOADS))
def test_every_kubernetes_workload_kind_runs_its_images_on_the_cluster(tmp_path, kind):
    [aks] = clusters(scanned(tmp_path, NODES, cluster(), _workload(kind))).values()
    assert [(image.text, image.init, image.owner) for image in aks.images] == [
        ("contosoacr.azurecr.io/app:1.0", False, f"{kind}.app"),
        ("contosoacr.azurecr.io/migrate:1.0", True, f"{kind}.app"),
    ]
    assert aks.images[0].attribute.startswith(f"{kind}.app.spec[0]")
    assert aks.images[0].attribute.endswith(".spec[0].container[0].image")
    assert aks.cluster.pull_secrets == frozenset({f"{kind}.app"})
    assert aks.cluster.guessed == frozenset({f"{kind}.app"})  # no provider block: the only cluster


HELM = """
resource "helm_release" "app" {
  name       = "app"
  repository = "oci://contosoacr.azurecr.io/helm"
  chart      = "app"

  set {
    name  = "image.registry"
    value = azurerm_container_registry.acr.login_server
  }

  set {
    name  = "image.tag"
    value = "1.0"
  }

  values = [<<-YAML
    sidecar:
      image: fabrikamacr.azurecr.io/tools/sidecar:2.1
    imagePullSecrets: []
  YAML
  ]
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoacr"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}
"""


def test_a_helm_release_names_registries_in_its_set_values_and_values_documents(tmp_path):
    [aks] = clusters(scanned(tmp_path, NODES, cluster(), HELM)).values()
    found = [(image.attribute, image.ref.value, image.ref.targets) for image in aks.images]
    assert found == [
        ("helm_release.app.set[0].value", None, ("azurerm_container_registry.acr",)),
        ("helm_release.app.values[0]", "fabrikamacr.azurecr.io/tools/sidecar:2.1", ()),
    ]
    assert aks.cluster.pull_secrets == frozenset({"helm_release.app"})  # imagePullSecrets is named


PROVIDER = """
provider "kubernetes" {
  host                   = azurerm_kubernetes_cluster.aks.kube_config[0].host
  cluster_ca_certificate = base64decode(azurerm_kubernetes_cluster.aks.kube_config[0].cluster_ca_certificate)
}

provider "kubernetes" {
  alias = "batch"
  host  = azurerm_kubernetes_cluster.batch.kube_config[0].host
}
"""


def test_the_provider_block_ties_an_image_to_its_cluster_by_default_and_by_alias(tmp_path):
    model = scanned(
        tmp_path,
        NODES,
        cluster("aks"),
        cluster("batch"),
        PROVIDER,
        deployment("web"),
        deployment("job", extra="  provider = kubernetes.batch\n"),
    )
    found = {address: [image.owner for image in w.images] for address, w in clusters(model).items()}
    assert found == {
        "azurerm_kubernetes_cluster.aks": ["kubernetes_deployment_v1.web"],
        "azurerm_kubernetes_cluster.batch": ["kubernetes_deployment_v1.job"],
    }
    assert all(not w.cluster.guessed and not w.cluster.untold for w in clusters(model).values())


def test_a_provider_passed_into_a_module_ties_the_module_images(tmp_path):
    call = """
module "apps" {
  source = "./apps"
  providers = {
    kubernetes = kubernetes.batch
  }
}
"""
    model = scanned(
        tmp_path,
        NODES,
        cluster("aks"),
        cluster("batch"),
        PROVIDER,
        call,
        files={"apps/main.tf": deployment("web")},
    )
    batch = clusters(model)["azurerm_kubernetes_cluster.batch"]
    assert [image.owner for image in batch.images] == ["module.apps.kubernetes_deployment_v1.web"]
    assert clusters(model)["azurerm_kubernetes_cluster.aks"].images == ()


def test_a_cluster_data_source_naming_a_cluster_of_the_input_ties_to_it(tmp_path):
    data = """
data "azurerm_kubernetes_cluster" "aks" {
  name                = azurerm_kubernetes_cluster.aks.name
  resource_group_name = "rg"
}

provider "kubernetes" {
  host = data.azurerm_kubernetes_cluster.aks.kube_config[0].host
}
"""
    model = scanned(tmp_path, NODES, cluster("aks"), cluster("batch"), data, deployment())
    assert [image.owner for image in clusters(model)["azurerm_kubernetes_cluster.aks"].images] == [
        "kubernetes_deployment_v1.app"
    ]


def test_images_on_a_cluster_outside_the_input_are_a_warning_not_a_guess(tmp_path):
    data = """
data "azurerm_kubernetes_cluster" "shared" {
  name                = "aks-shared"
  resource_group_name = "rg-platform"
}

provider "kubernetes" {
  host = data.azurerm_kubernetes_cluster.shared.kube_config[0].host
}
"""
    model = scanned(tmp_path, NODES, cluster("aks"), data, deployment())
    assert clusters(model)["azurerm_kubernetes_cluster.aks"].images == ()
    assert model.warnings == (
        "kubernetes_deployment_v1.app runs on data.azurerm_kubernetes_cluster.shared, which this input does "
        "not define: its image pulls are not judged (judge the configuration that defines the cluster)",
    )


def test_images_with_no_cluster_in_the_input_are_a_warning_and_docker_hub_images_are_none(tmp_path):
    model = scanned(tmp_path, deployment("web"), deployment("nginx", image="nginx:1.27"))
    assert model.workloads == ()
    assert len(model.warnings) == 1 and model.warnings[0].startswith("kubernetes_deployment_v1.web runs on")


def test_two_clusters_and_no_provider_leave_the_cluster_untold(tmp_path):
    model = scanned(tmp_path, NODES, cluster("aks"), cluster("batch"), deployment())
    for workload in clusters(model).values():
        assert [image.owner for image in workload.images] == ["kubernetes_deployment_v1.app"]
        assert workload.cluster.may_run_on("kubernetes_deployment_v1.app") == (
            "azurerm_kubernetes_cluster.aks",
            "azurerm_kubernetes_cluster.batch",
        )


# -- a plan ---------------------------------------------------------------------------------------------

CLUSTER_VALUES = {
    "name": "aks",
    "location": "westeurope",
    "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5"}],
    "identity": [{"type": "SystemAssigned"}],
    "network_profile": [{"network_plugin": "azure", "outbound_type": "loadBalancer"}],
    "private_cluster_enabled": False,
}
CLUSTER_UNKNOWN = [
    "id",
    "kube_config",
    "kubelet_identity",
    "default_node_pool.0.vnet_subnet_id",
    "identity.0.principal_id",
    "network_profile.0.load_balancer_profile",
]


def _deployment_values(image: str = "contosoacr.azurecr.io/app:1.0") -> dict:
    return {
        "metadata": [{"name": "app"}],
        "spec": [{"template": [{"spec": [{"container": [{"name": "app", "image": image}]}]}]}],
    }


def _plan(tmp_path, builder: PlanBuilder):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(builder.build()), encoding="utf-8")
    return build_model(read_plan(str(path)))


def test_a_plan_ties_images_through_provider_config_and_a_computed_kubelet_is_one_aks_creates(tmp_path):
    builder = (
        PlanBuilder()
        .resource(
            "azurerm_kubernetes_cluster.aks",
            CLUSTER_VALUES,
            CLUSTER_UNKNOWN,
            {
                "default_node_pool": [
                    {"vnet_subnet_id": ref("azurerm_subnet.nodes.id", "azurerm_subnet.nodes")}
                ]
            },
        )
        .resource(
            "azurerm_kubernetes_cluster.batch",
            {**CLUSTER_VALUES, "name": "batch"},
            CLUSTER_UNKNOWN,
            {"name": const("batch")},
        )
        .provider(
            "kubernetes",
            {
                "host": ref(
                    "azurerm_kubernetes_cluster.aks.kube_config[0].host",
                    "azurerm_kubernetes_cluster.aks.kube_config[0]",
                    "azurerm_kubernetes_cluster.aks.kube_config",
                    "azurerm_kubernetes_cluster.aks",
                )
            },
        )
        .resource(
            "kubernetes_deployment_v1.app", _deployment_values(), [], {"metadata": [{"name": const("app")}]}
        )
    )
    found = clusters(_plan(tmp_path, builder))
    aks = found["azurerm_kubernetes_cluster.aks"]
    assert [image.owner for image in aks.images] == ["kubernetes_deployment_v1.app"]
    assert found["azurerm_kubernetes_cluster.batch"].images == ()
    assert aks.cluster.kubelet == Ref()  # computed, not configured: the kubelet identity AKS creates
    assert aks.cluster.outbound_type == "loadBalancer" and aks.cluster.load_balancer_ips is None
    assert aks.cluster.node_pools[0].subnet.targets == ("azurerm_subnet.nodes",)
    assert found["azurerm_kubernetes_cluster.batch"].cluster.node_pools[0].subnet.is_set is False


@pytest.mark.parametrize(
    ("key", "providers"),
    [
        # a module that declares the provider without configuring it inherits the root's
        ("module.apps:kubernetes", {"module.apps:kubernetes": {"module_address": "module.apps"}}),
        ("kubernetes.aks", {}),  # an alias
    ],
)
def test_a_plan_follows_the_provider_config_key(tmp_path, key, providers):
    host = {
        "host": ref("azurerm_kubernetes_cluster.aks.kube_config[0].host", "azurerm_kubernetes_cluster.aks")
    }
    builder = (
        PlanBuilder()
        .resource("azurerm_kubernetes_cluster.aks", CLUSTER_VALUES, CLUSTER_UNKNOWN, {"name": const("aks")})
        .resource(
            "azurerm_kubernetes_cluster.batch",
            {**CLUSTER_VALUES, "name": "batch"},
            CLUSTER_UNKNOWN,
            {"name": const("batch")},
        )
        .provider("kubernetes" if key.startswith("module") else key, host)
    )
    for provider_key, entry in providers.items():
        builder.provider(provider_key, None, entry["module_address"])
    address = (
        "module.apps.kubernetes_deployment_v1.app"
        if key.startswith("module")
        else "kubernetes_deployment_v1.app"
    )
    if key.startswith("module"):
        builder.module_call(("apps",), {})
    builder.resource(
        address, _deployment_values(), [], {"metadata": [{"name": const("app")}]}, provider_key=key
    )
    aks = clusters(_plan(tmp_path, builder))["azurerm_kubernetes_cluster.aks"]
    assert [image.owner for image in aks.images] == [address]


# -- end to end over plans: known egress addresses, an azapi cluster ------------------------------------

REGISTRY_VALUES = {
    "name": "contosoacr",
    "sku": "Premium",
    "public_network_access_enabled": True,
    "network_rule_set": [
        {"default_action": "Deny", "ip_rule": [{"action": "Allow", "ip_range": "203.0.113.0/24"}]}
    ],
    "network_rule_bypass_option": "AzureServices",
    "admin_enabled": False,
}
KUBELET_GRANT = {
    "principal_id": ref(
        "azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id",
        "azurerm_kubernetes_cluster.aks.kubelet_identity[0]",
        "azurerm_kubernetes_cluster.aks.kubelet_identity",
        "azurerm_kubernetes_cluster.aks",
    ),
    "role_definition_name": const("AcrPull"),
    "scope": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
}


@pytest.mark.parametrize(("address", "verdict"), [("203.0.113.40", "PASS"), ("198.51.100.40", "FAIL")])
def test_a_plan_with_a_known_load_balancer_ip_is_judged_against_the_firewall(tmp_path, address, verdict):
    """An existing public IP (no-op) named by the load balancer profile: its address is in the plan."""
    balancer = {"outbound_ip_address_ids": ref("azurerm_public_ip.egress.id", "azurerm_public_ip.egress")}
    network = [{"network_plugin": const("azure"), "load_balancer_profile": [balancer]}]
    values = {
        **CLUSTER_VALUES,
        "network_profile": [
            {"network_plugin": "azure", "outbound_type": "loadBalancer", "load_balancer_profile": [{}]}
        ],
    }
    unknown = [*CLUSTER_UNKNOWN[:-1], "network_profile.0.load_balancer_profile.0.outbound_ip_address_ids"]
    builder = (
        PlanBuilder()
        .resource(
            "azurerm_public_ip.egress",
            {"name": "pip-egress", "ip_address": address, "id": "/subscriptions/0/pip-egress"},
            [],
            {"name": const("pip-egress")},
            actions=["no-op"],
        )
        .resource(
            "azurerm_container_registry.acr",
            REGISTRY_VALUES,
            ["id", "login_server"],
            {"sku": const("Premium")},
        )
        .resource(
            "azurerm_kubernetes_cluster.aks",
            values,
            unknown,
            {"name": const("aks"), "network_profile": network},
        )
        .resource(
            "azurerm_role_assignment.kubelet",
            {"role_definition_name": "AcrPull"},
            ["principal_id", "scope"],
            KUBELET_GRANT,
        )
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(builder.build()), encoding="utf-8")
    report = analyse_plan(str(path))
    found = {(f.rule, f.verdict.name) for f in report.findings}
    assert found == {("PP401", "PASS"), ("PP404", verdict)}
    [egress] = [f for f in report.findings if f.rule == "PP404"]
    assert address in egress.reason


AZAPI_BODY = {
    "properties": {
        "dnsPrefix": "aks",
        "agentPoolProfiles": [{"name": "system", "mode": "System", "vnetSubnetID": None}],
        "networkProfile": {"networkPlugin": "azure", "outboundType": "loadBalancer"},
    }
}


@pytest.mark.parametrize(
    ("principal", "rule", "verdict"),
    [
        ("output.properties.identityProfile.kubeletidentity.objectId", "PP401", "PASS"),
        ("identity[0].principal_id", "PP402", "FAIL"),
    ],
)
def test_a_plan_tells_an_azapi_cluster_kubelet_grant_from_its_control_plane_grant(
    tmp_path, principal, rule, verdict
):
    chain = "azapi_resource.aks." + principal
    references = [chain, *([chain.rsplit(".", 1)[0]] if "." in principal else []), "azapi_resource.aks"]
    grant_body = {
        "properties": {
            "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
            "principalId": None,
        }
    }
    builder = (
        PlanBuilder()
        .resource(
            "azurerm_container_registry.acr",
            {**REGISTRY_VALUES, "network_rule_set": []},
            ["id"],
            {"sku": const("Premium")},
        )
        .resource(
            "azapi_resource.aks",
            {
                "type": "Microsoft.ContainerService/managedClusters@2024-09-01",
                "name": "aks",
                "identity": [{"type": "SystemAssigned"}],
                "body": AZAPI_BODY,
            },
            ["id", "output", "identity.0.principal_id", "body.properties.agentPoolProfiles.0.vnetSubnetID"],
            {"body": ref("azurerm_subnet.nodes.id", "azurerm_subnet.nodes"), "name": const("aks")},
        )
        .resource(
            "azapi_resource.pull",
            {
                "type": "Microsoft.Authorization/roleAssignments@2022-04-01",
                "name": "guid",
                "body": grant_body,
            },
            ["id", "parent_id", "body.properties.principalId"],
            {
                "body": ref(*references),
                "parent_id": ref("azurerm_container_registry.acr.id", "azurerm_container_registry.acr"),
            },
        )
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(builder.build()), encoding="utf-8")
    found = {(f.workload.address, f.rule, f.verdict.name) for f in analyse_plan(str(path)).findings}
    assert found == {("azapi_resource.aks", rule, verdict), ("azapi_resource.aks", "PP403", "PASS")}


def test_a_computed_attribute_of_a_configured_block_keeps_its_name_and_its_neighbours(tmp_path):
    """``identity[0].principal_id`` is computed inside a block the cluster configures: reading it is
    unknown, not an error that would make the whole body around it unknown."""
    grant = """
resource "azapi_resource" "pull" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "guid"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  body = {
    properties = {
      roleDefinitionId = "acrpull"
      principalId      = azurerm_kubernetes_cluster.aks.identity[0].principal_id
    }
  }
}
"""
    (tmp_path / "main.tf").write_text(NODES + cluster() + grant, encoding="utf-8")
    [pull] = [r for r in read_root(str(tmp_path)).resources if r.address == "azapi_resource.pull"]
    assert pull.ref_attributes[("body",)] == ("azurerm_kubernetes_cluster.aks.identity.principal_id",)
    assert pull.values["body"]["properties"]["roleDefinitionId"] == "acrpull"


def test_node_pools_resolve_the_registry_from_their_vnet_so_an_unlinked_zone_fails(tmp_path):
    """The name layer judges AKS from the node pools' VNet: without the zone's link it resolves publicly."""
    source = (GALLERY / "aks-private-registry-endpoint-pass" / "main.tf").read_text(encoding="utf-8")
    link = source.index('resource "azurerm_private_dns_zone_virtual_network_link" "acr"')
    unlinked = source[:link] + source[source.index("}\n", link) + 2 :]
    (tmp_path / "main.tf").write_text(unlinked, encoding="utf-8")
    found = {(f.rule, f.verdict.name) for f in analyse_directory(str(tmp_path)).findings}
    assert ("PP601", "FAIL") in found and ("PP701", "PASS") in found
    (tmp_path / "main.tf").write_text(source, encoding="utf-8")
    linked = {(f.rule, f.verdict.name) for f in analyse_directory(str(tmp_path)).findings}
    assert ("PP601", "PASS") in linked


def test_a_kept_cluster_is_settled_by_the_attach_acr_grant_az_role_assignment_list_shows(tmp_path):
    """An existing cluster shows the object ID of the kubelet identity AKS made (in its MC_ group), and
    az aks update --attach-acr granted it AcrPull outside Terraform: the listing settles PP401."""
    made = "/subscriptions/0/resourceGroups/MC_rg_aks/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-agentpool"
    kubelet = [{"client_id": "cd-34", "object_id": "ab-12", "user_assigned_identity_id": made}]
    builder = (
        PlanBuilder()
        .resource(
            "azurerm_kubernetes_cluster.aks",
            {**CLUSTER_VALUES, "kubelet_identity": kubelet},
            actions=["no-op"],
        )
        .resource("kubernetes_deployment_v1.app", _deployment_values(), provider_key="kubernetes")
    )
    [aks] = clusters(_plan(tmp_path, builder)).values()
    assert aks.created is False and aks.cluster is not None and aks.cluster.kubelet_object_id == "ab-12"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(builder.build()), encoding="utf-8")
    registry = (
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoacr"
    )
    listed = tmp_path / "grants.json"
    listed.write_text(
        json.dumps(
            [
                {
                    "principalId": "ab-12",
                    "principalType": "ServicePrincipal",
                    "roleDefinitionName": "AcrPull",
                    "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/"
                    "7f951dda-4ed3-4680-a7ca-43fe172d538d",
                    "scope": registry,
                    "name": "0f8e2d4c-6b1a-4c3e-9d57-8a2b4c6d8e10",
                }
            ]
        ),
        encoding="utf-8",
    )
    inventory = tmp_path / "acr.json"
    inventory.write_text(
        json.dumps(
            [
                {
                    "name": "contosoacr",
                    "loginServer": "contosoacr.azurecr.io",
                    "id": registry,
                    "sku": {"name": "Premium", "tier": "Premium"},
                    "publicNetworkAccess": "Enabled",
                    "networkRuleSet": {"defaultAction": "Allow", "ipRules": []},
                    "adminUserEnabled": False,
                    "anonymousPullEnabled": False,
                }
            ]
        ),
        encoding="utf-8",
    )
    report = analyse_plan(str(plan))
    before = {(f.rule, f.verdict.name) for f in report.findings if f.rule == "PP401"}
    after = review(
        report,
        inventory=load_inventory(str(inventory)),
        role_assignments=load_role_assignments(str(listed)),
    )
    assert {(f.rule, f.verdict.name) for f in after.findings if f.rule == "PP401"} == {("PP401", "PASS")}
    assert before != {("PP401", "PASS")}
