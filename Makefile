# Two commands on a fresh machine: `make run` (the app on the demo data) and `make test`.
# Both create .venv with the project and its dependencies first, and install missing
# system libraries that Qt needs (as root through apt-get; otherwise they print the command).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OTHER_TODAYS ?= 2028-02-29 2027-01-01
#: The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0 -x" runs it in one process.
PYTEST_ARGS ?= -n auto
DISPLAY_MODE := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),display,offscreen)

.PHONY: run test lint benchmark clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
	  { echo "Cannot create a virtual environment: on Debian/Ubuntu, apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

run: $(STAMP)
	@scripts/system-deps.sh $(VENV) $(DISPLAY_MODE)
	$(BIN)/portrait $(ARGS)

test: $(STAMP)
	@scripts/system-deps.sh $(VENV) test
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)
	@# The tests that build data from "today" again, at a leap day and at a 1 January.
	for day in $(OTHER_TODAYS); do \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto -m date_dependent \
	    --today $$day -p no:cacheprovider || exit 1; \
	done

benchmark: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info artifacts
