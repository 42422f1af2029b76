"""The ``.tf`` reader: Terraform sources -> the same Resource records the plan reader produces.

``roots`` finds root modules in a tree, ``reader`` walks one root's module instances, ``evaluate``
evaluates expressions the way ``terraform plan`` would (unknown where only apply can tell),
``dialects`` hides which hcl2 parser is installed, ``syntax`` parses expression text.
"""

from pullpath.readers.hcl.config import Loader
from pullpath.readers.hcl.reader import RootRead, read_root
from pullpath.readers.hcl.roots import find_roots

__all__ = ["Loader", "RootRead", "find_roots", "read_root"]
