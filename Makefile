# modmap: the two commands of the README.
#   make run    install into .venv, check the config file (modmap check-config), run the whole
#               pipeline on the bundled toy cohort, build the report (after a crash it resumes: a
#               stale lock of a killed run is removed first, see make unlock; AUTO_UNLOCK=0 turns
#               that off)
#   make unlock remove Snakemake's lock of this directory (snakemake --unlock) after a killed run
#   make test   install into .venv (with the dev tools), run the linters and the test suite, then
#               the test suite again on the minimum supported versions (make test-min)
#   make test-min  build .venv-min (Python 3.11, every dependency == its lower bound, from
#               requirements/min.txt) and run the tests there; see docs/dependencies.md
# Extra Snakemake arguments go in ARGS, e.g. make run ARGS="--forceall".
# Needs only Python >= 3.11 with pip and venv. Override the interpreter with PYTHON=python3.12,
# the cores with CORES=8, the config with CONFIG=path/to/config.yaml.
PYTHON ?= python3
CORES ?= 2
CONFIG ?= config/config.yaml
ARGS ?=
AUTO_UNLOCK ?= 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.modmap-installed
# Oldest supported interpreter and dependency versions (make test-min). Without a python3.11 on
# the PATH, test-min says so and is skipped (CI's machines have it).
PYTHON_MIN ?= python3.11
HAVE_PYTHON_MIN := $(shell command -v $(PYTHON_MIN) 2>/dev/null)
VENV_MIN := .venv-min
STAMP_MIN := $(VENV_MIN)/.modmap-installed

.PHONY: install run unlock report test test-min check-bounds lint bench toy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
ifeq ($(AUTO_UNLOCK),1)
	$(BIN)/python -m modmap.locks --if-stale
endif
	$(BIN)/modmap check-config $(CONFIG)
	$(BIN)/snakemake --profile profiles/default --cores $(CORES) --configfile $(CONFIG) $(ARGS)
	$(BIN)/snakemake --profile profiles/default --cores $(CORES) --configfile $(CONFIG) $(ARGS) \
		--report results/report.html

# Only when no run is active in this directory (make run does it by itself when it is safe).
unlock: $(STAMP)
	$(BIN)/snakemake --profile profiles/default --configfile $(CONFIG) --unlock

test: lint
	$(BIN)/python -m pytest
ifeq ($(HAVE_PYTHON_MIN),)
	@echo "make test: $(PYTHON_MIN) not found; skipping the minimum-versions suite (make test-min)"
else
	$(MAKE) --no-print-directory test-min
endif

# Rebuilt from scratch whenever the bounds change, so no newer version is left behind; pip check
# fails the build if the pins contradict a package's own requirements.
$(STAMP_MIN): pyproject.toml requirements/min.txt
	rm -rf $(VENV_MIN)
	$(PYTHON_MIN) -m venv $(VENV_MIN)
	$(VENV_MIN)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_MIN)/bin/python -m pip install --quiet -r requirements/min.txt -e .
	$(VENV_MIN)/bin/python -m pip check
	touch $(STAMP_MIN)

# pyproject.toml, requirements/min.txt and the two conda files must state the same bounds.
check-bounds:
	$(PYTHON_MIN) requirements/check_bounds.py

# The linters at their oldest versions, then the whole suite but the live-SLURM tests (the SLURM
# plugin is not installed there: its own requirements are newer than modmap's floors), including
# the end-to-end Snakemake runs, which use .venv-min's snakemake through sys.executable.
test-min: check-bounds $(STAMP_MIN)
	$(VENV_MIN)/bin/ruff check .
	$(VENV_MIN)/bin/ruff format --check .
	$(VENV_MIN)/bin/snakefmt --check .
	$(VENV_MIN)/bin/snakemake --lint --cores 1 --configfile $(CONFIG)
	$(VENV_MIN)/bin/python -m pytest -m "not slurm" -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check .
	$(BIN)/snakemake --lint --cores 1 --configfile $(CONFIG)

# Prints the JSON of each benchmark and keeps it in benchmarks/<name>.json (only when it succeeds).
# BENCH_ARGS_<name> replaces BENCH_ARGS for one benchmark: bench_pipeline runs the whole workflow
# on two synthetic cohorts (minutes on 2 cores), once each.
BENCHMARKS := bench_mannwhitney bench_cache bench_student bench_fingerprints bench_pipeline bench_startup
BENCH_ARGS ?= --repeats 7
BENCH_ARGS_bench_pipeline ?= --repeats 1
BENCH_ARGS_bench_startup ?= --repeats 3
bench: $(STAMP)
	$(foreach b,$(BENCHMARKS),$(BIN)/python benchmarks/$(b).py $(or $(BENCH_ARGS_$(b)),$(BENCH_ARGS)) \
		> benchmarks/.$(b).json.tmp && mv benchmarks/.$(b).json.tmp benchmarks/$(b).json && \
		cat benchmarks/$(b).json &&) true

toy: $(STAMP)
	$(BIN)/python -m modmap.toy --outdir resources/toy

clean:
	rm -rf results .snakemake
