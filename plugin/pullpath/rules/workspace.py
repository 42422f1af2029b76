"""Findings that depend on ``terraform.workspace``, which ``.tf`` sources leave unknown until named.

A plan carries the values of the workspace it was made in; a scan of the sources does not know
which workspace they will be applied in, so a value built from ``terraform.workspace`` is UNKNOWN
(never the default workspace's: a registry closed only in ``prod`` would pass as open). Each rule
already judges such a value UNKNOWN; here its finding is told what settles it, ``--workspace``.
A resource that exists only in some workspaces (its ``count`` or ``for_each`` depends on one) is
judged as existing; a finding that rests on it is UNKNOWN too, whatever it would say if it exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec.structs import replace

from pullpath.model import Evidence, Finding, Model, Verdict

WORKSPACE = "terraform.workspace"
FIX = (
    "Pass --workspace NAME, the Terraform workspace this configuration is applied in (inside checkov, "
    "set TF_WORKSPACE), so terraform.workspace has the value terraform plan would give it."
)


def settle(model: Model, findings: Iterable[Finding]) -> list[Finding]:
    """The findings, each that depends on an unknown workspace saying so and naming ``--workspace``."""
    unknown = model.workspace_unknown
    if not unknown:
        return list(findings)
    return [_settled(finding, unknown) for finding in findings]


def _settled(finding: Finding, unknown: Mapping[str, frozenset[str]]) -> Finding:
    conditional = sorted(
        {
            evidence.address
            for evidence in finding.evidence
            if evidence.address != finding.workload.address and "" in unknown.get(evidence.address, ())
        }
    )
    if conditional:
        named = ", ".join(conditional)
        return replace(
            finding,
            verdict=Verdict.UNKNOWN,
            reason=f"{finding.verdict.name} if {named} exists, but whether it does depends on "
            f"terraform.workspace, which is unknown until a workspace is named ({finding.reason})",
            remediation=FIX,
        )
    if finding.verdict is not Verdict.UNKNOWN:
        return finding
    image = finding.image
    if (image is not None and WORKSPACE in image.ref.targets) or any(
        _depends(evidence, unknown) for evidence in finding.evidence
    ):
        return replace(finding, reason=_reason(finding.reason), remediation=FIX)
    return finding


def _reason(reason: str) -> str:
    """The reason with the workspace as the cause: what a rule calls "known only after apply" is not."""
    if _AFTER_APPLY in reason:
        return reason.replace(_AFTER_APPLY, _UNTIL_NAMED, 1)
    return f"{reason}; terraform.workspace decides it, and is unknown until a workspace is named"


_AFTER_APPLY = "known only after apply"
_UNTIL_NAMED = "unknown until a workspace is named (terraform.workspace decides)"


def _depends(evidence: Evidence, unknown: Mapping[str, frozenset[str]]) -> bool:
    """Whether the evidence cites an attribute (or a part of one) whose value the workspace decides."""
    cited = evidence.attribute
    return any(
        path
        and (
            cited == path
            or cited.startswith((path + ".", path + "["))
            or path.startswith((cited + ".", cited + "["))
        )
        for path in unknown.get(evidence.address, ())
    )
