"""A course's glossary: entries, search and an index in the Kyrgyz alphabet's order."""

from __future__ import annotations

from appliance.accounts.models import User
from appliance.courses.access import require_edit
from appliance.courses.markdown import render
from appliance.courses.models import Course, GlossaryEntry
from appliance.courses.search import fold
from appliance.courses.services import clean_text, save_fields
from appliance.db import write
from appliance.errors import NotFound

# The Kyrgyz Cyrillic alphabet (Ң after Н, Ө after О, Ү after У); Latin letters follow it.
KYRGYZ = "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALPHABET = KYRGYZ + LATIN
_RANK = {letter.casefold(): rank for rank, letter in enumerate(ALPHABET)}
OTHER = "#"


def collation_key(term: str) -> tuple:
    """Sort key: letters by their place in ALPHABET, anything else after them by code point."""
    return tuple((0, _RANK[ch]) if ch in _RANK else (1, ord(ch)) for ch in fold(term))


def letter_of(term: str) -> str:
    """The index letter a term is filed under ("#" for digits and other scripts)."""
    first = fold(term)[:1]
    return first.upper() if first in _RANK else OTHER


def entries(course: Course, query: str = "", letter: str = "") -> list[GlossaryEntry]:
    """The course's entries in alphabetical order, filtered by a search text or a letter."""
    rows = list(GlossaryEntry.live().where(GlossaryEntry.course == course))
    words = fold(query).split()
    if words:
        rows = [r for r in rows if all(w in fold(f"{r.term} {r.definition}") for w in words)]
    if letter:
        rows = [r for r in rows if letter_of(r.term) == letter]
    return sorted(rows, key=lambda r: collation_key(r.term))


def index_letters(course: Course) -> list[tuple[str, bool]]:
    """Every letter of the alphabet with whether some term starts with it (Latin only if used)."""
    used = {
        letter_of(term)
        for (term,) in GlossaryEntry.live()
        .where(GlossaryEntry.course == course)
        .select(GlossaryEntry.term)
        .tuples()
    }
    letters = [(letter, letter in used) for letter in KYRGYZ]
    letters += [(letter, True) for letter in LATIN if letter in used]
    if OTHER in used:
        letters.append((OTHER, True))
    return letters


def get_entry(course: Course, entry_id: str) -> GlossaryEntry:
    entry = (
        GlossaryEntry.live()
        .where((GlossaryEntry.id == entry_id) & (GlossaryEntry.course == course))
        .first()
    )
    if entry is None:
        raise NotFound("No such glossary entry.")
    return entry


def _fields(term: str, definition: str) -> dict:
    definition = clean_text(definition, "definition", required=True, max_length=20000)
    return {
        "term": clean_text(term, "term", required=True),
        "definition": definition,
        "definition_html": render(definition),
    }


def add_entry(actor: User, course: Course, term: str, definition: str) -> GlossaryEntry:
    """Add a term with its definition (Markdown, sanitised)."""
    require_edit(actor, course)
    fields = _fields(term, definition)
    with write():
        entry = GlossaryEntry(course=course, **fields)
        entry.save()
    return entry


def update_entry(actor: User, entry: GlossaryEntry, term: str, definition: str) -> GlossaryEntry:
    require_edit(actor, entry.course)
    fields = _fields(term, definition)
    with write():
        save_fields(entry, fields)
    return entry


def delete_entry(actor: User, entry: GlossaryEntry) -> None:
    require_edit(actor, entry.course)
    with write():
        entry.tombstone()
