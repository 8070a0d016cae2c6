"""Developer tool: write a migration for model changes.

    python -m provisioning.make_migration NAME          # a new numbered migration
    python -m provisioning.make_migration NAME --models appliance.quizzes.models
                                              # only the models of these modules
    python -m provisioning.make_migration --rewrite-initial   # before the first release only

It migrates a scratch SQLite database with the existing migrations, diffs it against the
models and writes what is missing as a frozen migration file.
"""

from __future__ import annotations

import sys
import tempfile

from appliance import migrate
from appliance.config import load_config
from appliance.db import init_database


def main(argv: list[str]) -> int:
    import importlib

    import peewee

    from appliance.models import ALL_MODELS

    if not argv:
        print(__doc__)
        return 2
    models = ALL_MODELS
    if "--models" in argv:
        at = argv.index("--models")
        modules = [importlib.import_module(name) for name in argv[at + 1 :]]
        argv = argv[:at]
        models = [
            obj
            for module in modules
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, peewee.Model)
            and obj.__module__ == module.__name__
            and obj._meta.table_name
        ]
    rewrite = argv[0] == "--rewrite-initial"
    if rewrite:
        (migrate.MIGRATIONS_DIR / "0001_initial.py").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        init_database(load_config(scratch))
        if not rewrite:
            migrate.migrate()
        path = migrate.make_migration("initial" if rewrite else argv[0], models)
    if path is None:
        print("The models and the migrations agree; nothing to write.")
        return 0
    lines = [ln for ln in path.read_text().splitlines() if "must be added by hand" not in ln]
    path.write_text("\n".join(lines) + "\n")
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
