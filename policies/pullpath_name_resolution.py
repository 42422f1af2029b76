"""pullpath's name-resolution rules (PP601-PP604) as checkov checks; logic lives in pullpath."""

from pullpath.checkov import register
from pullpath.rules import name_resolution

checks = register(name_resolution.RULES)
