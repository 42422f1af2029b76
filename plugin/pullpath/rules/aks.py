"""AKS clusters pulling from a registry (PP401 to PP405): the kubelet's grant, and the nodes' network path.

A cluster's nodes pull with its kubelet identity, never with the cluster's own identity, so the
credential layer of an AKS pull path is judged here (PP401, PP402; PP507 from the credential family
when the registry refuses ARM-audience tokens), one finding per pull path, in place of the generic
credential rules, which know no kubelet. AKS is not an ACR trusted service: a closed registry needs a
private endpoint the node pools reach (PP403), and a firewalled one admits the pull by the cluster's
egress address, which its outbound type decides (PP404). ``private_cluster_enabled`` concerns the API
server only and is never evidence. An image whose cluster the input cannot tell is PP405.

The name and route layers (private DNS zone linked to each node pool's VNet, the route to the
endpoint, the egress firewall behind user-defined routing) are judged over ``Workload.subnets``, the
node pool subnets, by the layer families; this module judges what the model tells without them.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    Evidence,
    Finding,
    Model,
    NodePool,
    Posture,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.credentials import arm_audience_refused
from pullpath.rules.examples import aks as examples
from pullpath.rules.grants import grant_evidence, near_misses
from pullpath.rules.kubelet import ClusterGrants, Kubelet, KubeletIdentity, grants_for, kubelet_identity
from pullpath.rules.placement import endpoint_evidence, endpoint_names, registry_endpoints, subnet_addresses
from pullpath.rules.public_route import outside_rules
from pullpath.rules.pulls import Pull, evaluate_pulls, judge_layer
from pullpath.rules.roles import judge_role, pull_role

PP401 = Rule(
    id="PP401",
    slug="aks-kubelet-no-pull-grant",
    title="Cluster's kubelet identity has no pull role on the registry its images come from",
    topic="Pull role of the cluster's kubelet identity",
    severity="HIGH",
    resource_types=rt.AKS_KINDS,
    applies_to=(
        "azurerm_kubernetes_cluster and azapi Microsoft.ContainerService/managedClusters, for every registry "
        "its Kubernetes workloads or Helm releases name, or a grant attaches"
    ),
    rationale=(
        "An AKS node pulls with the cluster's kubelet identity (or a Kubernetes image pull secret). The "
        "kubelet identity needs AcrPull, or a role containing pull, at a scope containing the registry: that "
        "role assignment is what az aks update --attach-acr makes, and azurerm_kubernetes_cluster has no "
        "attach of its own. A kubelet identity created in this configuration (by AKS with the cluster, or a "
        "user-assigned one defined here) can hold no grant made elsewhere, so without one in the "
        "configuration every pull from the registry fails with 401 Unauthorized (ErrImagePull)."
    ),
    remediation=(
        "Grant the kubelet identity AcrPull on the registry: azurerm_role_assignment { scope = "
        '<registry>.id, role_definition_name = "AcrPull", principal_id = '
        "azurerm_kubernetes_cluster.<name>.kubelet_identity[0].object_id } (with a user-assigned kubelet "
        "identity, its principal_id)."
    ),
    references=(
        sources.AKS_ACR_INTEGRATION,
        sources.AKS_CANNOT_PULL,
        sources.AZURERM_AKS_ATTACH_ISSUE,
        sources.ACR_ROLES,
        sources.ACR_ABAC,
        sources.KUBERNETES_PULL_SECRETS,
    ),
    failing_example=examples.PP401_FAILING,
    fixed_example=examples.PP401_FIXED,
    detection=(
        "Ties each image of a kubernetes_* workload (deployment, stateful set, daemon set, job, cron job, "
        "pod, and their _v1 forms: the pod spec's container and init_container images) and each registry "
        "host a helm_release's set values or values documents name to the cluster its provider configuration "
        "references (the kubernetes or helm provider's host, from kube_config), and adds every registry a "
        "pull-role grant to the kubelet attaches. For each, it follows the role assignments (azurerm or "
        "azapi) whose principal_id references the kubelet identity: kubelet_identity[0].object_id, the "
        "user-assigned identity in kubelet_identity[0].user_assigned_identity_id, or an azapi cluster's "
        "output.properties.identityProfile.kubeletidentity.objectId. A covering grant: PASS. None, the "
        "kubelet identity created here, and no image_pull_secrets in the pod spec: FAIL; a kubelet identity "
        "from outside the input, or pull secrets: UNKNOWN. Roles are judged as for PP503: a custom role by "
        "its definition's actions, a role the input cannot tell UNKNOWN."
    ),
    alternatives=(
        "Grant the role at the registry's resource group or subscription, if every registry there may be "
        "pulled from.",
        "Pull with a Kubernetes image pull secret (imagePullSecrets) holding a registry token, and keep "
        "its credential out of Terraform state.",
    ),
)

PP402 = Rule(
    id="PP402",
    slug="aks-grant-to-control-plane",
    title="Pull role granted to the cluster's control-plane identity instead of its kubelet identity",
    topic="Identity of the cluster the pull role is granted to",
    severity="HIGH",
    resource_types=rt.AKS_KINDS,
    applies_to="azurerm_kubernetes_cluster and azapi Microsoft.ContainerService/managedClusters",
    rationale=(
        "An AKS cluster has two identities: its own (identity[0].principal_id, or the user-assigned identity "
        "in identity_ids), which manages Azure resources for the control plane, and the kubelet identity "
        "(kubelet_identity[0].object_id), which the nodes pull images with. AcrPull granted to the control "
        "plane leaves the nodes unauthorised: every pull fails with 401 Unauthorized."
    ),
    remediation=(
        "Grant the role to the kubelet identity: principal_id = "
        "azurerm_kubernetes_cluster.<name>.kubelet_identity[0].object_id (azapi: "
        "output.properties.identityProfile.kubeletidentity.objectId, exported with response_export_values)."
    ),
    references=(sources.AKS_KUBELET_GRANT_ISSUE, sources.AKS_CANNOT_PULL, sources.AKS_MANAGED_IDENTITY),
    failing_example=examples.PP402_FAILING,
    fixed_example=examples.PP402_FIXED,
    azapi_failing_example=examples.PP402_AZAPI_FAILING,
    azapi_fixed_example=examples.PP402_AZAPI_FIXED,
    detection=(
        "Reads which attribute of the cluster a pull-role grant's principal_id references, through locals, "
        "variables and module outputs: identity[0].principal_id, or a user-assigned identity listed in the "
        "cluster's identity_ids, is the control plane; kubelet_identity[0].object_id is the kubelet. A "
        "control-plane grant covering the registry and no kubelet grant: FAIL when this input creates the "
        "kubelet identity, UNKNOWN when it comes from outside or exists already (a plan keeps the cluster), "
        "as a grant made elsewhere may cover it."
    ),
)

PP403 = Rule(
    id="PP403",
    slug="aks-no-private-path",
    title="Cluster pulls from a closed registry with no private endpoint its nodes can reach",
    topic="Network path from the cluster's nodes to the registry",
    severity="HIGH",
    resource_types=rt.AKS_KINDS,
    applies_to="azurerm_kubernetes_cluster and azapi Microsoft.ContainerService/managedClusters",
    rationale=(
        "AKS is not an ACR trusted service, so the trusted-services bypass never admits its nodes. A "
        "registry with public network access disabled is reached only over a private endpoint in, or "
        "peered with, the VNet of every node pool's subnet, with the privatelink.azurecr.io zone linked "
        "to it (cause 3 of Microsoft's troubleshooting article). Node pools without vnet_subnet_id run in "
        "a VNet AKS creates, which no endpoint of this configuration is in. private_cluster_enabled "
        "concerns the API server only and changes nothing about pulls."
    ),
    remediation=(
        'Give the registry a private endpoint (subresource_names = ["registry"]) in a subnet of the node '
        "pools' VNet or a peered one, link the privatelink.azurecr.io zone to that VNet, and put every node "
        "pool in that VNet (vnet_subnet_id)."
    ),
    references=(
        sources.AKS_CANNOT_PULL,
        sources.ACR_PRIVATE_LINK,
        sources.ACR_TRUSTED_SERVICES,
        sources.AKS_PRIVATE_CLUSTER,
    ),
    failing_example=examples.PP403_FAILING,
    fixed_example=examples.PP403_FIXED,
    detection=(
        "For a registry with public_network_access_enabled = false (or a firewalled one reached over an "
        "endpoint): the azurerm_private_endpoint (or azapi privateEndpoints) resources whose connection "
        "targets the registry, and each node pool's vnet_subnet_id (default_node_pool, "
        "azurerm_kubernetes_cluster_node_pool, azapi agentPoolProfiles[].vnetSubnetID and agentPools). No "
        "endpoint in the input: UNKNOWN (it may be another configuration's). An open registry: PASS."
    ),
    alternatives=(
        "Open the registry to the cluster's egress address instead: public network access on, default "
        "action Deny, an IP rule for the address (see PP404).",
    ),
)

PP404 = Rule(
    id="PP404",
    slug="aks-egress-outside-firewall",
    title="Cluster's egress address is outside the registry firewall",
    topic="Cluster egress address against the registry firewall",
    severity="HIGH",
    resource_types=rt.AKS_KINDS,
    applies_to=(
        "azurerm_kubernetes_cluster and azapi Microsoft.ContainerService/managedClusters pulling from a "
        "registry whose default action is Deny, with no private endpoint its nodes reach"
    ),
    rationale=(
        "A firewalled registry admits the public endpoint only from addresses in its IP rules, and AKS is "
        "not a trusted service. The nodes leave from the address their outbound type gives: loadBalancer, "
        "the load balancer's outbound IPs (known at plan time only when outbound_ip_address_ids or "
        "outbound_ip_prefix_ids name them); userAssignedNATGateway, the NAT gateway of the node subnet; "
        "managedNATGateway, the NAT gateway AKS creates; userDefinedRouting, the firewall or appliance the "
        "subnet's default route leads to. An address outside every IP rule is refused (403 Forbidden)."
    ),
    remediation=(
        "Add an IP rule for the cluster's egress address to the registry (network_rule_set.ip_rule), or pull "
        "over a private endpoint in the node pools' VNet."
    ),
    references=(sources.AKS_OUTBOUND_TYPES, sources.ACR_SELECTED_NETWORKS, sources.AKS_CANNOT_PULL),
    failing_example=examples.PP404_FAILING,
    fixed_example=examples.PP404_FIXED,
    detection=(
        "network_profile.outbound_type (azapi networkProfile.outboundType; loadBalancer when unset), the "
        "load balancer profile's outbound_ip_address_ids and outbound_ip_prefix_ids (azapi outboundIPs and "
        "outboundIPPrefixes) followed to their public IPs and prefixes, the node subnets' NAT gateways and "
        "their public IPs, against the registry's ip_rule ranges: covered PASS, outside FAIL, an address "
        "known only after apply WARN with the address to allow."
    ),
    alternatives=(
        "Name the load balancer's outbound IPs (outbound_ip_address_ids), or use a NAT gateway with a "
        "public IP of your own, so the address to allow is stable.",
    ),
)

PP405 = Rule(
    id="PP405",
    slug="aks-image-cluster-untold",
    title="Kubernetes workload whose cluster the input cannot tell",
    topic="Cluster a Kubernetes workload or Helm release runs on",
    severity="MEDIUM",
    resource_types=rt.AKS_KINDS,
    applies_to=(
        "kubernetes_* workloads and helm_release resources in an input with several clusters, whose "
        "provider configuration references none of them"
    ),
    rationale=(
        "Which cluster pulls an image is the cluster the Kubernetes or Helm provider is configured for. "
        "When the provider configuration references no cluster of the input (a kubeconfig file, a "
        "variable) and the input has several, the image may be pulled by any of them, with a different "
        "kubelet identity and network path each."
    ),
    remediation=(
        "Configure the provider from the cluster: host = "
        "azurerm_kubernetes_cluster.<name>.kube_config[0].host "
        "with its certificates (or an exec block for kubelogin), using a provider alias per cluster and "
        "provider = kubernetes.<alias> on each resource."
    ),
    references=(sources.KUBERNETES_PROVIDER_AKS,),
    failing_example=examples.PP405_FAILING,
    fixed_example=examples.PP405_FIXED,
    detection=(
        "The references of the kubernetes or helm provider configuration a resource uses (plan "
        "configuration.provider_config, or the provider block in the sources). None to a cluster: the one "
        "cluster of the input, said in the reason; several clusters: UNKNOWN on each."
    ),
)

RULES = (PP401, PP402, PP403, PP404, PP405)

_KUBELET_FIX = (
    "Grant {kubelet} {role} on {registry}: azurerm_role_assignment {{ scope = {registry_address}.id, "
    'role_definition_name = "{role}", principal_id = {principal} }}.'
)


def evaluate(model: Model) -> Iterator[Finding]:
    yield from judge_layer(model, PP401, _credential, kinds=(WorkloadKind.AKS,))
    yield from evaluate_pulls(model, WorkloadKind.AKS, PP403, _network)


# -- credential layer ---------------------------------------------------------------------------------


def _credential(pull: Pull) -> Finding:
    workload, image, registry = pull.workload, pull.image, pull.registry
    cluster = workload.cluster
    assert cluster is not None  # every AKS workload has one
    pull.evidence.append(image.cited(workload.address, image.text))
    if cluster.may_run_on(image.owner):
        clusters = ", ".join(cluster.may_run_on(image.owner))
        return pull.finding(
            PP405,
            Verdict.UNKNOWN,
            f"{image.owner} may run on any of {clusters}: its provider configuration references none "
            f"of them, so which kubelet identity pulls from {registry.label} is not told",
            fix=f"Configure the provider {image.owner} uses from its cluster (host = "
            "<cluster>.kube_config[0].host), with an alias per cluster and provider = <name>.<alias>.",
        )
    kubelet = kubelet_identity(pull.model, workload)
    grants = grants_for(pull.model, workload, registry)
    tie = _tie(pull)
    if grants.kubelet:
        refused = arm_audience_refused(pull)
        if refused:
            return refused
        grant = grants.kubelet[0]
        return pull.finding(
            PP401,
            Verdict.PASS,
            f"the nodes pull {_what(pull)} from {registry.label} as {kubelet.shown}, granted {grant.role} by "
            f"{grant.address}{tie}",
            *grant_evidence(pull.model, grant),
        )
    fix = _kubelet_fix(pull, kubelet)
    if grants.client_id:
        grant = grants.client_id[0]
        return pull.finding(
            PP401,
            Verdict.FAIL,
            f"{grant.address} grants {grant.role} to the kubelet identity's client ID, not its "
            f"object ID: the nodes hold no role on {registry.label}{tie}",
            cited(grant, Cite.PRINCIPAL),
            fix=f"Set principal_id in {grant.address} to the kubelet identity's object ID. {fix}",
        )
    secrets = image.owner in cluster.pull_secrets
    if grants.control_plane and not secrets:
        grant = grants.control_plane[0]
        created = kubelet.origin is Kubelet.CREATED  # else it may hold a grant made elsewhere
        return pull.finding(
            PP402,
            Verdict.FAIL if created else Verdict.UNKNOWN,
            f"{grant.address} grants {grant.role} on {registry.label} to the cluster's control-plane "
            "identity, which never pulls images; "
            + (
                f"{kubelet.shown} holds no pull role there{tie}"
                if created
                else f"whether {kubelet.shown}, which this input does not create, holds one made elsewhere, "
                f"this input does not tell{tie}"
            ),
            *grant_evidence(pull.model, grant),
            cited(grant, Cite.PRINCIPAL),
            fix=f"Set principal_id in {grant.address} to {_principal(pull, kubelet)}."
            + ("" if created else " Or pass the kubelet's grants with --role-assignments."),
        )
    return _no_kubelet_grant(pull, kubelet, grants, secrets, fix)


def _no_kubelet_grant(
    pull: Pull, kubelet: KubeletIdentity, grants: ClusterGrants, secrets: bool, fix: str
) -> Finding:
    registry, tie = pull.registry, _tie(pull)
    if grants.undecided:
        grant = grants.undecided[0]
        role = judge_role(pull.model, grant, registry)
        if role.pulls is None and grant.role:
            return pull.finding(
                PP401,
                Verdict.UNKNOWN,
                f"{grant.address} grants role {grant.role}, {role.why}, to an identity of the cluster at a "
                f"scope that may contain {registry.label}{tie}",
                *grant_evidence(pull.model, grant),
                fix=role.fix,
            )
        return pull.finding(
            PP401,
            Verdict.UNKNOWN,
            f"{grant.address} may grant the cluster's nodes pull on {registry.label}, but its role, scope or "
            f"principal is known only after apply{tie}",
            *grant_evidence(pull.model, grant),
            fix=f"Give {grant.address} a role name (AcrPull), a scope (the registry's id) and a principal_id "
            f"({_principal(pull, kubelet)}) the plan can show.",
        )
    if secrets:
        return pull.finding(
            PP401,
            Verdict.UNKNOWN,
            f"{pull.image.owner} names image pull secrets, whose credential for {registry.label} Terraform "
            f"does not show, and nothing grants {kubelet.shown} pull there{tie}",
            fix=f"Confirm the pull secret holds a credential {registry.label} accepts, or: {fix}",
        )
    elsewhere, missed = near_misses(pull.model, registry, grants.elsewhere, grants.no_pull)
    if kubelet.origin is Kubelet.CREATED:
        return pull.finding(
            PP401,
            Verdict.FAIL,
            f"{kubelet.shown} is created in this input and nothing grants it pull on {registry.label}"
            f"{elsewhere}, and no image pull secret is named: the nodes' pull is refused (401 Unauthorized)"
            f"{tie}",
            *missed,
            fix=fix,
        )
    supplied = pull.model.role_assignments_file
    listed = f"nor in {supplied} (--role-assignments) " if supplied else ""
    if kubelet.origin is Kubelet.UNTOLD:
        return pull.finding(
            PP401,
            Verdict.UNKNOWN,
            "which identity the cluster's nodes pull with is known only after apply, and nothing "
            f"here grants the cluster pull on {registry.label}{tie}",
            cited(pull.workload, Cite.KUBELET_IDENTITY, "(known after apply)"),
            fix="Give the cluster's kubelet identity a value the plan can show (judge the sources: pullpath "
            f"scan, or plan --source-dir), or: {fix}",
        )
    return pull.finding(
        PP401,
        Verdict.UNKNOWN,
        f"the nodes pull as {kubelet.shown}, which this input does not create, and nothing here "
        f"{listed}grants it pull on {registry.label}{elsewhere}: a grant made elsewhere may exist{tie}",
        fix=f"{fix} Or pass the grants made elsewhere with --role-assignments (az role assignment list "
        "--all -o json): an entry for the kubelet's object ID, which a plan shows for a cluster it keeps, "
        "settles it.",
    )


def _what(pull: Pull) -> str:
    image = pull.image
    if image.shown and image.ref.value is None:
        return f"any image (attached by {image.owner})"
    if image.ref.value is None:
        return f"the image {image.attribute} names"
    return f"{image.text} ({image.owner})" if image.owner else image.text


def _tie(pull: Pull) -> str:
    cluster, owner = pull.workload.cluster, pull.image.owner
    if cluster is None or owner not in cluster.guessed:
        return ""
    return (
        f"; {owner} is taken to run on {pull.workload.address}, the only cluster in this input, as its "
        "provider configuration references no cluster"
    )


def _principal(pull: Pull, kubelet: KubeletIdentity) -> str:
    if kubelet.identity is not None:
        return f"{kubelet.identity.address}.principal_id"
    return f"{pull.workload.address}.{pull.workload.cite(Cite.KUBELET_IDENTITY)}"


def _kubelet_fix(pull: Pull, kubelet: KubeletIdentity) -> str:
    registry = pull.registry
    return _KUBELET_FIX.format(
        role=pull_role(registry),
        kubelet=kubelet.shown,
        registry=registry.label,
        registry_address=registry.address,
        principal=_principal(pull, kubelet),
    )


# -- network path ---------------------------------------------------------------------------------


def _network(pull: Pull) -> Finding:
    workload, registry = pull.workload, pull.registry
    cluster = workload.cluster
    assert cluster is not None
    pools = cluster.node_pools
    pull.evidence += [Evidence(pool.address, pool.attribute, _shown_subnet(pool)) for pool in pools]
    endpoints = registry_endpoints(pull.model, registry)
    outside_vnet = [pool for pool in pools if pool.subnet.is_set is False]
    untold = [pool for pool in pools if pool.subnet.is_set is None]
    note = _private_cluster_note(workload)
    if endpoints and not outside_vnet and not untold:
        return pull.finding(
            PP403,
            Verdict.PASS,
            f"the node pools sit in {_subnets(pull)} and {registry.label} has private endpoint "
            f"{endpoint_names(endpoints)}",
            *endpoint_evidence(registry, endpoints, Cite.ENDPOINT_SUBNET),
        )
    if registry.posture is Posture.FIREWALLED and not endpoints:
        return _egress(pull)
    if not endpoints:
        return pull.finding(
            PP403,
            Verdict.UNKNOWN,
            f"{registry.label} is closed to public access and no private endpoint for it is defined in this "
            f"input; AKS is not a trusted service, so the bypass does not admit the nodes{note}",
            cited(registry, Cite.BYPASS, registry.bypass or "(known after apply)"),
            fix=f'Add a private endpoint for {registry.label} (sub-resource "registry") in or peered '
            "with the node pools' VNet, with the privatelink.azurecr.io zone linked to it, or confirm the "
            "one another configuration owns.",
        )
    if outside_vnet:
        names = ", ".join(f"{pool.address}.{pool.attribute}" for pool in outside_vnet)
        return pull.finding(
            PP403,
            Verdict.UNKNOWN,
            f"{names} is not set: those nodes run in a VNet AKS creates, which private endpoint "
            f"{endpoints[0].address} is not shown to be in or peered with{note}",
            fix=f"Set {names} to a subnet of the endpoint's VNet (or a peered one), so the nodes reach "
            f"{registry.label} over its private endpoint.",
        )
    names = ", ".join(f"{pool.address}.{pool.attribute}" for pool in untold)
    return pull.finding(
        PP403,
        Verdict.UNKNOWN,
        f"the subnet of {names} is known only after apply, so whether the nodes reach private endpoint "
        f"{endpoints[0].address} is not told{note}",
        fix=f"Give {names} a subnet reference or ID the plan can show (or judge the sources).",
    )


def _shown_subnet(pool: NodePool) -> str:
    if pool.subnet.is_set is False:
        return "not set (a VNet AKS creates)"
    return pool.subnet.value or ", ".join(pool.subnet.targets) or "(known after apply)"


def _subnets(pull: Pull) -> str:
    cluster = pull.workload.cluster
    assert cluster is not None
    found = subnet_addresses(pull.model, [pool.subnet for pool in cluster.node_pools])
    return ", ".join(found) if found else "their subnets"


def _private_cluster_note(workload: Workload) -> str:
    cluster = workload.cluster
    if cluster is None or not cluster.private_cluster:
        return ""
    return " (private_cluster_enabled makes the API server private; it has no bearing on image pulls)"


def _egress(pull: Pull) -> Finding:
    """A firewalled registry reached over its public endpoint: the cluster's egress against its IP rules."""
    registry = pull.registry
    rules = registry.ip_rules
    pull.evidence.append(cited(registry, Cite.DEFAULT_ACTION, "Deny"))
    bypass = " (AKS is not a trusted service: the bypass does not admit it)"
    if rules is None:
        return pull.finding(
            PP404,
            Verdict.UNKNOWN,
            f"{registry.label} is firewalled and its IP rules are known only after apply",
            fix=f"Give the IP rules of {registry.label} values the plan can show (literal ranges, or a "
            "variable with a value).",
        )
    pull.evidence.append(cited(registry, Cite.IP_RULES, ", ".join(rules) or "none"))
    if not rules and registry.service_endpoint_rules:
        return pull.finding(
            PP404,
            Verdict.UNKNOWN,
            f"{registry.label} admits networks only through service-endpoint rules, which AKS can use when "
            "the node subnet has the Microsoft.ContainerRegistry service endpoint; which subnets they name "
            "is not judged",
            cited(registry, Cite.SERVICE_ENDPOINT_RULES),
            fix=f"Confirm a service-endpoint rule of {registry.label} names every node subnet, or "
            "pull over a private endpoint.",
        )
    if not rules:
        return pull.finding(
            PP404,
            Verdict.FAIL,
            f"{registry.label} denies public access by default and has no IP rule, so no egress address of "
            f"the cluster is admitted{bypass}",
        )
    addresses, where, evidence, unknown_fix = _egress_addresses(pull)
    pull.evidence += evidence
    if addresses is None and unknown_fix is None:
        return pull.finding(
            PP404,
            Verdict.UNKNOWN,
            where,
            fix="Give the cluster's outbound type (network_profile.outbound_type) a value the plan can show.",
        )
    if addresses is None:
        return pull.finding(PP404, Verdict.WARN, f"{where}{bypass}", fix=unknown_fix)
    if not addresses:
        return pull.finding(PP404, Verdict.FAIL, f"{where}{bypass}")
    if any(address is None for address in addresses):
        return pull.finding(
            PP404,
            Verdict.WARN,
            f"the nodes leave through {where}, whose address is known only after apply{bypass}",
            fix=f"Allow the public address of {where} in an IP rule of {registry.label}, or pull over a "
            "private endpoint.",
        )
    known = [address for address in addresses if address is not None]
    outside = outside_rules(known, rules)
    if not outside:
        return pull.finding(
            PP404,
            Verdict.PASS,
            f"the nodes leave through {where} from {', '.join(known)}, inside an IP rule of {registry.label}",
        )
    shown = ", ".join(outside)
    return pull.finding(
        PP404,
        Verdict.FAIL if len(outside) == len(known) else Verdict.WARN,
        f"the nodes leave through {where} from {shown}, which no IP rule of {registry.label} admits{bypass}",
        fix=f"Add an IP rule for {shown} to {registry.label}, or pull over a private endpoint.",
    )


#: Outbound types that give nodes no outbound path of their own (``none``, ``block``: preview).
_NO_EGRESS = frozenset({"none", "block"})


def _egress_addresses(
    pull: Pull,
) -> tuple[list[str | None] | None, str, list[Evidence], str | None]:
    """The cluster's egress addresses ([] none at all), or None with why not and the WARN's fix (None: an
    UNKNOWN, the outbound type itself not told)."""
    workload, registry = pull.workload, pull.registry
    cluster = workload.cluster
    assert cluster is not None
    kind = cluster.outbound_type
    evidence = [cited(workload, Cite.OUTBOUND_TYPE, kind or "(known after apply)")]
    allow = f"in an IP rule of {registry.label}, or pull over a private endpoint"
    public_nodes = [pool for pool in cluster.node_pools if pool.public_ips]
    if kind is None:
        return None, "the cluster's outbound type is known only after apply", evidence, None
    if public_nodes:
        names = ", ".join(pool.address for pool in public_nodes)
        return (
            None,
            f"nodes of {names} have public IPs of their own, which they leave from and which are known only "
            "after apply",
            evidence,
            f"Allow the node public IP prefix (node_public_ip_prefix_id) {allow}.",
        )
    lowered = kind.lower()
    if lowered in _NO_EGRESS:
        return (
            [],
            f"outbound type {kind} gives the nodes no outbound path to a public endpoint",
            evidence,
            None,
        )
    if lowered == "loadbalancer":
        return _load_balancer(pull, evidence, allow)
    if lowered == "userassignednatgateway":
        return _nat_gateways(pull, evidence, allow)
    if lowered == "managednatgateway":
        return (
            None,
            "the nodes leave through the NAT gateway AKS creates, whose outbound IPs are known only "
            "after apply",
            evidence,
            f"Allow the managed NAT gateway's outbound IPs (effective_outbound_ips) {allow}; or use "
            "userAssignedNATGateway with a public IP of your own.",
        )
    if lowered == "userdefinedrouting":
        return (
            None,
            "the nodes leave through the firewall or appliance the node subnets' 0.0.0.0/0 route leads to, "
            "whose public IP this rule does not judge",
            evidence,
            f"Allow the public IP of the egress firewall of the node subnets {allow}.",
        )
    return None, f"outbound type {kind} is not one pullpath knows", evidence, None


def _load_balancer(
    pull: Pull, evidence: list[Evidence], allow: str
) -> tuple[list[str | None] | None, str, list[Evidence], str | None]:
    workload = pull.workload
    cluster = workload.cluster
    assert cluster is not None
    named = cluster.load_balancer_ips
    if named is None:
        evidence.append(cited(workload, Cite.LOAD_BALANCER_OUTBOUND, "managed outbound IPs"))
        return (
            None,
            "the nodes leave through the outbound IPs AKS creates for the cluster's load balancer, "
            "known only after apply",
            evidence,
            "Name the load balancer's outbound IPs (load_balancer_profile.outbound_ip_address_ids) and allow "
            f"them {allow}.",
        )
    evidence.append(
        cited(workload, Cite.LOAD_BALANCER_OUTBOUND, ", ".join(ip or "(known after apply)" for ip in named))
    )
    return list(named), "the load balancer's named outbound IPs", evidence, None


def _nat_gateways(
    pull: Pull, evidence: list[Evidence], allow: str
) -> tuple[list[str | None] | None, str, list[Evidence], str | None]:
    model, cluster = pull.model, pull.workload.cluster
    assert cluster is not None
    subnets = subnet_addresses(model, [pool.subnet for pool in cluster.node_pools])
    gateways = [model.subnets[subnet].nat_gateway for subnet in subnets]
    known = [model.nat_gateways[g] for g in gateways if g and g in model.nat_gateways]
    if not subnets or len(known) < len(subnets):
        return (
            None,
            "the node subnets' NAT gateway is not in this configuration, so its public IP is not known",
            evidence,
            f"Allow the public IP of the node subnets' NAT gateway {allow}.",
        )
    evidence += [cited(gateway, Cite.NAT_PUBLIC_IP) for gateway in known]
    names = ", ".join(dict.fromkeys(gateway.address for gateway in known))
    return [ip for gateway in known for ip in gateway.public_ips], f"NAT gateway {names}", evidence, None
