# Two commands matter on a fresh machine: `make demo` and `make test`. Everything runs from .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The build backend, fetched once, so tests/test_wheel.py builds pullpath's wheel offline.
WHEELHOUSE := $(VENV)/wheelhouse
DEMO := sample_tf/article-2021-private-acr-aci-vnet/plan.json
export BC_SKIP_MAPPING := TRUE
export CKV_SKIP_PACKAGE_UPDATE_CHECK := true

.PHONY: install demo test test-fast test-upstream-hcl2 lint clean bench bench-instructions fuzz docs new-rule

install: $(STAMP)

# PYTHONWARNINGS: setuptools warns on every editable install with a mapped package
# (pullpath.policies) about a ./pullpath folder shadowing the package; there is none here.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip download --quiet --only-binary :all: --dest $(WHEELHOUSE) 'setuptools>=77'
	touch $(STAMP)

demo: install
	@echo "$$ pullpath plan $(DEMO)"
	@$(BIN)/pullpath plan $(DEMO); status=$$?; \
	  echo "(exit code $$status: the gate fails the build on a FAIL pull path)"; \
	  test $$status -eq 1

test: install
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-upstream-hcl2

# The quick lane while working: everything but checkov runs, the wheel build and the fuzz suites.
test-fast: install
	$(BIN)/python -m pytest -m "not checkov and not wheel and not fuzz"

# The .tf reader under upstream python-hcl2 7 and 8, each in its own venv (never in .venv: it
# replaces checkov's hcl2 module); skipped with a message when PyPI cannot be reached.
test-upstream-hcl2:
	PYTHON=$(PYTHON) bash tests/upstream_hcl2/run.sh

docs: install  # regenerate docs/rules/ from the rule metadata (a test fails when they drift)
	$(BIN)/python -m pullpath.docs docs/rules

# make new-rule ID=PP501 SLUG=no-credential FAMILY=credentials: every place a rule lives, scaffolded with
# TODOs (CONTRIBUTING.md, "Anatomy of a rule"); its tests fail until they are filled in.
new-rule: install
	$(BIN)/python tools/new_rule.py "$(ID)" "$(SLUG)" "$(FAMILY)"
	$(MAKE) --no-print-directory docs

# ruff (rules, stale noqa, a complexity ceiling) and formatting, then mypy: strict over plugin/ and
# policies/, test mode over tests/ (in the same run); both read their settings from pyproject.toml.
lint: install
	$(BIN)/ruff check plugin tests policies tools
	$(BIN)/ruff format --check plugin tests policies tools
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .venv-upstream-hcl2-* .pytest_cache build plugin/*.egg-info

bench: install
	$(BIN)/python bench/run.py

bench-instructions: install  # checkov's HCL-mode overhead in instructions (valgrind; about 30 min)
	$(BIN)/python bench/instructions.py

fuzz: install
	PULLPATH_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz_plan.py tests/test_fuzz_scan.py tests/test_fuzz_boundaries.py tests/test_hcl_fuzz.py
