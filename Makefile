# Two entry points for people (README): `make report` and `make test`.
# Any Python 3.11+; python3.11 preferred when present.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup report test bench train evaluate rules-eval samples clean serve

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The main job: scan the sample tenders once and write every report format under reports/;
# the console ends with the ranking (least open first).
report: $(STAMP)
	$(VENV)/bin/barrier-scan scan sample_tenders --format html,json,csv,text --output-dir reports \
	  --findings-csv reports/findings.csv --exit-zero

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py

train: $(STAMP)
	$(VENV)/bin/barrier-scan train

evaluate: $(STAMP)
	$(VENV)/bin/barrier-scan evaluate --protocol
	$(VENV)/bin/barrier-scan evaluate --score

rules-eval: $(STAMP)
	for f in ../shared/corpus/labelled/*.jsonl; do \
	  $(VENV)/bin/barrier-scan evaluate $$f --rules-only --format markdown; done

samples: $(STAMP)
	$(PY) -m pip install --quiet fpdf2
	$(PY) sample_tenders/generate.py

clean:
	rm -rf $(VENV) reports .pytest_cache

# The web app for commissioners: opens http://127.0.0.1:8765/ in the browser (Ctrl+C to stop).
serve: $(STAMP)
	$(VENV)/bin/barrier-scan serve --open
