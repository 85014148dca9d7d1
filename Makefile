# One target for each habit. Every target sets up what it needs first, so on a fresh machine
# `make serve` and `make test` are the only two commands a newcomer runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

# The virtual environment with every pinned dependency, rebuilt when the pins change. pip
# installs only uv (pinned in requirements/uv.txt), which installs the rest: it fetches and
# compiles the packages in parallel, where pip takes one after the other; it trusts the
# system's certificates, as pip does.
UV := UV_LINK_MODE=copy UV_SYSTEM_CERTS=1 $(BIN)/uv
$(STAMP): requirements/dev.txt requirements/uv.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/uv.txt
	$(UV) pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements/dev.txt -e .
	touch $@

setup: $(STAMP)

## Serve the site with live reload at http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/catalogue serve

## Build the site into site/ (strict: a warning is a failure)
site: $(STAMP)
	$(BIN)/catalogue build --strict

## Debian's chromium for the browser tests (Playwright cannot download its own browser here)
browser:
	.ci/install-browser

## Debian's pdflatex and bibtex for the tests that compile the BibTeX exports
tex:
	.ci/install-tex

## PNGs of the home, a paper, a tag and a search page (desktop and phone) in screenshots/
screenshots: $(STAMP) browser
	$(BIN)/python -m tests.browser.screenshots screenshots

# One worker per core (pytest-xdist), at most four: each worker starts its own chromium.
PARALLEL := -n auto --maxprocesses 4 --dist worksteal

## Every test: entry model, golden pages, real MkDocs builds, real browser, real LaTeX
test: $(STAMP) browser tex
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

## The edit loop: every test that needs no build, no browser and no other process
test-quick: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL) -m "not browser and not slow" $(PYTEST_ARGS)

## Check the entries (first: what contributors need to see), the schema, then lint and types
check: $(STAMP)
	$(BIN)/catalogue check
	$(BIN)/catalogue schema --check
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

## Benchmark our build against the naive baseline on N synthetic papers: `make bench N=10000`
N ?= 1000
bench: $(STAMP) browser
	$(BIN)/python -m tests.benchmarks.bench_build --papers $(N) $(BENCH_ARGS)

## Related papers, ours against the naive dense n x n matrix: make bench-related N="10000 100000"
## (N as for `bench`: one size or several)
bench-related: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_related $(foreach n,$(N),-n $(n))

## Regenerate the golden Markdown files of the fixture catalogue
golden: $(STAMP)
	$(BIN)/python -m tests.golden regenerate

## Regenerate the entries' JSON Schema (for editors) from generator/model/entry.py and tags.yaml
schema: $(STAMP)
	$(BIN)/catalogue schema

## Re-pin every dependency from pyproject.toml (with the pinned uv of the virtual environment)
lock: $(STAMP)
	$(UV) pip compile pyproject.toml -q --python-version 3.11.7 --no-header --no-annotate -o requirements/site.txt
	$(UV) pip compile pyproject.toml -q --extra dev --python-version 3.11.7 --no-header --no-annotate -o requirements/dev.txt

## Remove the built site and what builds keep beside it (their record, spare folders, staging)
clean:
	rm -rf site .site.record .site.spare .site.staging .site.previous .site.lock .cache screenshots
