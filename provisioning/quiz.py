"""`mektep quiz import`: check (and later import) GIFT and Moodle XML question files."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from appliance.quizzes.formats import FORMATS, guess_format, parse_questions

NOT_BUILT = (
    "Importing into a course needs the question bank, which is not built yet; "
    "use --dry-run to check the file."
)


@click.group("quiz")
def quiz_group() -> None:
    """Question banks and quizzes."""


@quiz_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", help="The course whose question bank receives the questions.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="The file's format (default: from the extension, .gift/.txt or .xml).",
)
@click.option("--dry-run", is_flag=True, help="Only parse the file and report; needs no course.")
@click.option("--json", "as_json", is_flag=True, help="Report as a JSON list, one per question.")
def import_questions(file: Path, course, fmt, dry_run, as_json) -> None:
    """Import a GIFT or Moodle XML question file into a course's question bank."""
    if not dry_run:
        if not course:
            raise click.UsageError("--course is required unless --dry-run is given.")
        click.echo(NOT_BUILT, err=True)
        sys.exit(2)
    fmt = fmt or guess_format(file.name)
    if fmt is None:
        raise click.UsageError(f"Cannot tell the format of {file.name}; give --format gift|xml.")
    questions, errors = parse_questions(file.read_bytes(), fmt)
    if as_json:
        click.echo(json.dumps([q.to_json() for q in questions], ensure_ascii=False, indent=2))
    else:
        _summary(file, questions)
    for error in errors:
        click.echo(f"{file}:{error.line or 0}: {error.message}", err=True)
    if errors:
        sys.exit(1)


def _summary(file: Path, questions) -> None:
    counts = Counter(q.type for q in questions)
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    click.echo(f"{file}: {len(questions)} question(s)" + (f" ({kinds})" if kinds else ""))
    for q in questions:
        where = f"  [{q.category}]" if q.category else ""
        click.echo(f"  line {q.line}: {q.type}: {q.name}{where}")


def register(main: click.Group) -> None:
    """Add `mektep quiz` to the command line."""
    main.add_command(quiz_group)
