# Equilibrium — `make run` sets everything up and serves the workbench; `make test` sets up and runs the tests.
# Every set-up step is idempotent and skipped when its inputs did not change (stamp files under .venv/).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ATLAS  := src/equilibrium/data/atlas
STATIC := src/equilibrium/web/static
STRICT := -p equilibrium.questions -p equilibrium.provenance -p equilibrium.catalog -p equilibrium.geo \
          -p equilibrium.trajectory -p equilibrium.sanctions -p equilibrium.evidence -p equilibrium.ensembles \
          -p equilibrium.dynamics
WEB_SRC := $(shell find web -path web/node_modules -prune -o -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.html' -o -name '*.json' \) -print 2>/dev/null)

.PHONY: setup run test test-fast bench lint typecheck data-check web-build brief clean

setup: $(VENV)/.stamp-python $(VENV)/.stamp-npm $(ATLAS)/versions.json $(STATIC)/index.html $(VENV)/.stamp-warm

$(VENV)/.stamp-python: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(VENV)/.stamp-npm: web/package.json web/package-lock.json $(VENV)/.stamp-python
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ATLAS)/versions.json: $(VENV)/.stamp-npm scripts/copy_atlas.py
	$(BIN)/python scripts/copy_atlas.py web/node_modules $(ATLAS)

# The disk cache of parsed data files and decoded boundaries (commands start in well under 2 s with it).
$(VENV)/.stamp-warm: $(ATLAS)/versions.json $(VENV)/.stamp-python
	$(BIN)/equilibrium data warm
	@touch $@

$(STATIC)/index.html: $(VENV)/.stamp-npm $(WEB_SRC)
	cd web && npm run build --silent

web-build: $(VENV)/.stamp-npm
	cd web && npm run build

run: setup
	$(BIN)/equilibrium serve

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser and not slow"

bench: setup
	@$(BIN)/python -c "import rocketpy" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_reach.py
	$(BIN)/python benchmarks/bench_trajectory.py
	$(BIN)/python benchmarks/bench_sanctions.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_evidence.py
	$(BIN)/python benchmarks/bench_dynamics.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_service.py
	$(BIN)/python benchmarks/bench_startup.py

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy --strict $(STRICT)

data-check: setup
	$(BIN)/equilibrium data check

brief: setup
	$(BIN)/equilibrium brief -o brief.html

clean:
	rm -rf $(VENV) web/node_modules $(ATLAS) $(STATIC)
