# make lab   - set up .venv if needed, then open JupyterLab on the start page. Headless or another port:
#              make lab LAB_ARGS="--no-browser --port 8899"  (then open the printed http://127.0.0.1:8899/lab?token=... URL)
#              As root (containers, JupyterHub images) --allow-root is added for you.
# make test  - set up .venv if needed, then run every test layer (see README "Tests")
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONHASHSEED := 0
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test env clean-env build release data

env: $(STAMP)

# The venv is rebuilt when environment.yml (the pins) or pyproject.toml change.
$(STAMP): environment.yml pyproject.toml tools/pins.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/pins.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Jupyter refuses to start as root unless told it is deliberate.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

lab: $(STAMP)
	mkdir -p work
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(ALLOW_ROOT) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/mhsm release --check
	$(BIN)/mhsm data export --check

build: $(STAMP)
	$(BIN)/mhsm build

release: $(STAMP)
	$(BIN)/mhsm release

data: $(STAMP)
	$(BIN)/mhsm data export

clean-env:
	rm -rf $(VENV)
