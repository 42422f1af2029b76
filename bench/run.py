"""``make bench``: ratios measured in one run on this machine, never absolute claims.

Each measurement runs in a fresh interpreter that reports its own wall time and peak RSS, so one
measurement's memory never counts against another's. Printed ratios are what the README quotes.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "PYTHONWARNINGS": "ignore"}

# Peak RSS comes from VmHWM, not getrusage: Linux keeps ru_maxrss across execve, so a child
# forked from this (large) parent would report the parent's high-water mark as its own.
_CHILD = """
import json, sys, time
start = time.perf_counter()
{body}
seconds = time.perf_counter() - start
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "rss_mb": int(peak.split()[1]) / 1024}}))
"""
JSON_LOAD = "json.load(open(sys.argv[1], encoding='utf-8'))"
PULLPATH_PLAN = (
    "from pullpath.engine import analyse_plan\nfrom pullpath.report import render\n"
    "render(analyse_plan(sys.argv[1]), 'json')"
)


def measure(body: str, path: Path) -> dict[str, float]:
    """Time and peak memory of ``body`` in a fresh interpreter (imports happen before the clock)."""
    imports = "\n".join(line for line in body.splitlines() if line.startswith(("from ", "import ")))
    work = "\n".join(line for line in body.splitlines() if not line.startswith(("from ", "import ")))
    code = imports + "\n" + _CHILD.format(body=work)
    result = subprocess.run([PYTHON, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """CPU time (user + system, children included) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=False, env={**os.environ, **OFFLINE, **(env or {})})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def least_cpu(commands: list[list[str]], env: dict[str, str], runs: int = 5) -> list[float]:
    """The least CPU time of each command over ``runs`` rounds that run every command once.

    This machine is a shared VM: the CPU time of one checkov run varies by up to 30% with the
    neighbours' load, which only ever slows a run down. Interleaving exposes every command to the
    same phases, and the least of several runs is each command's undisturbed cost.
    """
    seen: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for times, command in zip(seen, commands, strict=True):
            times.append(cpu_seconds(command, env))
    return [min(times) for times in seen]


REFERENCE_CHECK = """
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class Reference(BaseResourceCheck):
    def __init__(self, check_id, resource_types):
        super().__init__(check_id, check_id, (CheckCategories.NETWORKING,), resource_types)

    def scan_resource_conf(self, conf):
        return CheckResult.UNKNOWN


checks = [Reference(check_id, types) for check_id, types in {registrations!r}]
"""


def reference_checks(folder: Path) -> Path:
    """checkov checks with pullpath's IDs and resource types that judge nothing and import no pullpath.

    What checkov itself spends on hosting that many checks (it logs and records every call of
    every check), so the bench can tell that cost from pullpath's own.
    """
    registrations = []
    for path in sorted((ROOT / "policies").glob("pullpath_*.py")):
        namespace: dict[str, object] = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - our file
        registrations += [(check.id, list(check.supported_resources)) for check in namespace["checks"]]
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "reference.py").write_text(REFERENCE_CHECK.format(registrations=registrations))
    return folder


def compile_bytecode() -> None:
    """Write pullpath's bytecode, as pip does for an installed package and as checkov's already is.

    ``make install`` installs pullpath editable, and with ``PYTHONDONTWRITEBYTECODE`` set (as on
    this machine) every checkov run would otherwise compile pullpath's modules again, a cost no
    installed copy pays.
    """
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "plugin" / "pullpath")], check=True, capture_output=True
    )


def line(label: str, value: float, target: str = "", digits: int = 2) -> None:
    print(f"  {label:<62} {value:7.{digits}f}  {target}")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pullpath-bench-"))
    compile_bytecode()
    try:
        plans = {size: work / f"plan-{size}.json" for size in (1_000, 5_000, 10_000, 50_000)}
        for size, path in plans.items():
            path.write_text(json.dumps(generate.plan(size), separators=(",", ":")), encoding="utf-8")
        big = plans[50_000]
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
            f"50k plan {big.stat().st_size / 2**20:.0f} MiB"
        )

        baseline = measure(JSON_LOAD, big)
        ours = measure(PULLPATH_PLAN, big)
        five = measure(PULLPATH_PLAN, plans[5_000])
        print("pullpath plan (50k resources), each ratio measured in this run:")
        line("time / json.load time", ours["seconds"] / baseline["seconds"], "(target <= 0.60)")
        line("peak RSS / json.load peak RSS", ours["rss_mb"] / baseline["rss_mb"], "(target <= 0.60)")
        line("time(50k) / time(5k)  (linear growth is about 10)", ours["seconds"] / five["seconds"])
        print(
            f"  (json.load {baseline['seconds']:.2f} s, {baseline['rss_mb']:.0f} MB; "
            f"pullpath {ours['seconds']:.2f} s, {ours['rss_mb']:.0f} MB)"
        )

        tree = work / "tree"
        generate.tf_tree(tree, 300)
        start = time.perf_counter()
        subprocess.run(
            [str(Path(PYTHON).with_name("pullpath")), "scan", str(tree)], capture_output=True, check=False
        )
        print("pullpath scan:")
        line("seconds for a tree of 300 roots with a local module", time.perf_counter() - start)

        checkov = shutil.which("checkov", path=str(Path(PYTHON).parent))
        policies = ROOT / "policies"
        if not checkov or not any(policies.glob("*.py")):
            print("checkov: skipped (checkov or policies/ checks not installed)")
            return
        units = work / "units"
        generate.unit_tree(units, 77)
        ours = ["--external-checks-dir", str(policies)]
        print(
            "checkov CPU time with / without --external-checks-dir policies/, "
            "least of 5 interleaved runs each (target <= 1.05):"
        )
        for label, target, framework in (
            ("terraform_plan, 1k plan", ["-f", str(plans[1_000])], "terraform_plan"),
            ("terraform, the 1k plan's units as .tf (77 roots)", ["-d", str(units)], "terraform"),
        ):
            base = [checkov, *target, "--framework", framework, "--skip-download", "-o", "json"]
            for graph in ("RUSTWORKX", "NETWORKX"):
                without, with_ours = least_cpu([base, [*base, *ours]], {"CHECKOV_GRAPH_FRAMEWORK": graph})
                line(f"{label}, {graph.lower()}", with_ours / without)
        print("  (one run's CPU time varies 10-30% on a shared VM; make bench-instructions counts instead)")
        reference = ["--external-checks-dir", str(reference_checks(work / "reference"))]
        base = [checkov, "-d", str(tree), "--framework", "terraform", "--skip-download", "-o", "json"]
        print("checkov on the 300-root stress tree (pullpath checks 2 of every 3 resources), least of 5:")
        for graph in ("RUSTWORKX", "NETWORKX"):
            without, with_ours, idle = least_cpu(
                [base, [*base, *ours], [*base, *reference]], {"CHECKOV_GRAPH_FRAMEWORK": graph}
            )
            line(f"{graph.lower()}: with / without pullpath's checks", with_ours / without)
            line(f"{graph.lower()}: with the same checks judging nothing / without", idle / without)
            line(f"{graph.lower()}: with pullpath's checks / with checks judging nothing", with_ours / idle)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
