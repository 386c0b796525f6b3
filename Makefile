.PHONY: setup demo test lint typecheck eval eval-baselines bench bench-web clean

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

# The set-up alone: idempotent, and quick when pyproject.toml has not changed.
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	# The stock pip cannot import trafilatura's lxml clean-up module reliably; a current pip resolves it.
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	# torch first, from its CPU wheel, before the grounding extra pulls it
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev,eval,feeds,postgres,export,web,browser-tests,ray,learn,grounding]"
	touch $(STAMP)

# Analyse the bundled example articles into an embedded SQLite store, print the ledger of one, then serve
# the web app on it (SERVE=0 skips the server).
demo: setup
	rm -f $(DEMO_DB)
	# harbour.txt is plain text with no date of its own; the HTML page and the batch carry theirs.
	$(BIN)/claimscope ingest examples/harbour.txt --db $(DEMO_DB) --published 2024-11-05
	$(BIN)/claimscope ingest examples/vaccine.html examples/batch.jsonl --db $(DEMO_DB)
	$(BIN)/claimscope show --db $(DEMO_DB) examples/harbour.txt
	# Then the web app on the demo store, in the foreground (make demo SERVE=0 stops after the ledger).
	$(if $(filter 0,$(SERVE)),@echo "SERVE=0: not starting the web app",@echo "claimscope web app: http://127.0.0.1:8000/ (Ctrl-C to stop)")
	$(if $(filter 0,$(SERVE)),,exec $(BIN)/claimscope serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000)

test: setup
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests eval bench
	$(BIN)/mypy src

lint: setup
	$(BIN)/ruff check src tests eval bench

typecheck: setup
	$(BIN)/mypy src

# Accuracy on the shared development data (../shared), exactly as the held-out checks run it.
eval: setup
	bash ../shared/eval/dev_eval.sh $(BIN)/claimscope
	$(BIN)/python eval/segment_html.py
	PYTHONPATH=src $(BIN)/python eval/grounding.py
	PYTHONPATH=src $(BIN)/python eval/appended.py
	$(MAKE) eval-baselines

# textacy 0.13.0 for the attribution baseline, in its own environment: it pulls scikit-learn, which
# breaks quantulum3's pickled classifier in the main one. Same spaCy and model package as pyproject.toml.
TEXTACY_VENV := .venv-textacy
$(TEXTACY_VENV)/.installed: eval/requirements-textacy.txt
	test -x $(TEXTACY_VENV)/bin/python || $(PY) -m venv $(TEXTACY_VENV)
	$(TEXTACY_VENV)/bin/python -m pip install --quiet -r eval/requirements-textacy.txt
	touch $@

# Attribution on PolNeAR dev: our rules beside textacy's direct_quotations, same documents, same scorer,
# with the time each takes (ATTRIBUTION_MODEL=DIR adds the opt-in learned stage).
eval-baselines: setup $(TEXTACY_VENV)/.installed
	PYTHONPATH=src $(BIN)/python eval/attribution_baselines.py --textacy-python $(TEXTACY_VENV)/bin/python \
		$(if $(ATTRIBUTION_MODEL),--attribution-model $(ATTRIBUTION_MODEL))

# Speed and memory, reported and not asserted (docs/performance.md): the pipeline against spaCy alone, two
# worker processes against one, peak RSS after 10,000 articles against 1,000, an ingest re-run against the
# first. About 15 minutes on 2 cores; the last line holds the four figures.
bench: setup
	$(BIN)/python bench/all.py

# Web app latency (p50/p95/p99 of the article, actor and search pages and their JSON twins) on a store of
# >= 100,000 statements built from ../shared's BBC corpus; reported, not asserted.
bench-web: setup
	PYTHONPATH=src $(BIN)/python bench/web_latency.py

clean:
	rm -rf $(VENV) $(TEXTACY_VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
