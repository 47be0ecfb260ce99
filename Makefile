# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-large install browser redis clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP)

# The demo: sample outlets on 127.0.0.1:8765, crawled, diffed, alerted to demo/outbox,
# and Datasette on http://127.0.0.1:8001/
demo: $(STAMP)
	$(BIN)/triglot demo

# Debian's chromium for the browser test (never `playwright install`, which downloads).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's redis-server for the scale-out tests (they start their own on a free port).
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing Debian's redis-server for the scale-out tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

test: $(STAMP) browser redis
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Datasette and storage at 1,000,000 articles against 10,000 (benchmarks/README.md says how
# long). The generated archives (about 13 GB) stay in BENCH_CACHE and are reused next time.
BENCH_CACHE ?= benchmarks/cache
bench-large: $(STAMP)
	nice -n 10 $(BIN)/python benchmarks/bench_datasette.py --large --cache $(BENCH_CACHE)
	nice -n 10 $(BIN)/python benchmarks/bench_archive_size.py --large --cache $(BENCH_CACHE)

clean:
	rm -rf $(VENV) demo build *.egg-info .pytest_cache
