# Coproduce: `make demo` serves the demo, `make test` runs the whole suite.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
# Two workers: the CI machine has two cores (pytest-xdist; each worker gets its own test database;
# a third measured no faster). worksteal: a worker that is done takes queued tests from another.
PYTEST_ARGS ?= -n 2 --dist worksteal
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo demo-scheduler test test-postgres lint format install clean messages serve bench

demo: install
	$(BIN)/coproduce demo $(if $(PORT),--port $(PORT)) $(if $(FRESH),--fresh)

# The daily jobs of the demo, on its exercise clock: run beside `make demo`, in a second terminal.
demo-scheduler: install
	COPRODUCE_EXERCISE=1 $(BIN)/coproduce scheduler

test: install
	scripts/ensure-system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite, except the browser tests, against PostgreSQL (a throwaway database; see scripts/test-postgres).
test-postgres: install
	PYTEST_ARGS="$(PYTEST_ARGS)" scripts/test-postgres

install: $(VENV)/.installed node_modules/.installed coproduce/locale/zh_Hans/LC_MESSAGES/django.mo

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

coproduce/locale/zh_Hans/LC_MESSAGES/django.mo: coproduce/locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	scripts/ensure-system-packages
	cd coproduce && ../$(BIN)/django-admin compilemessages -l zh_Hans

# Extract new strings into the catalogue (then translate them in django.po). Entries no longer in
# the code are dropped; makemessages reads coproduce/ only, so the language names of
# config/settings.py are carried over from the catalogue as it was.
CATALOGUE := coproduce/locale/zh_Hans/LC_MESSAGES/django.po
messages: install
	old=$$(mktemp) && cp $(CATALOGUE) $$old \
	&& (cd coproduce && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore=node_modules --ignore=*/tests/*) \
	&& msggrep --msgid -E -e '^(English|Simplified Chinese)$$' $$old | msgcat --use-first $(CATALOGUE) - -o $(CATALOGUE) \
	; status=$$?; rm -f $$old; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One benchmark, alone on a quiet machine (docs/benchmarks.md): `make bench BENCH=scale ARGS=serve`
# runs benchmarks/bench_scale.py serve. Installs wrk first when it is missing.
BENCH ?= checkpoints
bench: install
	scripts/ensure-bench-tools
	$(BIN)/python benchmarks/bench_$(BENCH).py $(ARGS)

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .hypothesis
