"""Which image hosts have no public address: what PP106 needs to know about a non-ACR registry.

A container group in a VNet can pull only from ACR or from a registry with a public address; ACI
does not support non-ACR registries without one, even when the VNet reaches them. A host has no
public address when it is:

- an IP literal that is not globally routable: RFC 1918 (10/8, 172.16/12, 192.168/16), unique local
  IPv6 (fc00::/7), loopback (127/8, ::1), link-local (169.254/16, fe80::/10), shared (100.64/10);
- a single-label name (``myregistry:5000``, ``localhost``), which only a private resolver answers;
- a name under a suffix reserved or customary for private networks: ``.local`` (RFC 6762, and so
  Kubernetes ``*.svc.cluster.local``), ``.localhost`` (RFC 6761), ``.home.arpa`` (RFC 8375),
  ``.internal`` (reserved by ICANN for private use), and ``.corp``, ``.home``, ``.lan``,
  ``.localdomain`` (never delegated, common inside companies);
- a name with a ``privatelink`` label (``myacr.privatelink.azurecr.io``), which resolves only
  through a private DNS zone linked to a VNet.

Any other name may well have a public address (the configuration cannot tell), so it is not judged.
"""

from __future__ import annotations

import ipaddress

PRIVATE_SUFFIXES = (
    ".local",
    ".localhost",
    ".home.arpa",
    ".internal",
    ".corp",
    ".home",
    ".lan",
    ".localdomain",
)


def host_name(host: str) -> str:
    """The name or address of a registry host, without its port and IPv6 brackets."""
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host[1:]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() else host


def without_public_address(host: str) -> str | None:
    """Why ``host`` has no public address, or None when it may have one."""
    name = host_name(host).lower().rstrip(".")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None:
        return (
            None
            if address.is_global
            else f"{name} is not a public IP address (private, loopback or link-local)"
        )
    if "." not in name:
        return f"{name} is a single-label host name, which only a private DNS resolver answers"
    if "privatelink" in name.split(".")[:-1]:
        return (
            f"{name} is a privatelink name, which resolves only through a private DNS zone linked to a VNet"
        )
    for suffix in PRIVATE_SUFFIXES:
        if name.endswith(suffix):
            return f"{name} is under {suffix}, a DNS suffix of private networks"
    return None
