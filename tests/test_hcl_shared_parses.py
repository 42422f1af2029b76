"""Inside checkov, the .tf reader takes checkov's own parse of a file instead of parsing it again.

The reuse must be invisible: the same records as a parse of its own, and never a parse of another
version of the file (the record is keyed by path, size and modification time).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pullpath.readers.hcl import dialects, read_root, shared_parses

MAIN_TF = """
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_container_group" "app" {
  name                = "cg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "${azurerm_container_registry.acr.login_server}/app:1.0"
    cpu    = 1
    memory = 1
  }
}
"""

pytestmark = pytest.mark.skipif(dialects.dialect() != "bc", reason="checkov's parser is bc-python-hcl2")


def records(root: Path) -> list[tuple[str, object, object]]:
    return [(r.address, r.values, r.refs) for r in read_root(str(root)).resources]


def host_parses(path: Path) -> None:
    """What checkov does with each file: ``hcl2.load`` on an open file."""
    import hcl2

    shared_parses.share_host_parses()
    with open(path, encoding="utf-8") as handle:
        hcl2.load(handle)


def test_the_reader_takes_the_host_parse_and_reads_the_same_records(tmp_path, monkeypatch):
    main = tmp_path / "main.tf"
    main.write_text(MAIN_TF, encoding="utf-8")
    own = records(tmp_path)
    host_parses(main)

    def no_parse(text: str) -> None:
        raise AssertionError("parsed again although checkov's parse was recorded")

    monkeypatch.setattr(dialects, "_load", no_parse)
    assert records(tmp_path) == own


def test_a_file_changed_after_the_host_parsed_it_is_parsed_again(tmp_path):
    main = tmp_path / "main.tf"
    main.write_text(MAIN_TF, encoding="utf-8")
    host_parses(main)
    main.write_text(MAIN_TF.replace("cg-app", "cg-changed"), encoding="utf-8")
    os.utime(main, ns=(main.stat().st_atime_ns, main.stat().st_mtime_ns + 1_000_000_000))
    names = [r.values.get("name") for r in read_root(str(tmp_path)).resources if r.type.endswith("group")]
    assert names == ["cg-changed"]
