"""Azure Machine Learning environment images built in a restricted registry: PP903.

A machine learning workspace builds each environment's Docker image in its container registry. By
default it builds on serverless compute, which works only when the registry is under no network
restriction; a registry behind a VNet (public access off, or a firewall) needs an image build
compute: a compute cluster in the registry's network, named by ``image_build_compute_name``.
Without one, every environment build fails, and so does every job or deployment that needs it.
The family is PP9xx: the registry's restriction stops its own image builds, before any pull.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath import resource_types as rt
from pullpath.model import (
    Cite,
    Finding,
    MlWorkspace,
    Model,
    Posture,
    Registry,
    Verdict,
    Workload,
    WorkloadKind,
    cited,
)
from pullpath.rules import sources
from pullpath.rules.base import Rule, registry_evidence
from pullpath.rules.examples import image_builds as examples

PP903 = Rule(
    id="PP903",
    slug="ml-image-build-restricted-registry",
    title="Machine learning workspace builds images in a restricted registry without an image build compute",
    topic="Machine learning environment image builds in the workspace's registry",
    severity="HIGH",
    resource_types=rt.ML_WORKSPACE_KINDS,
    applies_to="azurerm_machine_learning_workspace and azapi Microsoft.MachineLearningServices/workspaces",
    rationale=(
        "Azure Machine Learning builds environment images with serverless compute by default, which "
        '"works only when the workspace-dependent resources such as Storage Account or Container Registry '
        "are not under any network restriction\". When the workspace's registry is behind a virtual "
        "network (public network access disabled, or a firewall that denies by default) it cannot be used "
        "to build images directly: the workspace needs an image build compute, a CPU compute cluster in "
        "the registry's network, or every environment image build fails."
    ),
    remediation=(
        "Create an Azure Machine Learning CPU compute cluster (azurerm_machine_learning_compute_cluster) "
        "in a subnet that reaches the registry's private endpoint, with outbound access to the package "
        "repositories the images install from, and name it in image_build_compute_name on the workspace."
    ),
    references=(sources.ML_SECURE_WORKSPACE_VNET, sources.ML_MANAGED_NETWORK_IMAGE_BUILDS),
    failing_example=examples.PP903_FAILING,
    fixed_example=examples.PP903_FIXED,
    detection=(
        "container_registry_id of the workspace (azapi: properties.containerRegistry), resolved to a "
        "registry of the input by reference or ID, its network posture (public_network_access_enabled, "
        "network_rule_set), and image_build_compute_name (azapi: properties.imageBuildCompute). A "
        "restricted registry without an image build compute is a FAIL, with one a PASS; a registry whose "
        "posture is unknown, or defined outside the input, gives UNKNOWN without an image build compute. "
        "A workspace without container_registry_id gets a registry of its own, open, and no finding."
    ),
    alternatives=(
        "Lift the registry's network restriction (public access on, default action Allow), accepting a "
        "registry any network can reach with credentials.",
    ),
)

RULES = (PP903,)


def evaluate(model: Model) -> Iterator[Finding]:
    for workspace in model.ml_workspaces:
        finding = _judge(model, workspace)
        if finding is not None:
            yield finding


def _judge(model: Model, workspace: MlWorkspace) -> Finding | None:
    if workspace.registry.is_set is False:
        return None
    subject = Workload(
        workspace.address, workspace.type, WorkloadKind.ML_WORKSPACE, (), location=workspace.location
    )
    compute = workspace.image_build_compute.is_set
    registries = _registries(model, workspace)
    registry = registries[0] if registries else None
    label = registry.label if registry else workspace.registry.value or "its container registry"
    evidence = [
        cited(workspace, Cite.REGISTRY_ID, registry.address if registry else workspace.registry.value)
    ]
    evidence += registry_evidence(registry) if registry else []
    if compute is not False:
        evidence.append(cited(workspace, Cite.IMAGE_BUILD_COMPUTE, workspace.image_build_compute.value))
        if registry is None or registry.posture in (Posture.OPEN, Posture.UNKNOWN):
            return None  # images build on the compute it names, whatever the registry allows
        return PP903.finding(
            Verdict.PASS,
            subject,
            None,
            registry,
            f"registry {label} is {registry.posture.value}, and the workspace builds its images on the "
            "compute it names as its image build compute, not on serverless compute",
            evidence,
        )
    evidence.append(cited(workspace, Cite.IMAGE_BUILD_COMPUTE, "not set"))
    if registry is None or not registry.defined:
        return PP903.finding(
            Verdict.UNKNOWN,
            subject,
            None,
            registry or label,
            f"the workspace builds its images on serverless compute in {label}, which this input does not "
            "define; serverless builds fail when the registry is under a network restriction",
            evidence,
            fix="Judge the configuration that defines the registry together with this one"
            + (", or pass its settings (az acr show) with --registry-inventory" if registry else "")
            + ", or set image_build_compute_name to a compute cluster that reaches the registry.",
        )
    if registry.posture is Posture.UNKNOWN:
        return PP903.finding(
            Verdict.UNKNOWN,
            subject,
            None,
            registry,
            f"the workspace builds its images on serverless compute in {label}, whose network settings are "
            "known only after apply; serverless builds fail when the registry is under a network restriction",
            evidence,
            fix=f"Give the network settings of {label} values the plan can show, or set "
            "image_build_compute_name.",
        )
    if registry.posture is Posture.OPEN:
        return None
    return PP903.finding(
        Verdict.FAIL,
        subject,
        None,
        registry,
        f"registry {label} is {registry.posture.value} and the workspace names no image build compute: "
        "serverless compute, the default, cannot build images in a registry under a network restriction, "
        "so every environment image build fails",
        evidence,
    )


def _registries(model: Model, workspace: MlWorkspace) -> list[Registry]:
    """The registries of the input the workspace's registry reference names, by address or by ID."""
    ref = workspace.registry
    wanted = ref.value.lower() if ref.value else None
    return [
        registry
        for registry in model.registries
        if registry.address in ref.targets or (wanted and registry.id and registry.id.lower() == wanted)
    ]
