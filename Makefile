# Sightline — the two commands: `make demo` and `make test`.
# Everything installs from uv.lock into .venv; uv itself is pinned and installed into .tools/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test test-fast lint format bench bootstrap browser clean check-deploy

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

bootstrap: $(VENV)/.synced

demo: bootstrap
	$(VENV)/bin/sightline demo

browser:
	@bash scripts/ensure-chromium

# The suite runs on two processes (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one.
PYTEST_ARGS ?= -n 2

test: bootstrap browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: bootstrap
	$(VENV)/bin/pytest $(PYTEST_ARGS) -m "not browser"

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: bootstrap
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: bootstrap
	SIGHTLINE_PRODUCTION=1 DEBUG=0 ALLOWED_HOSTS=sightline.example.com \
	SECRET_KEY=check-deploy-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	$(VENV)/bin/sightline check --deploy --fail-level WARNING

bench: bootstrap
	$(VENV)/bin/python bench/items_api.py
	$(VENV)/bin/python bench/forecast.py
	$(VENV)/bin/python bench/digests.py

clean:
	rm -rf .tools $(VENV) .pytest_cache .ruff_cache
