# Mektep: `make demo` serves a demo school; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format translations migration clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mektep --home var demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract every UI string and merge it into the ky and ru catalogues.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k ValidationError -k DomainError -k Forbidden -k NotFound -o web/translations/messages.pot .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching

# A new migration for what the models have that a migrated database lacks.
migration: $(STAMP)
	$(BIN)/python -m provisioning.make_migration $(NAME)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
