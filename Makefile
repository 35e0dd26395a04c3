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

.PHONY: install run test lint bench eval browser-deps clean

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

run: install
	$(BIN)/planqa ingest
	$(BIN)/planqa serve

test: install browser-deps
	$(BIN)/python -m pytest -q

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
