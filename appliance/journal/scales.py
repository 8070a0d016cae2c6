"""Mark scales, percent → mark thresholds, rounding rules and the school's journal settings."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from appliance.accounts.models import User
from appliance.db import write
from appliance.errors import Forbidden, ValidationError
from appliance.journal.models import JournalSettings
from appliance.replication import local_school

SCALES = ("5", "10")
ROUNDING = ("half_up", "half_even", "floor")
# Kyrgyz schools: ≥85% → 5, ≥70% → 4, ≥50% → 3, else 2.
DEFAULT_THRESHOLDS = {
    "5": [(85.0, 5), (70.0, 4), (50.0, 3), (0.0, 2)],
    # Ten even steps: 90% and above → 10, 80% → 9, ... below 10% → 1.
    "10": [
        (90.0, 10),
        (80.0, 9),
        (70.0, 8),
        (60.0, 7),
        (50.0, 6),
        (40.0, 5),
        (30.0, 4),
        (20.0, 3),
        (10.0, 2),
        (0.0, 1),
    ],
}


@dataclass
class Rules:
    """The marking rules in force at a school."""

    scale: str = "5"
    allow_one: bool = False
    rounding: str = "half_up"
    thresholds: dict = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_THRESHOLDS.items()}
    )

    @property
    def marks(self) -> list[int]:
        """The marks allowed on the current scale, best first."""
        if self.scale == "10":
            return list(range(10, 0, -1))
        return [5, 4, 3, 2, 1] if self.allow_one else [5, 4, 3, 2]

    @property
    def current_thresholds(self) -> list[tuple[float, int]]:
        return self.thresholds[self.scale]


def percent_to_mark(percent: float, thresholds: list[tuple[float, int]]) -> int:
    """The mark of the first threshold the percent reaches (thresholds best first)."""
    for minimum, mark in thresholds:
        if percent >= minimum:
            return mark
    return thresholds[-1][1]


def round_mean(values: list[int], rule: str) -> int | None:
    """The mean of the marks rounded to a whole mark by ``rule``; None without marks."""
    if not values:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    if rule == "floor":
        return math.floor(mean)
    mode = ROUND_HALF_EVEN if rule == "half_even" else ROUND_HALF_UP
    return int(mean.quantize(Decimal(1), rounding=mode))


def mean_of(values: list[int]) -> float | None:
    """The plain mean, for display beside the rounded mark."""
    return round(sum(values) / len(values), 2) if values else None


def parse_mark(text: str, rules: Rules) -> int | None:
    """A mark typed by a teacher; empty means none. Raises ValidationError when off the scale."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) not in rules.marks:
        raise ValidationError(
            "%(value)s is not a mark on the scale (%(marks)s).",
            "mark",
            value=text[:10],
            marks=", ".join(str(m) for m in rules.marks),
        )
    return int(text)


# --- the school's settings -----------------------------------------------------------------


def _row() -> JournalSettings | None:
    # The hub holds every school's rules; each school marks by its own.
    return (
        JournalSettings.live()
        .where(JournalSettings.school == local_school())
        .order_by(JournalSettings.seq.desc())
        .first()
    )


def get_rules() -> Rules:
    """The rules in force (defaults until the admin saves some)."""
    row = _row()
    rules = Rules()
    if row is None:
        return rules
    rules.scale, rules.allow_one, rules.rounding = row.scale, row.allow_one, row.rounding
    if row.thresholds:
        stored = json.loads(row.thresholds)
        for scale in SCALES:
            if scale in stored:
                rules.thresholds[scale] = [(float(p), int(m)) for p, m in stored[scale]]
    return rules


def thresholds_text(thresholds: list[tuple[float, int]]) -> str:
    """Thresholds as the admin edits them: `85=5, 70=4, 50=3, 0=2`."""
    return ", ".join(f"{p:g}={m}" for p, m in thresholds)


def parse_thresholds(text: str, scale: str, allow_one: bool) -> list[tuple[float, int]]:
    """Parse `85=5, 70=4, ...`: percents falling from best mark to worst, the last at 0."""
    allowed = Rules(scale=scale, allow_one=allow_one).marks
    pairs = []
    for part in (text or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        percent, sep, mark = part.partition("=")
        try:
            pair = (float(percent.strip()), int(mark.strip()))
        except ValueError:
            raise ValidationError(
                "Write thresholds as percent=mark pairs, such as 85=5, 70=4.", "thresholds"
            ) from None
        if not sep or not 0 <= pair[0] <= 100 or pair[1] not in allowed:
            raise ValidationError(
                "Each threshold needs a percent from 0 to 100 and a mark on the scale (%(marks)s).",
                "thresholds",
                marks=", ".join(str(m) for m in allowed),
            )
        pairs.append(pair)
    if not pairs or pairs[-1][0] != 0:
        raise ValidationError(
            "The last threshold must be at 0 percent (the mark for everything below).", "thresholds"
        )
    for (p1, m1), (p2, m2) in zip(pairs, pairs[1:], strict=False):
        if not (p1 > p2 and m1 > m2):
            raise ValidationError(
                "Thresholds must go from the highest percent and mark down to the lowest.",
                "thresholds",
            )
    return pairs


def update_rules(
    actor: User, scale: str, allow_one: bool, rounding: str, thresholds_5: str, thresholds_10: str
) -> Rules:
    """The admin changes the school's scale, rounding and thresholds."""
    if not actor.is_admin:
        raise Forbidden("Only an administrator changes the marking rules.")
    if scale not in SCALES:
        raise ValidationError("Please choose a scale from the list.", "scale")
    if rounding not in ROUNDING:
        raise ValidationError("Please choose a rounding rule from the list.", "rounding")
    thresholds = {
        "5": parse_thresholds(thresholds_5, "5", allow_one),
        "10": parse_thresholds(thresholds_10, "10", allow_one),
    }
    with write():
        row = _row() or JournalSettings()
        row.scale, row.allow_one, row.rounding = scale, bool(allow_one), rounding
        row.thresholds = json.dumps(thresholds)
        row.save()
    return get_rules()
