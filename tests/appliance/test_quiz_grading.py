"""Automatic grading of every question type, from keys built the way the bank builds them."""

import pytest

from appliance.quizzes.bank import key_of
from appliance.quizzes.gift import parse_gift
from appliance.quizzes.grading import grade, is_correct, parse_number, wildcard_match


def key(gift: str):
    questions, errors = parse_gift(gift)
    assert not errors, errors
    (q,) = questions
    return q.type, key_of(q)


def test_single_choice_earns_the_chosen_answers_weight():
    qtype, k = key("Capital of France? {=Paris ~%50%Lyon ~London}")
    assert [grade(qtype, k, i) for i in (0, 1, 2)] == [1.0, 0.5, 0.0]
    assert grade(qtype, k, None) == 0.0


def test_multiple_response_partial_credit_and_negative_weights_clamped_at_zero():
    qtype, k = key("Primes? {~%50%2 ~%50%3 ~%-100%4 ~%-100%6}")
    assert k["single"] is False
    assert grade(qtype, k, [0, 1]) == 1.0
    assert grade(qtype, k, [0]) == 0.5
    assert grade(qtype, k, [0, 1, 2]) == 0.0  # 50 + 50 - 100
    assert grade(qtype, k, [0, 2, 3]) == 0.0  # never below zero
    assert grade(qtype, k, [1, 1]) == 0.5  # a choice counts once


def test_true_false():
    qtype, k = key("The sun is a star. {T}")
    assert grade(qtype, k, True) == 1.0 and grade(qtype, k, False) == 0.0


def test_short_answer_case_insensitive_wildcards_and_several_answers():
    qtype, k = key("Who wrote Manas? {=*Manas*chi =%50%Karalaev* =Sagymbay Orozbakov}")
    assert grade(qtype, k, "a manaschi") == 1.0
    assert grade(qtype, k, "  MANASCHI ") == 1.0
    assert grade(qtype, k, "karalaev sayakbay") == 0.5
    assert grade(qtype, k, "sagymbay   orozbakov") == 1.0
    assert grade(qtype, k, "Tolstoy") == 0.0


def test_short_answer_first_matching_answer_counts_and_escaped_star():
    assert wildcard_match("2\\*3", "2*3") and not wildcard_match("2\\*3", "2x3")
    assert wildcard_match("a*", "A LONG ONE")
    assert not wildcard_match("Bishkek", "bishkek", case_sensitive=True)
    k = {"case_sensitive": True, "answers": [{"text": "Bishkek", "fraction": 1.0}]}
    assert grade("shortanswer", k, "bishkek") == 0.0


def test_numerical_tolerance_ranges_partial_credit_and_decimal_comma():
    qtype, k = key("Pi to two places? {#=3.14:0.005 =%50%3.1:0.05 =%25%3}")
    assert grade(qtype, k, "3.14") == 1.0
    assert grade(qtype, k, "3,142") == 1.0
    assert grade(qtype, k, "3.13") == 0.5
    assert grade(qtype, k, "3") == 0.25
    assert grade(qtype, k, "4") == 0.0
    assert grade(qtype, k, "three") == 0.0
    qtype, k = key("Between 1 and 2? {#1..2}")
    assert grade(qtype, k, "1.0") == 1.0 and grade(qtype, k, "2") == 1.0
    assert grade(qtype, k, "2.01") == 0.0
    assert parse_number("1e3") == 1000.0 and parse_number("inf") is None


def test_matching_with_distractors_gives_share_right():
    qtype, k = key(
        "Match capitals. {=Kyrgyzstan -> Bishkek =Kazakhstan -> Astana "
        "=Uzbekistan -> Tashkent = -> Moscow}"
    )
    subs = {str(i): p["answer"] for i, p in enumerate(k["pairs"]) if p["question"]}
    assert len(subs) == 3
    assert grade(qtype, k, subs) == 1.0
    wrong_one = dict(subs, **{"0": "Moscow"})
    assert grade(qtype, k, wrong_one) == pytest.approx(2 / 3)
    assert grade(qtype, k, {}) == 0.0


def test_essay_waits_for_the_teacher_and_description_is_worth_nothing():
    qtype, k = key("Describe your village. {}")
    assert qtype == "essay" and grade(qtype, k, "My village...") is None
    assert grade(qtype, k, "") == 0.0 and grade(qtype, k, "   ") == 0.0  # nothing to grade
    assert is_correct(None) == "pending"
    assert grade("description", {}, None) == 0.0
    assert [is_correct(f) for f in (1.0, 0.5, 0.0)] == ["correct", "partial", "wrong"]
