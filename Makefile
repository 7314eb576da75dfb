# modmap: the two commands of the README.
#   make run    install into .venv, run the whole pipeline on the bundled toy cohort, build the report
#   make test   install into .venv (with the dev tools), run the linters and the test suite
# Extra Snakemake arguments go in ARGS, e.g. make run ARGS="--forceall".
# Needs only Python >= 3.11 with pip and venv. Override the interpreter with PYTHON=python3.12,
# the cores with CORES=8, the config with CONFIG=path/to/config.yaml.
PYTHON ?= python3
CORES ?= 2
CONFIG ?= config/config.yaml
ARGS ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.modmap-installed

.PHONY: install run report test lint bench toy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --profile profiles/default --cores $(CORES) --configfile $(CONFIG) $(ARGS)
	$(BIN)/snakemake --profile profiles/default --cores $(CORES) --configfile $(CONFIG) $(ARGS) \
		--report results/report.html

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check .
	$(BIN)/snakemake --lint --cores 1

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_mannwhitney.py

toy: $(STAMP)
	$(BIN)/python -m modmap.toy --outdir resources/toy

clean:
	rm -rf results .snakemake
