"""Automatic grading of one response against a question's key (pure functions, no database).

A response is what the student gave, as stored (JSON):
multichoice single → answer index; multichoice multi → list of indices; truefalse → bool;
shortanswer → text; numerical → text; matching → {pair index: answer text}; essay → text.
The result is the fraction of the question's mark earned, clamped to 0..1 (negative weights
in a multiple-response question take marks off within the question, never below zero), or
None when a teacher must grade it (essay).
"""

from __future__ import annotations

import math
import re


def grade(qtype: str, key: dict, response) -> float | None:
    """The fraction 0..1 the response earns, None for an essay (the teacher grades it)."""
    if qtype == "essay":
        # As in Moodle, an essay left blank earns 0 at once: no teacher needs to grade nothing,
        # and the student's journal mark is not held back by it.
        return None if str(response or "").strip() else 0.0
    if qtype == "description":
        return 0.0
    if response is None or response == "" or response == [] or response == {}:
        return 0.0
    fraction = _GRADERS[qtype](key, response)
    return max(0.0, min(1.0, fraction))


def _multichoice(key: dict, response) -> float:
    answers = key.get("answers", [])
    chosen = [response] if key.get("single", True) else list(response)
    total = 0.0
    for index in {int(i) for i in chosen if str(i).lstrip("-").isdigit()}:
        if 0 <= index < len(answers):
            total += answers[index]["fraction"]
    return round(total, 7)


def _truefalse(key: dict, response) -> float:
    return 1.0 if bool(response) == bool(key.get("answer")) else 0.0


def normalise(text: str) -> str:
    """Trim and collapse spaces: 'New  York ' and 'New York' are the same answer."""
    return " ".join(str(text).split())


def wildcard_match(pattern: str, text: str, case_sensitive: bool = False) -> bool:
    """Moodle's short-answer match: ``*`` stands for any characters, ``\\*`` is a star."""
    parts = re.split(r"(?<!\\)\*", normalise(pattern))
    regex = ".*".join(re.escape(part.replace("\\*", "*")) for part in parts)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regex, normalise(text), flags | re.DOTALL) is not None


def matching_answer(key: dict, response) -> dict | None:
    """The first accepted answer (in the key's order, as Moodle does) the response matches."""
    case_sensitive = bool(key.get("case_sensitive"))
    for answer in key.get("answers", []):
        if wildcard_match(answer["text"], response, case_sensitive):
            return answer
    return None


def _shortanswer(key: dict, response) -> float:
    answer = matching_answer(key, response)
    return answer["fraction"] if answer else 0.0


def parse_number(text) -> float | None:
    """'3,14' or '3.14' → 3.14 (a decimal comma is usual here); None when not a number."""
    text = str(text).strip().replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def matching_numerical(key: dict, response) -> dict | None:
    """The first answer whose value ± tolerance holds the number (value None matches any)."""
    value = parse_number(response)
    if value is None:
        return None
    for answer in key.get("answers", []):
        if answer["value"] is None:
            return answer
        # A little slack so 0.1 + 0.2 style float errors never cost a pupil the mark.
        slack = 1e-9 * max(1.0, abs(answer["value"]))
        if abs(value - answer["value"]) <= answer.get("tolerance", 0) + slack:
            return answer
    return None


def _numerical(key: dict, response) -> float:
    answer = matching_numerical(key, response)
    return answer["fraction"] if answer else 0.0


def _matching(key: dict, response) -> float:
    subquestions = [(i, p) for i, p in enumerate(key.get("pairs", [])) if p["question"]]
    if not subquestions or not isinstance(response, dict):
        return 0.0
    right = sum(
        1
        for i, pair in subquestions
        if normalise(response.get(str(i), "")) == normalise(pair["answer"])
    )
    return right / len(subquestions)


_GRADERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
}


def is_correct(fraction: float | None) -> str:
    """'correct', 'partial', 'wrong' or 'pending' for the review."""
    if fraction is None:
        return "pending"
    if fraction >= 0.9999999:
        return "correct"
    return "partial" if fraction > 0 else "wrong"
