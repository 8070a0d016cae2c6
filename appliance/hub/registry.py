"""The hub's registry: oblasts, rayons and schools, and the nodes enrolled for them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import peewee

from appliance.db import utcnow, write
from appliance.errors import NotFound, ValidationError
from appliance.hub.models import HubNode, Oblast, Rayon, School

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

# Spellings met in ministry lists, by the registry's name. Matching ignores case, accents,
# punctuation and words like "oblast"/"область"; "city"/"г." picks the city over the oblast.
ALIASES = {
    "Batken": ("Batken", "Баткен", "Баткенская"),
    "Chüy": ("Chüy", "Chuy", "Chui", "Chu", "Chuj", "Chuiskaya", "Чүй", "Чуй", "Чуйская"),
    "Issyk-Kul": (
        "Issyk-Kul",
        "Issyk Kul",
        "Issykkul",
        "Issyk-Kol",
        "Ysyk-Kol",
        "Ysyk-Köl",
        "Yssyk-Kul",
        "Иссык-Куль",
        "Иссык-Кульская",
        "Ысык-Көл",
        "Ысык-Кол",
    ),
    "Jalal-Abad": (
        "Jalal-Abad",
        "Jalalabad",
        "Djalal-Abad",
        "Dzhalal-Abad",
        "Zhalal-Abad",
        "Джалал-Абад",
        "Жалал-Абад",
        "Джалал-Абадская",
    ),
    "Naryn": ("Naryn", "Нарын", "Нарынская"),
    "Osh": ("Osh", "Ош", "Ошская"),
    "Talas": ("Talas", "Талас", "Таласская"),
    "Bishkek": ("Bishkek", "Бишкек", "Frunze"),
    "Osh city": ("Osh city", "город Ош", "Ош шаары"),
}
_NOISE = {"oblast", "oblasty", "oblysy", "region", "province", "область", "обл", "облусу", "облысы"}
_CITY = {"city", "gorod", "shaary", "г", "город", "шаары"}
_CYRILLIC = str.maketrans("үөң", "уон")


def _key(text: str) -> str:
    """A spelling reduced for comparison; ends in "@city" when it names a city."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(_CYRILLIC))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"\w+", text)
    city = any(w in _CITY for w in words)
    base = "".join(w for w in words if w not in _NOISE and w not in _CITY)
    return base + "@city" if city else base


_ALIAS_KEYS = {
    _key(spelling): name for name, spellings in ALIASES.items() for spelling in spellings
}


def oblasts() -> list[Oblast]:
    """Oblasts first, then the cities, each by name."""
    return list(Oblast.select().order_by(Oblast.kind.desc(), Oblast.name))


def find_oblast(text: str, known: list[Oblast] | None = None) -> Oblast | None:
    """The oblast a spelling names (English, Kyrgyz or Russian), or None."""
    by_key = {_key(o.name): o for o in (known if known is not None else oblasts())}
    key = _key(text)
    if not key or key == "@city":
        return None
    for candidate in (key, key.removesuffix("@city")):
        if candidate in by_key:
            return by_key[candidate]
        name = _ALIAS_KEYS.get(candidate)
        if name and _key(name) in by_key:
            return by_key[_key(name)]
    return None


def get_oblast(oblast_id) -> Oblast:
    oblast = Oblast.get_or_none(Oblast.id == oblast_id)
    if oblast is None:
        raise NotFound("No such oblast.")
    return oblast


def get_rayon(rayon_id) -> Rayon:
    rayon = Rayon.get_or_none(Rayon.id == rayon_id)
    if rayon is None:
        raise NotFound("No such rayon.")
    return rayon


def rayons(oblast: Oblast | None = None) -> list[Rayon]:
    query = Rayon.select(Rayon, Oblast).join(Oblast).order_by(Oblast.name, Rayon.name)
    return list(query.where(Rayon.oblast == oblast) if oblast else query)


def clean_rayon_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > 100:
        raise ValidationError("A rayon name must have at most 100 characters.", "rayon")
    return name


def rayon_named(oblast: Oblast, name: str) -> Rayon | None:
    """The oblast's rayon with this name (any case), created when missing; None for no name."""
    name = clean_rayon_name(name)
    if not name:
        return None
    with write():
        existing = (
            Rayon.select()
            .where((Rayon.oblast == oblast) & (peewee.fn.LOWER(Rayon.name) == name.lower()))
            .first()
        )
        return existing or Rayon.create(oblast=oblast, name=name)


def validate_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            "A school code has 1 to 32 Latin letters, digits, dots, dashes or underscores.", "code"
        )
    return code


def validate_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationError("A school name must have 1 to 200 characters.", "name")
    return name


def get_school(code: str) -> School:
    school = School.get_or_none(School.code == (code or "").strip())
    if school is None:
        raise NotFound("No school with the code '%(code)s'.", code=code)
    return school


def save_school(
    code: str, name: str, oblast: Oblast, rayon_name: str = "", create: bool | None = None
) -> tuple[School, bool]:
    """Add a school or update its name, oblast and rayon; returns (school, created).

    ``create``: True refuses an existing code, False refuses a missing one, None upserts.
    """
    code, name = validate_code(code), validate_name(name)
    with write():
        rayon = rayon_named(oblast, rayon_name)
        school = School.get_or_none(School.code == code)
        if school is None:
            if create is False:
                raise NotFound("No school with the code '%(code)s'.", code=code)
            return School.create(code=code, name=name, oblast=oblast, rayon=rayon), True
        if create:
            raise ValidationError(
                "A school with the code '%(code)s' is already registered.", "code", code=code
            )
        school.name, school.oblast, school.rayon = name, oblast, rayon
        school.save()
        return school, False


def list_schools(oblast_id=None, rayon_id=None, search: str = "") -> list[School]:
    """Schools with their oblast and rayon, filtered, by oblast, rayon and name."""
    query = (
        School.select(School, Oblast, Rayon)
        .join(Oblast)
        .switch(School)
        .join(Rayon, peewee.JOIN.LEFT_OUTER)
        .order_by(Oblast.name, Rayon.name, School.name)
    )
    if oblast_id:
        query = query.where(School.oblast == oblast_id)
    if rayon_id:
        query = query.where(School.rayon == rayon_id)
    if search.strip():
        needle = search.strip().lower()
        query = query.where(
            peewee.fn.LOWER(School.name).contains(needle)
            | peewee.fn.LOWER(School.code).contains(needle)
        )
    return list(query)


@dataclass
class NodeState:
    """What the hub admin sees of a node."""

    node: HubNode
    lag_seconds: float | None  # since the last sync; None before the first

    @property
    def revoked(self) -> bool:
        return self.node.revoked_at is not None


def list_nodes(include_revoked: bool = True, school_code: str | None = None) -> list[NodeState]:
    """Enrolled nodes with their school, the most recently enrolled first."""
    query = (
        HubNode.select(HubNode, School, Oblast)
        .join(School)
        .join(Oblast)
        .order_by(Oblast.name, School.name, HubNode.enrolled_at.desc())
    )
    if not include_revoked:
        query = query.where(HubNode.revoked_at.is_null())
    if school_code:
        query = query.where(HubNode.school == school_code)
    now = utcnow()
    return [
        NodeState(node, (now - node.last_sync_at).total_seconds() if node.last_sync_at else None)
        for node in query
    ]


def get_node(node_id: str) -> HubNode:
    node = HubNode.get_or_none(HubNode.node_id == node_id)
    if node is None:
        raise NotFound("No such node.")
    return node
