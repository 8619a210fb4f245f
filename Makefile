# Two commands on a fresh machine with python3 and make: `make release` and `make test`.
# Each creates .venv and installs the pinned dependencies by itself.

PYTHON ?= python3
# Stop at once, in one line, on a Python older than 3.11 (pip would fail later, deep in a dependency).
ifneq ($(shell $(PYTHON) -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null),True)
$(error $(PYTHON) is not Python 3.11 or later ($(shell $(PYTHON) --version 2>&1)): install Python 3.11+, or run make PYTHON=python3.11)
endif
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
FORCE ?=

.PHONY: build validate release serve test check bench mutate lock clean

# The stamp's name carries the lock's checksum, so a changed lock reinstalls.
$(INSTALLED): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# The tools make check runs on the repository (cffconvert, actionlint), apart: their pins clash with the package's.
TOOLS_VENV := .venv-tools
TOOLS := $(TOOLS_VENV)/.installed-$(shell cksum < requirements-tools.lock | cut -d' ' -f1)
$(TOOLS): requirements-tools.lock
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-tools.lock
	rm -f $(TOOLS_VENV)/.installed-*
	touch $@

# VERBOSE=1 (or DEBUG=1) shows Python tracebacks; errors are otherwise one or two lines.
DEBUG_FLAG := $(if $(filter 1,$(VERBOSE) $(DEBUG)),--debug)

build: $(INSTALLED)
	@$(BIN)/python -m scripts $(DEBUG_FLAG) build $(if $(FORCE),--force)

# PACKAGE=path/to/datapackage.json validates another copy, such as a release in dist/.
validate: $(INSTALLED)
	@$(BIN)/python -m scripts $(DEBUG_FLAG) validate $(PACKAGE)

release: $(INSTALLED)
	@$(BIN)/python -m scripts $(DEBUG_FLAG) release

# Datasette on 127.0.0.1 with the release's database and metadata; PORT=8002 for another port.
serve: release
	@$(BIN)/python -m scripts serve $(if $(PORT),--port $(PORT))

# The quick suite, for every change (about a minute): every test but those marked slow.
test: $(INSTALLED)
	$(BIN)/python -m pytest -n auto -m "not slow"

# Everything (.ci/run calls it): the whole suite, the slow tests among them.
# Lighthouse's performance score falls when other tests load the machine: it runs last, by itself.
check: $(INSTALLED) $(TOOLS)
	$(TOOLS_VENV)/bin/ruff check scripts tests benchmarks
	TOOLS_VENV=$(TOOLS_VENV) $(BIN)/python -m pytest -n auto -m "not alone"
	TOOLS_VENV=$(TOOLS_VENV) $(BIN)/python -m pytest -m alone

bench: $(INSTALLED)
	@$(BIN)/python -m benchmarks.bench

# Mutation testing of the modules that check, escape and decide versions (about 70 minutes on 2 cores; not in CI):
# the score and every surviving mutant go to benchmarks/mutation.json.
MUTATE_VENV := .venv-mutate
MUTATE := $(MUTATE_VENV)/.installed-$(shell cat requirements.lock requirements-mutate.lock | cksum | cut -d' ' -f1)
$(MUTATE): requirements.lock requirements-mutate.lock
	$(PYTHON) -m venv $(MUTATE_VENV)
	$(MUTATE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-mutate.lock
	rm -f $(MUTATE_VENV)/.installed-*
	touch $@

# MODULES="escape gate" mutates those alone.
mutate: $(MUTATE)
	MUTATE_VENV=$(MUTATE_VENV) $(MUTATE_VENV)/bin/python -m benchmarks.mutation $(MODULES)

# Re-pin every package after changing the direct pins in pyproject.toml.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check $$(.venv-lock/bin/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))")
	{ sed -n '1,2p' requirements.lock; .venv-lock/bin/python -m pip freeze --all --exclude pip --exclude setuptools; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) $(TOOLS_VENV) $(MUTATE_VENV) mutants dist .pytest_cache
