"""What a file given to ``pullpath plan`` is when it is not plan JSON: the common mistakes, named.

``terraform plan -out plan.out`` writes a binary file (a zip archive); ``terraform show plan.out``
without ``-json`` prints text for a person; a ``.tf`` file is the configuration itself. Each gets
the command that makes what ``plan`` reads, instead of a bare parse error. Only the first few
kilobytes are looked at, and nothing of them is echoed: a plan can hold secrets.
"""

from __future__ import annotations

import codecs
import re

_HEAD = 8192
_ZIP = b"PK\x03\x04"
_ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
#: Lines only ``terraform show`` / ``terraform plan`` print for a person.
_SHOW_TEXT = re.compile(
    r"^\s*(Terraform used the selected providers|Terraform will perform the following actions"
    r"|Terraform planned the following actions|Resource actions are indicated with the following"
    r"|An execution plan has been generated|No changes\.|Plan: \d+ to add"
    r"|# \S+ (will|must) be (created|destroyed|updated|replaced|read))",
    re.MULTILINE,
)
_HCL = re.compile(
    r'^\s*(resource|data|module|variable|provider|terraform|locals|output)(\s+"[^"\n]*")*\s*\{', re.MULTILINE
)


def hint(data: bytes, name: str) -> str:
    """Why ``data`` is no plan and what to run instead, or empty when it is nothing recognisable."""
    shown = name if name != "stdin" else "plan.out"
    if data.startswith(_ZIP):
        return (
            "this looks like a binary plan file (terraform plan -out); pullpath reads its JSON: "
            f"terraform show -json {shown} > plan.json"
        )
    text = _ESCAPES.sub("", _text(data[:_HEAD]))
    if _SHOW_TEXT.search(text):
        return (
            "this looks like the text terraform show prints for a person; pullpath reads its JSON: "
            "terraform show -json plan.out > plan.json"
        )
    if name.endswith((".tf", ".tf.json")) or _HCL.search(text):
        return (
            "this looks like Terraform source, not a plan: pullpath scan DIR judges the .tf files of a "
            "folder; pullpath plan reads terraform show -json plan.out > plan.json"
        )
    return ""


def _text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace")
