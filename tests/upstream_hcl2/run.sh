#!/usr/bin/env bash
# The .tf reader tests under upstream python-hcl2 (7.x and 8.x), each in its own small venv.
#
# Upstream python-hcl2 installs the same top-level module `hcl2` as checkov's bc-python-hcl2 and
# breaks checkov, so it never goes into .venv. These venvs hold only pullpath's runtime
# dependencies (checkov excluded) and pytest; pullpath itself comes from plugin/ on PYTHONPATH.
# Without PyPI (an offline machine) the run is skipped with a message, not failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
TESTS=(tests/test_hcl_dialects.py tests/test_hcl_reader.py tests/test_parity.py tests/test_scan_cli.py tests/test_aks_builders.py)
DEPS=$("$PYTHON" - <<'PY'
import re, tomllib
with open("pyproject.toml", "rb") as handle:
    deps = tomllib.load(handle)["project"]["dependencies"]
print(" ".join(d for d in deps if re.split(r"[<>=!~ \[]", d)[0].lower() != "checkov"))
PY
)
status=0
for pair in "v8:python-hcl2>=8,<9" "v7:python-hcl2>=7,<8"; do
  dialect=${pair%%:*}
  spec=${pair#*:}
  venv=".venv-upstream-hcl2-$dialect"
  if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.installed" ]; then
    rm -rf "$venv"
    if ! "$PYTHON" -m venv "$venv" >/dev/null 2>&1 ||
       ! "$venv/bin/pip" install --quiet --disable-pip-version-check "$spec" pyyaml pytest $DEPS >/dev/null 2>&1; then
      echo "test-upstream-hcl2: skipped $spec: it could not be installed from PyPI (offline?)"
      rm -rf "$venv"
      continue
    fi
    touch "$venv/.installed"
  fi
  echo "test-upstream-hcl2: $("$venv/bin/python" -c 'import importlib.metadata as m; print("python-hcl2", m.version("python-hcl2"))')"
  PYTHONPATH=plugin PULLPATH_HCL2_DIALECT=$dialect BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true \
    "$venv/bin/python" -m pytest -p no:cacheprovider "${TESTS[@]}" || status=1
done
exit $status
