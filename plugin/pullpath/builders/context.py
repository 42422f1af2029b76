"""What a builder is handed besides its own resource, and how it is registered."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import msgspec
from msgspec.structs import replace

from pullpath.builders.values import Index, kind_of
from pullpath.model import NatGateway, Ref, Resource, Subnet, UserIdentity, Workload

T = TypeVar("T")


class Role(enum.Enum):
    """Which part of the model a builder's result joins."""

    WORKLOAD = "workload"
    REGISTRY = "registry"
    PRIVATE_ENDPOINT = "private_endpoint"
    IDENTITY = "identity"
    GRANT = "grant"
    # Looked up by the workloads that name them, in whichever dialect wrote them; not model lists.
    ENVIRONMENT = "environment"
    SERVICE_PLAN = "service_plan"
    PATCH = "patch"  # azapi_update_resource: read by the builder of the resource it patches
    HOSTING_ENVIRONMENT = "hosting_environment"  # an App Service Environment, looked up by its plans
    ML_WORKSPACE = "ml_workspace"  # a machine learning workspace: listed in the model
    ROLE_DEFINITION = "role_definition"  # listed in the model, and looked up by the grants that name it


class Context:
    """Every resource of the input by kind, address and id, for builders that follow references.

    ``once`` keeps what a dialect works out over the whole input (which apps a connection
    resource integrates) so that it is computed once per model, not once per resource.
    """

    def __init__(self, resources: Sequence[Resource], builders: Mapping[str, Builder]) -> None:
        self.index = Index(resources)
        self.builders = builders
        self._kinds = {
            role: {kind for kind, built in builders.items() if built.role is role} for role in Role
        }
        self.of_kind: dict[str, list[Resource]] = {}
        for resource in resources:
            self.of_kind.setdefault(kind_of(resource), []).append(resource)
        self._once: dict[Callable[[Context], Any], Any] = {}
        self._built: dict[str, Any] = {}

    def kinds(self, *kinds: str) -> list[Resource]:
        return [resource for kind in kinds for resource in self.of_kind.get(kind, ())]

    def follow(self, ref: Ref, role: Role) -> list[Resource]:
        """The resources ``ref`` names whose builder plays ``role``, in any dialect."""
        return self.index.follow(ref, self._kinds[role])

    def built(self, resource: Resource) -> Any:
        """What ``resource``'s builder makes of it (an environment, a plan), built once per model.

        Whether the input creates a workload or an identity is the reader's fact (a plan's actions),
        the same in every dialect, so it is set here rather than by each builder.
        """
        if resource.address not in self._built:
            made = self.builders[kind_of(resource)].build(resource, self)
            if resource.created is not None and isinstance(made, (Workload, UserIdentity)):
                made = replace(made, created=resource.created)
            self._built[resource.address] = made
        return self._built[resource.address]

    def once(self, compute: Callable[[Context], T]) -> T:
        if compute not in self._once:
            self._once[compute] = compute(self)
        result: T = self._once[compute]
        return result


class Builder(msgspec.Struct, frozen=True):
    role: Role
    build: Callable[[Resource, Context], Any]


#: Subnets and NAT gateways, which come from several resources each (associations, nested subnets).
Network = Callable[[Context], tuple[dict[str, Subnet], dict[str, NatGateway]]]
