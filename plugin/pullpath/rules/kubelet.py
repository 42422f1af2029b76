"""Who pulls for an AKS cluster, the grants that name it, and the registries those grants attach.

An AKS cluster's nodes pull with the kubelet identity: a user-assigned identity the cluster names
(``kubelet_identity[0].user_assigned_identity_id``), or one AKS creates with the cluster, granted by
reference to ``<cluster>.kubelet_identity[0].object_id``. The cluster's own (control-plane) identity,
``identity[0].principal_id`` or a user-assigned identity in ``identity_ids``, never pulls images. A
grant is told apart by the attribute its ``principal_id`` expression names (``Resource.ref_attributes``).

``azurerm_kubernetes_cluster`` has no ``attach_acr``: a pull role granted to the kubelet at a scope
containing a registry is the attach, and a pull path of its own (:func:`attached_images`), as is the
same grant mistakenly made to the control plane, so that the rules can say so.
"""

from __future__ import annotations

import enum

import msgspec

from pullpath.addresses import split_address
from pullpath.model import Image, Model, Ref, Registry, RoleAssignment, UserIdentity, Workload
from pullpath.resolve import resolve_image
from pullpath.rules.grants import contains
from pullpath.rules.roles import judge_role


class Whom(enum.Enum):
    """Which of a cluster's identities a grant is made to."""

    KUBELET = "kubelet"
    KUBELET_CLIENT_ID = "kubelet client ID"  # the kubelet identity's client ID: no principal at all
    CONTROL_PLANE = "control plane"
    UNTOLD = "untold"  # the cluster, or an expression the input does not trace: which identity is not told


class Kubelet(enum.Enum):
    """Where a cluster's kubelet identity comes from, as far as grants are concerned."""

    CREATED = "created"  # created here (by AKS with the cluster, or a user-assigned identity defined here)
    #: an identity or service principal from outside this input, or one a plan keeps (it exists, with
    #: the cluster): grants may be elsewhere
    OUTSIDE = "outside"
    UNTOLD = "untold"  # known only after apply


class KubeletIdentity(msgspec.Struct, frozen=True):
    origin: Kubelet
    identity: UserIdentity | None = None  # the user-assigned identity, when this input defines or reads it
    shown: str = ""  # how a finding names it


class ClusterGrants(msgspec.Struct, frozen=True):
    """What the grants naming a cluster's identities say about one registry."""

    kubelet: tuple[RoleAssignment, ...] = ()  # a pull role at a scope containing the registry
    client_id: tuple[RoleAssignment, ...] = ()  # would cover it, but name the kubelet's client ID
    control_plane: tuple[RoleAssignment, ...] = ()  # would cover it, granted to the control plane
    undecided: tuple[RoleAssignment, ...] = ()  # role, scope or principal the input cannot tell
    elsewhere: tuple[RoleAssignment, ...] = ()  # a kubelet pull role at scopes not containing it
    #: a kubelet role known to hold no pull, at a scope that may contain it
    no_pull: tuple[RoleAssignment, ...] = ()


def kubelet_identity(model: Model, workload: Workload) -> KubeletIdentity:
    cluster = workload.cluster
    if cluster is None or cluster.service_principal:
        return KubeletIdentity(Kubelet.OUTSIDE, shown="the cluster's service principal")
    named = cluster.kubelet
    if named.is_set is False and workload.created is False:  # a plan keeps the cluster
        return KubeletIdentity(Kubelet.OUTSIDE, shown=f"the kubelet identity AKS made for {workload.address}")
    if named.is_set is False:
        return KubeletIdentity(
            Kubelet.CREATED, shown=f"the kubelet identity AKS creates for {workload.address}"
        )
    if named.is_set is None:
        return KubeletIdentity(Kubelet.UNTOLD, shown="the kubelet identity (known only after apply)")
    identity = _identity(model, named)
    if identity is None:
        return KubeletIdentity(
            Kubelet.OUTSIDE, shown=f"kubelet identity {named.value or ', '.join(named.targets)}"
        )
    origin = Kubelet.CREATED if identity.defined and identity.created is not False else Kubelet.OUTSIDE
    return KubeletIdentity(origin, identity, f"kubelet identity {identity.address}")


def _identity(model: Model, ref: Ref) -> UserIdentity | None:
    index = model.index.identities
    for target in ref.targets:
        if target in index:
            return index[target]
    return index.get(ref.value.lower()) if ref.value else None


def grants_for(model: Model, workload: Workload, registry: Registry) -> ClusterGrants:
    """The grants to the cluster's identities, sorted by what they mean for pulling from ``registry``."""
    sorted_: dict[str, list[RoleAssignment]] = {name: [] for name in ClusterGrants.__struct_fields__}
    for grant, whom in _candidates(model, workload):
        role, scope = judge_role(model, grant, registry).pulls, contains(grant.scope, registry)
        if role is False:
            if scope is not False and whom is Whom.KUBELET:
                sorted_["no_pull"].append(grant)
            continue
        if role is None or scope is None or (whom is Whom.UNTOLD and scope):
            sorted_["undecided"].append(grant)
        elif not scope:
            if whom is Whom.KUBELET:
                sorted_["elsewhere"].append(grant)
        elif whom is Whom.KUBELET:
            sorted_["kubelet"].append(grant)
        elif whom is Whom.KUBELET_CLIENT_ID:
            sorted_["client_id"].append(grant)
        elif whom is Whom.CONTROL_PLANE:
            sorted_["control_plane"].append(grant)
    return ClusterGrants(**{name: tuple(found) for name, found in sorted_.items()})


def _candidates(model: Model, workload: Workload) -> list[tuple[RoleAssignment, Whom]]:
    """Every grant that may be to one of the cluster's identities, with the one it is to."""
    index = model.index
    kubelet = kubelet_identity(model, workload).identity
    plane = [index.identities[t] for t in workload.identities.user.targets if t in index.identities]
    plane += [index.identities[i] for i in workload.identities.user_ids if i in index.identities]
    keys = {workload.address}
    made = workload.cluster.kubelet_object_id if workload.cluster else None
    if made:
        keys.add(made.lower())
    for identity in [kubelet, *plane]:
        if identity is not None:
            keys |= {identity.address, *([identity.principal_id.lower()] if identity.principal_id else [])}
    found: dict[str, tuple[RoleAssignment, Whom]] = {}
    for key in sorted(keys):
        for grant in index.grants_by_principal.get(key, ()):
            found.setdefault(grant.address, (grant, _whom(grant, workload, kubelet, plane)))
    for grant in model.role_assignments:  # a principal from a local or variable the input does not trace
        if grant.address not in found and _untraced(grant, model):
            found[grant.address] = (grant, Whom.UNTOLD)
    return list(found.values())


def _whom(
    grant: RoleAssignment, workload: Workload, kubelet: UserIdentity | None, plane: list[UserIdentity]
) -> Whom:
    principal = grant.principal
    made = workload.cluster.kubelet_object_id if workload.cluster else None
    if made and (principal.value or "").lower() == made.lower():
        return Whom.KUBELET  # the object ID of the kubelet identity AKS made
    if kubelet is not None and (
        kubelet.address in principal.targets
        or (kubelet.principal_id and (principal.value or "").lower() == kubelet.principal_id.lower())
    ):
        client = f"{kubelet.address}.client_id" in grant.principal_attributes
        return Whom.KUBELET_CLIENT_ID if client else Whom.KUBELET
    if workload.address in principal.targets:
        prefix = workload.address + "."
        chains = [a[len(prefix) :] for a in grant.principal_attributes if a.startswith(prefix)]
        kubelet_chains = [c for c in chains if c.startswith("kubelet_identity") or c.startswith("output.")]
        if kubelet_chains:
            client = any(c.lower().endswith(("client_id", "clientid")) for c in kubelet_chains)
            return Whom.KUBELET_CLIENT_ID if client else Whom.KUBELET
        if any(chain.startswith("identity") for chain in chains):
            return Whom.CONTROL_PLANE
        return Whom.UNTOLD
    if any(identity.address in principal.targets for identity in plane):
        return Whom.CONTROL_PLANE
    return Whom.UNTOLD


def _untraced(grant: RoleAssignment, model: Model) -> bool:
    """A principal the input cannot trace: neither a known ID nor a reference to a resource it holds."""
    principal = grant.principal
    if principal.value or not principal.targets:
        return False
    return not any(target in model.addresses for target in principal.targets) and all(
        split_address(target)[0] in ("var", "local", "module") for target in principal.targets
    )


def attached_images(model: Model, workload: Workload) -> tuple[Image, ...]:
    """A pull path for each registry a pull role granted to the kubelet (or, by mistake, to the control
    plane) attaches to the cluster, unless an image the cluster runs already names that registry."""
    if workload.cluster is None:
        return ()
    named = {
        registry.address for image in workload.images for registry in resolve_image(image, model).registries
    }
    attaching: dict[str, RoleAssignment] = {}
    for grant, whom in sorted(_candidates(model, workload), key=lambda pair: pair[1] is not Whom.KUBELET):
        if whom in (Whom.KUBELET, Whom.CONTROL_PLANE) and judge_role(model, grant).pulls:
            for registry in model.registries:
                if registry.address not in named and contains(grant.scope, registry):
                    attaching.setdefault(registry.address, grant)
    per_grant: dict[str, int] = {}
    for grant in attaching.values():
        per_grant[grant.address] = per_grant.get(grant.address, 0) + 1
    return tuple(
        Image(
            Ref(targets=(registry,), configured=True),
            f"{grant.address}.scope" + ("" if per_grant[grant.address] == 1 else f" ({registry})"),
            owner=grant.address,
            shown="(any image: the grant attaches the registry)",
        )
        for registry, grant in attaching.items()
    )
