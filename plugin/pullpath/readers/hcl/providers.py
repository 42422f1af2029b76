"""Which cluster a Kubernetes or Helm resource of a ``.tf`` configuration runs on: what its provider
block references.

A resource uses the provider configuration its ``provider`` argument names (``kubernetes.aks``), else
the default one of its type's provider (``kubernetes``, ``helm``), looked up in its own module and then
in each calling module, through a module call's ``providers`` map. The references of that block's
expressions (``host = azurerm_kubernetes_cluster.k.kube_config[0].host``, Helm's nested
``kubernetes`` block) are recorded under the ``("provider",)`` path of the resource, as the plan reader
records a plan's ``provider_config``.
"""

from __future__ import annotations

from pullpath.readers.hcl.config import ResourceConfig
from pullpath.readers.hcl.evaluate import ATTRIBUTE_MARK, ModuleInstance, Scan
from pullpath.readers.hcl.syntax import Expr, GetAttr, Lit, Name, ObjectExpr

_MAX_DEPTH = 64


def provider_references(scan: Scan, module: ModuleInstance, resource: ResourceConfig) -> frozenset[str]:
    """The addresses the provider configuration of ``resource`` references; empty when it has none."""
    key = _provider_name(resource.body.attributes.get("provider")) or resource.type.split("_")[0]
    instance: ModuleInstance | None = module
    for _ in range(_MAX_DEPTH):
        if instance is None:
            break
        body = instance.config.providers.get(key)
        if body is not None:
            try:
                _, refs = scan.evaluate_body(body, instance.env)
            except Exception as error:  # a limit of the evaluation: the tie is untold, not a crash
                scan.exceeded(error)
                return frozenset()
            return frozenset(a for found in refs.values() for a in found if a[:1] != ATTRIBUTE_MARK)
        call = instance.call
        if call is None or instance.call_env is None:
            break
        key = _passed(call.body.attributes.get("providers")).get(key, key)
        instance = instance.call_env.module
    return frozenset()


def _provider_name(expr: Expr | None) -> str | None:
    """``kubernetes.aks`` (a traversal, or a string in ``.tf.json``) -> ``"kubernetes.aks"``."""
    if isinstance(expr, Lit) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, GetAttr) and isinstance(expr.target, Name):
        return f"{expr.target.name}.{expr.name}"
    return None


def _passed(expr: Expr | None) -> dict[str, str]:
    """A module call's ``providers = { kubernetes = kubernetes.aks }``: child name -> parent name."""
    if not isinstance(expr, ObjectExpr):
        return {}
    passed: dict[str, str] = {}
    for key, value in expr.items:
        child, parent = _provider_name(key), _provider_name(value)
        if child and parent:
            passed[child] = parent
    return passed
