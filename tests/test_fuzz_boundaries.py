"""Trees of links and special files: `pullpath scan` never reads outside, never hangs, never crashes.

A hostile pull request can commit any link: to a file or a folder outside the tree (a token cache,
another checkout), inside it, to itself, to nowhere, to a device, or a FIFO and, as root, a device
node. Whatever the mix, a secret outside the scanned folder never reaches stdout or stderr, and the
scan answers with exit code 0, 1 or 2 within the case time.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from hypothesis import given, seed
from hypothesis import strategies as st

from fuzzing import fuzz_settings, run_guarded

SECRET = "Runner-Secret-7f3a"

ROOT = """
variable "image" {
  default = "contosoacr.azurecr.io/app:1"
}
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
    image  = var.image
    cpu    = 1
    memory = 1
  }
  image_registry_credential {
    server   = azurerm_container_registry.acr.login_server
    username = "pull"
    password = "pull-password"
  }
}
module "m" {
  source = "./m"
}
module "sub" {
  source = "./sub"
}
module "remote" {
  source = "example/remote/azurerm"
}
"""

OUTSIDE_TF = f"""
resource "azurerm_container_group" "stolen" {{
  name     = "{SECRET}"
  os_type  = "Linux"
  container {{
    name   = "{SECRET}"
    image  = "contosoacr.azurecr.io/{SECRET}:1"
    cpu    = 1
    memory = 1
  }}
}}
variable "image" {{
  default = "contosoacr.azurecr.io/{SECRET}:2"
}}
output "image" {{
  value = "contosoacr.azurecr.io/{SECRET}:3"
}}
"""

NAMES = [
    "a.tf",
    "b.tf.json",
    "terraform.tfvars",
    "terraform.tfvars.json",
    "x.auto.tfvars",
    "y.auto.tfvars.json",
    ".terraform.lock.hcl",
    "m",
    "m/main.tf",
    "sub",
    "sub/c.tf",
    "sub/terraform.tfvars",
    "deep/er/d.tf",
    ".terraform/modules/modules.json",
    ".terraform/modules/remote",
]
KINDS = [
    "outside-file",
    "outside-tfvars",
    "outside-json",
    "outside-folder",
    "outside-relative",
    "inside-file",
    "inside-folder",
    "parent",
    "self-loop",
    "pair-loop",
    "dangling",
    "device-link",
    "fifo",
    "device-node",
    "modules-json-outside",
]
DEVICES = ["/dev/zero", "/dev/null", "/dev/stdin", "/dev/urandom", "/dev/full", "/dev/tty"]


def outside(tmp_path: Path) -> Path:
    """What a runner keeps beside the checkout: every kind of file a link could reach for."""
    folder = tmp_path / "runner"
    if not folder.exists():
        (folder / "module").mkdir(parents=True)
        (folder / "secret.tf").write_text(OUTSIDE_TF, encoding="utf-8")
        (folder / "module" / "main.tf").write_text(OUTSIDE_TF, encoding="utf-8")
        (folder / "secret.tfvars").write_text(
            f'image = "contosoacr.azurecr.io/{SECRET}:4"\n', encoding="utf-8"
        )
        (folder / "token.json").write_text(
            json.dumps({"image": f"contosoacr.azurecr.io/{SECRET}:5"}), encoding="utf-8"
        )
    return folder


def plant(repo: Path, runner: Path, name: str, kind: str, device: str) -> None:
    """One hostile entry at ``name``; an entry that cannot be made there is left out."""
    try:
        _plant(repo, runner, name, kind, device)
    except OSError:  # a folder where a file goes, a link in the way: the tree stays as it was
        pass


def _plant(repo: Path, runner: Path, name: str, kind: str, device: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    targets = {
        "outside-file": runner / "secret.tf",
        "outside-tfvars": runner / "secret.tfvars",
        "outside-json": runner / "token.json",
        "outside-folder": runner / "module",
        "outside-relative": Path(os.path.relpath(runner / "module", path.parent)),
        "inside-file": repo / "main.tf",
        "inside-folder": repo,
        "parent": Path(".."),
        "self-loop": Path(path.name),
        "pair-loop": Path(path.name + ".other"),
        "dangling": repo / "nowhere" / "missing.tf",
        "device-link": Path(device),
    }
    if kind in targets:
        path.symlink_to(targets[kind])
        other = Path(str(path) + ".other")
        if kind == "pair-loop" and not os.path.lexists(other):
            other.symlink_to(path.name)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device-node":
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero's numbers
        except (PermissionError, AttributeError):
            os.mkfifo(path)
    else:  # modules.json naming a folder outside, directly and through a link in the tree
        listing = repo / ".terraform" / "modules" / "modules.json"
        listing.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(listing):  # writing into a FIFO planted there would wait for a reader
            listing.unlink()
        document = {"Modules": [{"Key": "remote", "Source": "x", "Dir": str(runner / "module")}]}
        listing.write_text(json.dumps(document), encoding="utf-8")


ENTRIES = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(KINDS), st.sampled_from(DEVICES)), max_size=8
)


@seed(20261129)
@fuzz_settings(60)
@given(entries=ENTRIES)
def test_links_and_special_files_never_leak_or_hang(tmp_path, capsys, entries):
    runner = outside(tmp_path)
    repo = tmp_path / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir()
    (repo / "main.tf").write_text(ROOT, encoding="utf-8")
    for name, kind, device in entries:
        plant(repo, runner, name, kind, device)
    for fmt in ("json", "table"):
        code = run_guarded(["scan", str(repo), "--format", fmt])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), err
        assert SECRET not in out and SECRET not in err, (entries, out + err)
        assert "internal error" not in err and "Traceback" not in err, err
        assert all(line.startswith(("pullpath: warning: ", "pullpath: error: ")) for line in err.splitlines())
