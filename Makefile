# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo tour test lint format bench docs screenshots clean

# Playwright drives Debian's /usr/bin/chromium in the browser tests; it never downloads
# a browser. PDF export (WeasyPrint) needs Pango from the system: on Debian,
# apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 (.ci/run does).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Seeds demo-data/ on first run (the example policy, a year of tickets, three
# accounts), then serves it on http://127.0.0.1:8000; `make demo PORT=8001` serves it
# on another port.
PORT ?= 8000
demo: $(STAMP)
	$(BIN)/charter demo --port $(PORT)

tour: $(STAMP)
	bash scripts/tour.sh $(BIN)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# pytest exits 5 when it collected no test; a run that tested nothing must not pass.
# The suite runs in TEST_PROCESSES processes (one per core), a test file to a process,
# and lists its slowest tests at the end.
TEST_PROCESSES ?= 2
test: lint
	@$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --durations=30; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

docs: $(STAMP)
	$(BIN)/python -m charter.reference.policy > docs/policy.md
	$(BIN)/python -m charter.reference.cli > docs/cli.md
	$(BIN)/python -m charter.reference.settings > docs/configuration.md

# Every page in Chromium (/usr/bin/chromium), from a fresh demo on a free port, into
# docs/images/pages/ (docs/screenshots.md lists them). A few minutes.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_hours.py
	$(BIN)/python benchmarks/bench_sla.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
