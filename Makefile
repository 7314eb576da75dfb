# modmap: the two commands of the README.
#   make run    install into .venv, check the config file (modmap check-config), run the whole
#               pipeline on the bundled toy cohort, build the report (after a crash it resumes: a
#               stale lock of a killed run is removed first, see make unlock; AUTO_UNLOCK=0 turns
#               that off)
#   make unlock remove Snakemake's lock of this directory (snakemake --unlock) after a killed run
#   make test   install into .venv (with the dev tools), run the linters and the whole test suite
#               (TEST_WORKERS pytest-xdist workers, one test file per worker), then make test-min
#   make test-min  build .venv-min (Python 3.11, every dependency == its lower bound, from
#               requirements/min.txt) and run the linters, the unit tests and the end-to-end runs
#               marked `floor` there; see docs/dependencies.md and docs/testing.md
# Extra Snakemake arguments go in ARGS, e.g. make run ARGS="--forceall".
# Needs only Python >= 3.11 with pip and venv. Override the interpreter with PYTHON=python3.12,
# the cores with CORES=8, the config with CONFIG=path/to/config.yaml.
PYTHON ?= python3
CORES ?= 2
CONFIG ?= config/config.yaml
ARGS ?=
AUTO_UNLOCK ?= 1
# pytest-xdist workers for make test / test-min (each end-to-end test starts Snakemake with 2 cores;
# 2 workers on the 2-core CI machine overlap one test's serial start-up with another's work).
# Whole files go to the next free worker in the order tests/conftest.py gives them (FIRST: the
# longest first), not re-sorted by their number of tests (--no-loadscope-reorder, xdist >= 3.8).
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
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

# Both environments are built at once first (pip installs on one core: two builds take the time
# of one on the 2-core CI machine). tests/slurm runs first (tests/conftest.py orders the files):
# its two live-scheduler tests mostly wait for status polls, so one worker starts them while the
# other works through the rest.
test:
	$(MAKE) --no-print-directory -j2 --output-sync=target $(STAMP) $(if $(HAVE_PYTHON_MIN),$(STAMP_MIN))
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) tests
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

# The linters at their oldest versions, then every unit test and the end-to-end runs marked
# `floor` (the toy cohort with its report, the real GSE13015 cohort and bad-input runs; they use
# .venv-min's snakemake through sys.executable). The other end-to-end tests exercise modmap's own
# code paths, which the newest-versions pass already covers; the live-SLURM tests need the plugin,
# whose own requirements are newer than modmap's floors. docs/testing.md says why.
test-min: check-bounds $(STAMP_MIN)
	$(VENV_MIN)/bin/ruff check .
	$(VENV_MIN)/bin/ruff format --check .
	$(VENV_MIN)/bin/snakefmt --check .
	$(VENV_MIN)/bin/snakemake --lint --cores 1 --configfile $(CONFIG)
	$(VENV_MIN)/bin/python -m pytest $(PYTEST_PARALLEL) -p no:cacheprovider \
		-m "not slurm and (not e2e or floor)"

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
