"""Attributes the azurerm provider the configuration runs does not have: PP902.

``terraform plan`` validates every argument against the provider's schema before it plans anything:
an argument the locked azurerm version does not know (``vnet_image_pull_enabled`` on a Linux web
app before 4.36) or no longer knows (a container group's ``network_profile_id`` from 4.0) stops the
plan with "An argument named ... is not expected here", and a resource type it lacks with "The
provider hashicorp/azurerm does not support resource type". Nothing is deployed, so a pull path
judged on that attribute does not exist: the findings that rest on the rejected resource are
replaced by this rule's FAIL (:func:`supersede`) rather than judged as if the attribute worked.

The family is PP9xx: like PP901 (a restriction the SKU refuses at apply), it is about the
configuration's resources themselves, before any pull, and it applies to any kind of resource, a
registry, a plan or a workload. The versions come from :mod:`pullpath.azurerm_attributes`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pullpath import resource_types as rt
from pullpath.azurerm_attributes import GATED_TYPES, TYPE, span
from pullpath.model import Evidence, Finding, Model, Setting, Verdict, Workload, WorkloadKind
from pullpath.provider_version import Versions, azurerm_versions
from pullpath.rules import sources
from pullpath.rules.base import Rule
from pullpath.rules.examples import provider_versions as examples

PP902 = Rule(
    id="PP902",
    slug="azurerm-version-lacks-attribute",
    title="Configuration sets an attribute the azurerm version it runs does not have: terraform plan fails",
    topic="azurerm provider version for the attributes the configuration sets",
    severity="HIGH",
    resource_types=GATED_TYPES,
    applies_to=(
        "every azurerm resource type and attribute pullpath reads that some azurerm version lacks "
        "(the table in plugin/pullpath/azurerm_attributes.py)"
    ),
    rationale=(
        "Terraform validates the configuration against the provider's schema before it plans: an argument "
        'the provider version does not have, or no longer has, stops terraform plan with "An argument '
        'named ... is not expected here", and a resource type it lacks with "The provider '
        'hashicorp/azurerm does not support resource type". Nothing is deployed, so the pull the '
        "attribute was meant to enable (vnet_image_pull_enabled on a Linux web app needs azurerm 4.36, "
        "virtual_network_image_pull_enabled on a Windows web app 4.52, container group subnet_ids 3.29) "
        "never happens. pullpath reports this instead of judging the pull as if the attribute worked."
    ),
    remediation=(
        "Run an azurerm version that has the attribute: widen the required_providers version constraint "
        "and run terraform init -upgrade so .terraform.lock.hcl records the new version; or remove the "
        "attribute and use what the locked version offers (for image pull routing, app setting "
        'WEBSITE_PULL_IMAGE_OVER_VNET = "true").'
    ),
    references=(
        sources.AZURERM_CHANGELOG,
        sources.AZURERM_4_UPGRADE_GUIDE,
        sources.TERRAFORM_LOCK_FILE,
        sources.TERRAFORM_VERSION_CONSTRAINTS,
    ),
    failing_example=examples.PP902_FAILING,
    fixed_example=examples.PP902_FIXED,
    detection=(
        "Every attribute (and resource type) the configuration sets that the table of "
        "plugin/pullpath/azurerm_attributes.py gives a first or a last azurerm version for, with its "
        "CHANGELOG entry, against the version in .terraform.lock.hcl, else the range the root module's "
        'required_providers constraint for hashicorp/azurerm allows ("~> 4.41" is 4.41 up to 5.0; '
        "terraform init installs the newest the constraint allows). FAIL when no version in range has "
        "it; UNKNOWN for an app type that was only a beta behind ARM_THREEPOINTZERO_BETA_RESOURCES. A plan "
        "alone carries no provider version (and a plan that exists was accepted), so it gets no finding."
    ),
    alternatives=(
        "Move the resource to the azapi provider, whose body takes any property of the API version.",
    ),
)

RULES = (PP902,)


def evaluate(model: Model) -> Iterator[Finding]:
    versions = azurerm_versions(model.azurerm_version, model.azurerm_constraint)
    if not versions.known:
        return
    workloads = {workload.address: workload for workload in model.workloads}
    for setting in model.settings:
        finding = _judge(workloads, versions, setting)
        if finding is not None:
            yield finding


def _judge(workloads: Mapping[str, Workload], versions: Versions, setting: Setting) -> Finding | None:
    entry = span(setting.type, setting.attribute)
    if entry is None:
        return None
    has = versions.has(entry.since, entry.until)
    beta = entry.beta is not None and versions.has(entry.beta) is True and versions.has(entry.since) is False
    if has is not False:
        return None
    what = (
        f"resource type {setting.type}"
        if setting.attribute == TYPE
        else f"{setting.attribute} on {setting.type}"
    )
    when = _when(entry.since, entry.until)
    evidence = [
        Evidence(setting.address, setting.attribute or "", "set" if setting.attribute else None),
        Evidence("provider.azurerm", "version", versions.shown()),
    ]
    subject = workloads.get(setting.address) or _subject(setting)
    if beta:
        return PP902.finding(
            Verdict.UNKNOWN,
            subject,
            None,
            None,
            f"{versions.source} has {what} only as a beta behind ARM_THREEPOINTZERO_BETA_RESOURCES ({when}; "
            f"{entry.reference}); terraform plan rejects it unless that variable is true",
            evidence,
            fix="Upgrade azurerm to 3.0 or later (constraint and terraform init -upgrade), or confirm that "
            "ARM_THREEPOINTZERO_BETA_RESOURCES=true where terraform runs.",
        )
    return PP902.finding(
        Verdict.FAIL,
        subject,
        None,
        None,
        f"{versions.source} does not have {what} ({when}; {entry.reference}), so terraform plan rejects "
        "the configuration and nothing is deployed; the pull paths of this resource are judged once it plans",
        evidence,
        fix=_fix(setting, entry.since, entry.until),
    )


def _when(first: tuple[int, int, int] | None, until: tuple[int, int, int] | None) -> str:
    parts = ([f"from azurerm {_dotted(first)}"] if first else []) + (
        [f"removed in {_dotted(until)}"] if until else []
    )
    return ", ".join(parts)


def _fix(setting: Setting, first: tuple[int, int, int] | None, until: tuple[int, int, int] | None) -> str:
    if until is not None:
        return (
            f"Remove {setting.attribute or setting.type} (azurerm {_dotted(until)} removed it; see the "
            "upgrade guide for what replaces it), or pin azurerm below that version in required_providers "
            "and run terraform init -upgrade."
        )
    attribute = rt.APP_SERVICES.get(setting.type)
    instead = (
        '; or remove it and set app_settings WEBSITE_PULL_IMAGE_OVER_VNET = "true", which every version has'
        if attribute and setting.attribute == attribute
        else ""
    )
    version = _dotted(first) if first else "a later version"
    return (
        f"Require azurerm {version} or later (a required_providers version constraint such as "
        f'"~> {version.rsplit(".", 1)[0]}") and run terraform init -upgrade so .terraform.lock.hcl records '
        f"it{instead}."
    )


def _dotted(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def _subject(setting: Setting) -> Workload:
    """A resource that is not a workload, as a finding's subject (a registry, as PP901 has it)."""
    kind = {rt.REGISTRY: WorkloadKind.REGISTRY, rt.ML_WORKSPACE: WorkloadKind.ML_WORKSPACE}.get(
        setting.type, WorkloadKind.RESOURCE
    )
    return Workload(setting.address, setting.type, kind, (), location=setting.location)


def supersede(findings: Sequence[Finding]) -> list[Finding]:
    """The findings, less those that rest on a resource whose configuration terraform plan rejects.

    A FAIL of PP902 on a resource means nothing of it is deployed: a finding about it, about a pull
    from it, or citing it as evidence would judge it as if the attribute worked.
    """
    rejected = {f.workload.address for f in findings if f.rule == PP902.id and f.verdict is Verdict.FAIL}
    if not rejected:
        return list(findings)
    return [
        finding
        for finding in findings
        if finding.rule == PP902.id
        or not (
            finding.workload.address in rejected
            or finding.registry in rejected
            or any(evidence.address in rejected for evidence in finding.evidence)
        )
    ]
