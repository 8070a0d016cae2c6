"""What the attempt and review pages show for each question: choices, saved answer, feedback."""

from __future__ import annotations

from appliance.quizzes.grading import is_correct, matching_answer, matching_numerical
from appliance.quizzes.models import AttemptAnswer, Question


def pages_of(attempt) -> list[list[int]]:
    """Slot indices per page: one question a page, or all on one."""
    slots = list(range(len(attempt.items)))
    return [[s] for s in slots] if attempt.quiz.one_per_page else [slots]


def question_views(attempt, slots: list[int] | None = None) -> list[dict]:
    """One dict per slot with the question, its layout item, the saved answer and its grade."""
    items = attempt.items
    slots = list(range(len(items))) if slots is None else slots
    answers = {
        a.slot: a
        for a in AttemptAnswer.select().where(
            (AttemptAnswer.attempt == attempt.id) & AttemptAnswer.slot.in_(slots)
        )
    }
    questions = {
        q.id: q for q in Question.select().where(Question.id.in_([items[s]["q"] for s in slots]))
    }
    numbers = _numbers(attempt, items)
    views = []
    for slot in slots:
        item, answer = items[slot], answers[slot]
        question = questions[item["q"]]
        key = question.key
        view = {
            "slot": slot,
            "number": numbers[slot],
            "question": question,
            "key": key,
            "item": item,
            "answer": answer,
            "value": answer.value,
            "state": is_correct(answer.fraction) if question.type != "description" else None,
        }
        if question.type == "multichoice":
            view["choices"] = [
                (i, key["answers"][i]) for i in item.get("order", []) if i < len(key["answers"])
            ]
            chosen = view["value"] if isinstance(view["value"], list) else [view["value"]]
            view["chosen"] = {str(c) for c in chosen if c is not None}
        elif question.type == "matching":
            view["subquestions"] = [(j, p) for j, p in enumerate(key["pairs"]) if p["question"]]
            view["options"] = item.get("choices", [])
        views.append(view)
    return views


def _numbers(attempt, items) -> dict[int, int | None]:
    """Question numbers as shown: descriptions get none."""
    types = dict(
        Question.select(Question.id, Question.type)
        .where(Question.id.in_([i["q"] for i in items]))
        .tuples()
    )
    numbers, n = {}, 0
    for slot, item in enumerate(items):
        if types.get(item["q"]) == "description":
            numbers[slot] = None
        else:
            n += 1
            numbers[slot] = n
    return numbers


def feedback_for(view: dict) -> list[str]:
    """The per-answer feedback (sanitised HTML) the saved response earns."""
    qtype, key, value = view["question"].type, view["key"], view["value"]
    if value is None:
        return []
    if qtype == "multichoice":
        return [
            a["feedback"]
            for i, a in view["choices"]
            if str(i) in view["chosen"] and a.get("feedback")
        ]
    if qtype == "truefalse":
        text = key.get("feedback_true" if value else "feedback_false")
        return [text] if text else []
    match = (
        matching_answer(key, value)
        if qtype == "shortanswer"
        else matching_numerical(key, value)
        if qtype == "numerical"
        else None
    )
    return [match["feedback"]] if match and match.get("feedback") else []


def right_answer(view: dict) -> list[str]:
    """The right answer(s) in words, for the review (plain text; escaped by the template)."""
    qtype, key = view["question"].type, view["key"]
    if qtype == "multichoice":
        return [a["text"] for a in key["answers"] if a["fraction"] > 0]
    if qtype == "truefalse":
        return ["true" if key["answer"] else "false"]
    if qtype == "shortanswer":
        return [a["text"] for a in key["answers"] if a["fraction"] >= 0.9999999][:1] or [
            a["text"] for a in key["answers"] if a["fraction"] > 0
        ][:1]
    if qtype == "numerical":
        best = max(key["answers"], key=lambda a: a["fraction"])
        if best["value"] is None:
            return []
        tolerance = f" ± {best['tolerance']:g}" if best["tolerance"] else ""
        return [f"{best['value']:g}{tolerance}"]
    if qtype == "matching":
        return [f"{p['question']} → {p['answer']}" for p in key["pairs"] if p["question"]]
    return []
