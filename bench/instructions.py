"""``make bench-instructions``: checkov's HCL-mode overhead in instructions executed, not CPU time.

On this shared VM the CPU time of one checkov run varies by 10-30% with the neighbours' load, more
than the 5% the overhead target allows, so the CPU ratios of ``make bench`` cannot settle it.
Instruction counts under valgrind's callgrind are the same on every run. They are slow (checkov
runs about 60 times slower), so this is a separate target; each of the three runs takes
10-15 minutes here, two at a time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from run import OFFLINE, PYTHON, ROOT, compile_bytecode, judged, line, reference_checks  # noqa: E402

#: checkov's default graph library unless the caller picks one (``CHECKOV_GRAPH_FRAMEWORK=NETWORKX``).
GRAPH = os.environ.get("CHECKOV_GRAPH_FRAMEWORK", "RUSTWORKX").upper()


def instructions(command: list[str]) -> int:
    """Instructions callgrind counts for ``command`` (the checkov process, not its git child)."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **OFFLINE, "CHECKOV_GRAPH_FRAMEWORK": GRAPH},
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if not found:
        raise SystemExit(f"callgrind gave no count: {result.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1))


def main() -> None:
    if not shutil.which("valgrind"):
        raise SystemExit("bench-instructions needs valgrind (apt-get install valgrind)")
    work = Path(tempfile.mkdtemp(prefix="pullpath-instructions-"))
    try:
        compile_bytecode()
        units = work / "units"
        generate.unit_tree(units, 77)
        checkov = str(Path(PYTHON).with_name("checkov"))
        base = [PYTHON, checkov, "-d", str(units), "--framework", "terraform", "--skip-download"]
        base += ["-o", "json"]
        variants = {
            "without": base,
            "pullpath": [*base, "--external-checks-dir", str(ROOT / "policies")],
            "reference": [*base, "--external-checks-dir", str(reference_checks(work / "reference"))],
        }
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = dict(zip(variants, pool.map(instructions, variants.values()), strict=True))
        print(f"checkov -d on 77 roots of pull-path units as .tf (about 1k resources), {GRAPH.lower()}:")
        ratios = {
            "with / without pullpath's checks": counts["pullpath"] / counts["without"],
            "with the same checks judging nothing / without": counts["reference"] / counts["without"],
            "with pullpath's checks / with checks judging nothing": counts["pullpath"] / counts["reference"],
        }
        for label, ratio in ratios.items():  # counts are exact: a third digit is meaningful here
            if label.startswith("with /"):
                judged(label, ratio, 1.05, digits=3)
            else:
                line(label, ratio, digits=3)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
