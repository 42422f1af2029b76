"""``make bench``: ratios measured in one run on this machine, each against its target.

Each measurement runs in a fresh interpreter that reports its own time and peak RSS, so one
measurement's memory never counts against another's. This machine is a shared VM whose neighbours
slow a run down by 10-30%, never speed it up: times are the CPU seconds (user + system) of the
work, least of several runs interleaved so every command sees the same phases; wall seconds are
printed beside them. Printed ratios are what docs/performance.md quotes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PULLPATH = str(Path(PYTHON).with_name("pullpath"))
OFFLINE = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "PYTHONWARNINGS": "ignore"}
ONE_WORKLOAD = ROOT / "sample_tf" / "article-2021-private-acr-aci-vnet" / "plan.json"

# Peak RSS comes from VmHWM, not getrusage: Linux keeps ru_maxrss across execve, so a child
# forked from this (large) parent would report the parent's high-water mark as its own.
_CHILD = """
import json, sys, time
{imports}
start, cpu = time.perf_counter(), time.process_time()
{work}
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "cpu": cpu, "rss_mb": int(peak.split()[1]) / 1024}}))
"""
JSON_LOAD = ("", "json.load(open(sys.argv[1], encoding='utf-8'))")
# What `pullpath plan --format json` does, its imports before the clock as json.load's are.
PULLPATH_PLAN = (
    "from pullpath.engine import analyse_plan\nfrom pullpath.report import render",
    "render(analyse_plan(sys.argv[1]), 'json')",
)


@dataclass(frozen=True)
class Shape:
    label: str
    module_share: float
    per_call: int
    depth: int


SHAPES = (
    Shape("30% in modules", 0.3, 50, 2),
    Shape("90% in one call", 0.9, 10**9, 1),
)
SIZES = (10_000, 40_000, 50_000)
RUNS = 3

verdicts: list[bool] = []


def line(label: str, value: float, target: str = "", digits: int = 2) -> None:
    print(f"  {label:<70} {value:7.{digits}f}  {target}".rstrip())


def judged(label: str, value: float, limit: float, digits: int = 2, unit: str = "") -> None:
    """A ratio against its target, and whether this run meets it."""
    meets = value <= limit
    verdicts.append(meets)
    line(label, value, f"target <= {limit:.{digits}f}{unit}  {'meets' if meets else 'MISSES'}", digits)


def measure(command: tuple[str, str], path: Path) -> dict[str, float]:
    """CPU time, wall time and peak memory of ``command``'s work in a fresh interpreter."""
    imports, work = command
    code = _CHILD.format(imports=imports, work=work)
    result = subprocess.run([PYTHON, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def least(commands: list[tuple[str, str]], path: Path, runs: int = RUNS) -> list[dict[str, float]]:
    """Each command's least CPU time, wall time and peak RSS over ``runs`` interleaved rounds."""
    seen: list[list[dict[str, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for found, command in zip(seen, commands, strict=True):
            found.append(measure(command, path))
    return [{key: min(run[key] for run in found) for key in found[0]} for found in seen]


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """CPU time (user + system, its children included) of one run of ``command``."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **OFFLINE, **(env or {})},
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def least_cpu(commands: list[list[str]], env: dict[str, str], runs: int = 5) -> list[float]:
    """The least CPU time of each command over ``runs`` rounds that run every command once.

    The CPU time of one checkov run varies by up to 30% with the neighbours' load, which only ever
    slows a run down. The commands of a round run side by side, so each sees the same phases of
    the neighbours' load (and the bench takes half the time), and the least of several runs is
    each command's undisturbed cost.
    """
    seen: list[list[float]] = [[] for _ in commands]
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        for _ in range(runs):
            for times, spent in zip(seen, pool.map(lambda c: cpu_seconds(c, env), commands), strict=True):
                times.append(spent)
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
    this machine) every run would otherwise compile pullpath's modules again, a cost no installed
    copy pays.
    """
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "plugin" / "pullpath")], check=True, capture_output=True
    )


def write_plan(path: Path, size: int, shape: Shape) -> Path:
    document = generate.plan(
        size, module_share=shape.module_share, per_call=shape.per_call, depth=shape.depth
    )
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    return path


def plans(work: Path) -> None:
    """``pullpath plan`` against ``json.load`` of the same file, per shape and size."""
    print(
        "pullpath plan (analysis and JSON report) against json.load of the same file; CPU s (wall s) "
        f"and peak RSS, least of {RUNS}.\n"
        "Plans of bench/generate.py: every layer of a pull path in each unit of 20 resources; 30% in "
        "modules: 50 for_each instances\nto a module call, 2 calls deep; 90% in one call: one module "
        "call with every module instance, 1 deep."
    )
    print(f"  {'shape':<20} {'size':>6} {'MiB':>4} {'json.load':>20} {'pullpath':>20}")
    results: dict[tuple[str, int], tuple[dict[str, float], dict[str, float]]] = {}
    for shape in SHAPES:
        for size in SIZES:
            path = write_plan(work / "plan.json", size, shape)
            baseline, ours = least([JSON_LOAD, PULLPATH_PLAN], path)
            results[shape.label, size] = baseline, ours
            shown = [
                f"{run['cpu']:5.2f} ({run['seconds']:5.2f}) {run['rss_mb']:4.0f} MB"
                for run in (baseline, ours)
            ]
            mib = path.stat().st_size / 2**20
            print(f"  {shape.label:<20} {size // 1000:>5}k {mib:4.0f} {shown[0]:>20} {shown[1]:>20}")
    print("  ratios:")
    for shape in SHAPES:
        small, large = results[shape.label, 10_000][1], results[shape.label, 40_000][1]
        baseline, ours = results[shape.label, 50_000]
        judged(f"{shape.label}: time 40k / time 10k (linear: 4)", large["cpu"] / small["cpu"], 4.6)
        judged(f"{shape.label}: time / json.load time, 50k", ours["cpu"] / baseline["cpu"], 0.4)
        judged(f"{shape.label}: peak RSS / json.load peak RSS, 50k", ours["rss_mb"] / baseline["rss_mb"], 0.5)
        line(f"{shape.label}: wall time / json.load wall time, 50k", ours["seconds"] / baseline["seconds"])


_IMPORT = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)")


def import_ms(arguments: list[str], runs: int = 15) -> float:
    """Milliseconds of imports ``pullpath ARGUMENTS`` makes, as ``python -X importtime`` counts them.

    The top-level imports after interpreter start-up (``site``), least of ``runs``.
    """
    totals = []
    for _ in range(runs):
        result = subprocess.run(
            [PYTHON, "-X", "importtime", PULLPATH, *arguments], capture_output=True, text=True, check=False
        )
        total, started = 0, False
        for found in _IMPORT.finditer(result.stderr):
            if found.group(2):
                continue
            if started:
                total += int(found.group(1))
            started = started or found.group(3) == "site"
        totals.append(total / 1000)
    return min(totals)


def start_up() -> None:
    print(
        "start-up: milliseconds of imports (python -X importtime, after interpreter start-up), least of 15; "
        f"load average {os.getloadavg()[0]:.1f}:"
    )
    judged("pullpath --version", import_ms(["--version"]), 60, digits=0, unit=" ms")
    judged("pullpath plan <one-workload plan> (table)", import_ms(["plan", str(ONE_WORKLOAD)]), 60, 0, " ms")
    line(
        "pullpath plan <one-workload plan> --format json",
        import_ms(["plan", str(ONE_WORKLOAD), "--format", "json"]),
        digits=0,
    )


def scan(work: Path) -> None:
    """``pullpath scan`` of generated monorepos: the time per root, and its growth with the roots."""
    print("pullpath scan, roots with a local module each (bench/generate.py tf_tree), least of 2:")
    seconds = {}
    for roots in (250, 1_000):
        tree = work / f"tree-{roots}"
        generate.tf_tree(tree, roots)
        seconds[roots] = min(cpu_seconds([PULLPATH, "scan", str(tree)]) for _ in range(2))
        line(f"CPU ms per root, {roots} roots", seconds[roots] / roots * 1000, digits=1)
    line(
        "time 1,000 roots / time 250 roots (linear: 4; start-up weighs at 250)", seconds[1_000] / seconds[250]
    )


def checkov(work: Path) -> None:
    checkov = shutil.which("checkov", path=str(Path(PYTHON).parent))
    policies = ROOT / "policies"
    if not checkov or not any(policies.glob("*.py")):
        print("checkov: skipped (checkov or policies/ checks not installed)")
        return
    plan = write_plan(work / "plan-1k.json", 1_000, SHAPES[0])
    units = work / "units"
    generate.unit_tree(units, 77)
    ours = ["--external-checks-dir", str(policies)]
    print("checkov CPU time with / without --external-checks-dir policies/, least of 5 rounds (3 for .tf):")
    base = [checkov, "-f", str(plan), "--framework", "terraform_plan", "--skip-download", "-o", "json"]
    for graph in ("RUSTWORKX", "NETWORKX"):
        without, with_ours = least_cpu([base, [*base, *ours]], {"CHECKOV_GRAPH_FRAMEWORK": graph})
        judged(f"terraform_plan, the 1k plan, {graph.lower()}", with_ours / without, 1.05)
    base = [checkov, "-d", str(units), "--framework", "terraform", "--skip-download", "-o", "json"]
    without, with_ours = least_cpu([base, [*base, *ours]], {"CHECKOV_GRAPH_FRAMEWORK": "RUSTWORKX"}, runs=3)
    line(
        "terraform, 77 roots as .tf, rustworkx (3 runs; make bench-instructions decides)", with_ours / without
    )
    print("  (one run's CPU time varies 10-30% on a shared VM; make bench-instructions counts instructions)")
    tree = work / "tree-250"
    reference = ["--external-checks-dir", str(reference_checks(work / "reference"))]
    base = [checkov, "-d", str(tree), "--framework", "terraform", "--skip-download", "-o", "json"]
    print(
        "checkov on the 250-root stress tree (pullpath checks 2 of every 3 resources), rustworkx, least of 2:"
    )
    without, with_ours, idle = least_cpu(
        [base, [*base, *ours], [*base, *reference]], {"CHECKOV_GRAPH_FRAMEWORK": "RUSTWORKX"}, runs=2
    )
    line("with / without pullpath's checks", with_ours / without)
    line("with the same checks judging nothing / without", idle / without)
    line("with pullpath's checks / with checks judging nothing", with_ours / idle)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pullpath-bench-"))
    compile_bytecode()
    started = time.perf_counter()
    try:
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"load average {os.getloadavg()[0]:.1f} at the start"
        )
        plans(work)
        start_up()
        scan(work)
        checkov(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    met = sum(verdicts)
    print(
        f"{met} of {len(verdicts)} targets met in this run ({(time.perf_counter() - started) / 60:.1f} min)"
    )


if __name__ == "__main__":
    main()
