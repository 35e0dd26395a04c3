# planqa: `make run` = install + index the bundled corpus + serve the UI; `make test` = install + tests.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test lint bench eval browser-deps clean fuzz soak

install: $(STAMP)

# torch is pinned first on its own so pip takes the local CPU wheel, never the CUDA build.
$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Debian chromium for the browser tests (never `playwright install`: no browser downloads here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/wqy ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; fi; \
	fi

# `make run PORT=7999` serves elsewhere than the default 127.0.0.1:7860; a non-loopback HOST also
# needs ALLOW_REMOTE=1 (planqa serve --allow-remote: README, Security and limits).
HOST ?= 127.0.0.1
PORT ?= 7860
ALLOW_REMOTE ?=

run: install
	$(BIN)/planqa ingest
	$(BIN)/planqa serve --host $(HOST) --port $(PORT) $(if $(ALLOW_REMOTE),--allow-remote)

test: install browser-deps
	$(BIN)/python -m pytest -q

# >= 100,000 generated inputs through every loader and parse_document (tests/reliability/test_fuzz.py);
# prints the case count. Bounded: each case is one small file.
fuzz: install
	PLANQA_FUZZ_SCALE=48 $(BIN)/python -m pytest -q -s tests/reliability/test_fuzz.py

# 100 kill -9 trials during ingest / replace / remove, each followed by an index consistency check.
soak: install
	PLANQA_SOAK_TRIALS=100 $(BIN)/python -m pytest -q -s tests/reliability/test_kill_trials.py

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/bench.py

# every suite (seed, plans-dev, ncpqa-dev) on its own corpus index, with both baselines; SPLIT=dev|holdout|all
SPLIT ?= all
eval: install
	$(BIN)/planqa eval --suite all --split $(SPLIT) --out .planqa/eval

clean:
	rm -rf .planqa
