"""Template filters for quiz pages."""

from __future__ import annotations

from appliance.quizzes.questions import fraction_to_percent
from web.quizzes import bp


@bp.app_template_filter("pct")
def pct(fraction) -> str:
    """0.5 → '50' (for the editor's grade fields)."""
    return fraction_to_percent(fraction) if fraction else "0"


@bp.app_template_filter("num")
def num(value) -> str:
    """A mark or number without trailing zeros; '–' for None."""
    if value is None:
        return "–"
    return f"{value:.2f}".rstrip("0").rstrip(".")


@bp.app_template_filter("exact")
def exact(value) -> str:
    """A number exactly as stored, without a needless '.0' (for keys, not for display)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
