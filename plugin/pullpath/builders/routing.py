"""App Service image pull routing, from every place that can turn it on, in any dialect.

A site property (``vnet_image_pull_enabled``, ``vnetImagePullEnabled``,
``outboundVnetRouting.imagePullTraffic`` or ``allTraffic``), the app setting
``WEBSITE_PULL_IMAGE_OVER_VNET``, and azapi patches of either: Microsoft documents that any one of
them routes the pull, so one that is on is enough, and one known only after apply keeps the answer
open.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from pullpath.model import Evidence

PULL_OVER_VNET_SETTING = "WEBSITE_PULL_IMAGE_OVER_VNET"
ROUTE_ALL_SETTING = "WEBSITE_VNET_ROUTE_ALL"
#: Site properties (paths inside an ARM body) that route the image pull, oldest first.
SITE_ROUTING_PATHS: tuple[tuple[str, ...], ...] = (
    ("properties", "vnetImagePullEnabled"),
    ("properties", "outboundVnetRouting", "imagePullTraffic"),
    ("properties", "outboundVnetRouting", "allTraffic"),  # turns every other routing option on
)


class Source(msgspec.Struct, frozen=True):
    """One place that says whether the pull is routed; ``shown`` False keeps an unset one out of evidence."""

    state: bool | None
    evidence: Evidence
    shown: bool = True


def pull_routing(sources: Sequence[Source]) -> tuple[bool | None, list[Evidence]]:
    """Routed when any source is on (citing those), unknown when any is unknown, else not routed."""
    routed = any_state([source.state for source in sources])
    evidence = [source.evidence for source in sources if source.shown]
    if routed:
        return True, [source.evidence for source in sources if source.state is True]
    return routed, evidence


def any_state(states: Sequence[bool | None]) -> bool | None:
    """True when any state is True; else None when any is known only after apply; else False."""
    return True if True in states else (None if None in states else False)


def shown(state: bool | None) -> str:
    return "(known after apply)" if state is None else str(state).lower()
