# Research notebook kit: `make help` lists the targets.
# The two commands of the README quickstart are `make reports` and `make test`; both create .venv if
# missing, install the pinned dependencies (requirements.lock) and register the Jupyter kernel first.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
KERNEL := narratives-kit

.DEFAULT_GOAL := help
.PHONY: help setup reports test test-fast lab bench clean-cache clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); run: make PYTHON=python3.11 ..." % sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (narratives kit)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)  ## create .venv, install the pinned dependencies, register the Jupyter kernel

# Bytecode of the kit's own modules (pip compiles site-packages at install, not an editable source tree): where
# PYTHONDONTWRITEBYTECODE is set, every report kernel would otherwise compile the kit again. Quick when up to date.
COMPILE := $(PY) -m compileall -q analysis bench >/dev/null

reports: $(STAMP)  ## render every report of the seed corpus into reports/seeds/
	$(COMPILE)
	$(PY) -m analysis report --corpus seeds --out reports/seeds

test: $(STAMP)  ## run the whole test suite
	$(COMPILE)
	$(PY) -m pytest

test-fast: $(STAMP)  ## the tests that render no report, open no browser and read no shared corpus (daily work)
	$(COMPILE)
	$(PY) -m pytest -m "not slow and not browser and not shared" -q

lab: $(STAMP)  ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The benchmark's baselines (scattertext pins scipy<1.14, hence numpy<2.3) live in their own environment so
# that `make bench` never changes the pins that `make test` and `make reports` run with.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): requirements.lock bench/requirements.lock pyproject.toml
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.lock
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)  ## run the benchmark in .venv-bench (with the baselines of bench/requirements.lock)
	$(BENCH_VENV)/bin/python -m compileall -q analysis bench >/dev/null
	$(BENCH_VENV)/bin/python -m bench $(BENCH_ARGS)

clean-cache:  ## delete the analysis cache (safe: it is rebuilt on the next run)
	rm -rf .cache/analysis

clean:  ## delete the virtual environment, the cache and the generated reports
	rm -rf $(VENV) $(BENCH_VENV) .cache reports/seeds reports/.*-build-* reports/*.partial
