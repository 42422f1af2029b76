"""The name (PP6xx) and route (PP7xx) layers, judged in one walk over the pull paths.

Every pull path is resolved once for both layers, so the layers cost one pass, not two.
"""

from __future__ import annotations

from collections.abc import Iterator

from pullpath.model import Finding, Model
from pullpath.rules import name_resolution, reachability
from pullpath.rules.network_paths import layer_findings

_LAYERS = (name_resolution.LAYER, reachability.LAYER)


def evaluate(model: Model) -> Iterator[Finding]:
    return layer_findings(model, _LAYERS)
