"""Developer tool: write a migration for model changes.

    python -m provisioning.make_migration NAME          # a new numbered migration
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
    from appliance.models import ALL_MODELS

    if not argv:
        print(__doc__)
        return 2
    rewrite = argv[0] == "--rewrite-initial"
    if rewrite:
        (migrate.MIGRATIONS_DIR / "0001_initial.py").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        init_database(load_config(scratch))
        if not rewrite:
            migrate.migrate()
        path = migrate.make_migration("initial" if rewrite else argv[0], ALL_MODELS)
    if path is None:
        print("The models and the migrations agree; nothing to write.")
        return 0
    lines = [ln for ln in path.read_text().splitlines() if "must be added by hand" not in ln]
    path.write_text("\n".join(lines) + "\n")
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
