"""GIFT import and export: Moodle's rules and documented examples, and the round trip."""

from pathlib import Path

import pytest

from appliance.quizzes.gift import decode_text, export_gift, parse_gift
from appliance.quizzes.questions import Answer, NumericalAnswer, Pair

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample.gift"


def one(text):
    questions, errors = parse_gift(text)
    assert errors == [], errors
    assert len(questions) == 1, questions
    return questions[0]


def error_of(text):
    questions, errors = parse_gift(text)
    assert len(errors) == 1, (questions, errors)
    return errors[0]


# Moodle's documented examples ------------------------------------------------------------


def test_multiple_choice():
    q = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert (q.type, q.text, q.single) == ("multichoice", "Who's buried in Grant's tomb?", True)
    assert q.answers == [Answer("Grant", 0), Answer("Jefferson", 0), Answer("no one", 1)]


def test_missing_word_keeps_a_blank_where_the_answers_were():
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.type == "multichoice"
    assert q.text == "Grant is _____ in Grant's tomb."
    assert [a.fraction for a in q.answers] == [0, 1, 0]


def test_true_false():
    q = one("Grant is buried in Grant's tomb.{F}")
    assert (q.type, q.answer, q.text) == ("truefalse", False, "Grant is buried in Grant's tomb.")
    assert one("The sun rises in the east.{TRUE}").answer is True
    assert one("x{T}").answer is True and one("x{FALSE}").answer is False


def test_true_false_is_case_sensitive():
    assert "T/TRUE/F/FALSE are case-sensitive" in error_of("x{true}").message


def test_true_false_feedback_wrong_then_right():
    q = one("The sky is green.{F#No, it is not green.#Right, it is blue.}")
    assert q.answer is False
    assert q.feedback_false == "Right, it is blue."
    assert q.feedback_true == "No, it is not green."


def test_short_answer_with_several_right_answers():
    q = one("Who's buried in Grant's tomb?{=no one =nobody}")
    assert q.type == "shortanswer"
    assert q.answers == [Answer("no one", 1), Answer("nobody", 1)]


def test_numerical_with_tolerance():
    q = one("When was Ulysses S. Grant born?{#1822:5}")
    assert q.type == "numerical"
    assert q.answers == [NumericalAnswer(1822, 5, 1)]


def test_numerical_range_is_midpoint_and_half_width():
    assert one("::Q5:: What is a number from 1 to 5? {#1..5}").answers == [NumericalAnswer(3, 2)]
    pi = one("What is the value of pi (to 3 decimal places)? {#3.141..3.142}").answers[0]
    assert (pi.value, pi.tolerance) == (3.1415, 0.0005)


def test_numerical_several_answers_with_partial_credit_and_feedback():
    q = one(
        "When was Ulysses S. Grant born? {#\n"
        "    =1822:0      # Correct! Full credit.\n"
        "    =%50%1822:2  # He was born in 1822. Half credit for being close.\n"
        "}"
    )
    assert q.answers == [
        NumericalAnswer(1822, 0, 1, "Correct! Full credit."),
        NumericalAnswer(1822, 2, 0.5, "He was born in 1822. Half credit for being close."),
    ]
    assert one("x{#=3:0 =%50%3:1}").answers == [
        NumericalAnswer(3, 0, 1),
        NumericalAnswer(3, 1, 0.5),
    ]


def test_numerical_wrong_answer_feedback_matches_any_other_value():
    q = one("2+2? {#4 ~#Count again.}")
    assert q.answers == [NumericalAnswer(4), NumericalAnswer(None, 0, 0, "Count again.")]


def test_matching_with_three_pairs():
    q = one(
        "Match the following countries with their corresponding capitals. {\n"
        "    =Canada -> Ottawa\n    =Italy  -> Rome\n    =Japan  -> Tokyo\n}"
    )
    assert q.type == "matching"
    assert q.pairs == [Pair("Canada", "Ottawa"), Pair("Italy", "Rome"), Pair("Japan", "Tokyo")]


def test_matching_distractor_has_an_empty_question():
    q = one("Match. {=a -> 1 =b -> 2 = -> 3}")
    assert q.pairs[-1] == Pair("", "3")
    assert q.to_json()["pairs"][-1] == {"question": "", "answer": "3"}


def test_multiple_response_with_weights():
    q = one(
        "What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant "
        "~%50%Grant's wife ~%-100%Grant's father}"
    )
    assert q.type == "multichoice" and q.single is False
    assert [a.fraction for a in q.answers] == [-1, 0.5, 0.5, -1]
    assert [a.text for a in q.answers] == ["No one", "Grant", "Grant's wife", "Grant's father"]


def test_title():
    q = one("::Q1:: 1+1=2 {T}")
    assert (q.name, q.text, q.type) == ("Q1", "1+1=2", "truefalse")


def test_name_defaults_to_the_text():
    assert one("Grant is buried in Grant's tomb.{F}").name == "Grant is buried in Grant's tomb."


def test_category_applies_to_the_following_questions():
    questions, errors = parse_gift(
        "$CATEGORY: tom/dick/harry\n\nQ1{T}\n\n$CATEGORY: $course$/top/Other\n\nQ2{F}"
    )
    assert errors == []
    assert [q.category for q in questions] == ["tom/dick/harry", "Other"]


def test_questions_before_any_category_have_none():
    assert one("x{T}").category is None


# Syntax rules ----------------------------------------------------------------------------


def test_a_blank_line_is_the_only_separator():
    questions, _ = parse_gift("Q1\n{T}\n\n\n\nQ2 text\non two lines{F}")
    assert [q.text for q in questions] == ["Q1", "Q2 text\non two lines"]


def test_comments_only_at_line_start():
    q = one("// a comment\n::Q:: 1 // 2 = half? {=yes}\n// another")
    assert q.text == "1 // 2 = half?"


def test_comment_lines_do_not_separate_questions():
    assert one("Q1\n// comment\nQ2{F}").text == "Q1\nQ2"


def test_escapes():
    q = one(r"Escaped\: \{a\} \= \~ \# and\nnew line \\ end{=1 \= 1 ~2 \~ 3}")
    assert q.text == "Escaped: {a} = ~ # and\nnew line \\ end"
    assert [a.text for a in q.answers] == ["1 = 1", "2 ~ 3"]


def test_general_feedback():
    q = one("2+2?{=4 ~5 ####Because 2 and 2 make 4.}")
    assert q.general_feedback == "Because 2 and 2 make 4."
    assert [a.text for a in q.answers] == ["4", "5"]


def test_per_answer_feedback():
    q = one(
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }"
    )
    assert q.answers[0] == Answer("yellow", 1, "right; good!")
    assert q.answers[1] == Answer("red", 0, "wrong, it's yellow")


def test_text_formats():
    assert one("[markdown]**Bold**{T}").text_format == "markdown"
    assert one("[markdown]**Bold**{T}").text == "**Bold**"
    assert one("[html]<b>x</b>{T}").text_format == "html"
    assert one("[plain]x{T}").text_format == "plain"
    assert one("[moodle]x{T}").text_format == "moodle"
    assert one("x{T}").text_format == "moodle"
    assert one("[other]x{T}").text == "[other]x"


def test_answer_format_prefix_is_stripped():
    assert one("[html]Q{=[html]<b>a</b> ~b}").answers[0].text == "<b>a</b>"


def test_essay_and_description():
    essay = one("Write about your summer.{}")
    assert (essay.type, essay.text) == ("essay", "Write about your summer.")
    assert one("Essay{####Use 100 words.}").general_feedback == "Use 100 words."
    desc = one("::Intro:: The next questions are about history.")
    assert (desc.type, desc.name, desc.text) == (
        "description",
        "Intro",
        "The next questions are about history.",
    )


def test_weights_in_short_answer():
    q = one("Capital of Kyrgyzstan?{=Bishkek =%50%Frunze#Its old name.}")
    assert q.answers == [Answer("Bishkek", 1), Answer("Frunze", 0.5, "Its old name.")]


def test_multichoice_with_partial_right_answer_and_no_equals_is_multiple_response():
    assert one("x{~%100%a ~b}").single is False
    assert one("x{=a ~%50%b ~c}").single is True


def test_kyrgyz_and_russian_text():
    q = one("::Суроо:: Кыргызстандын борбору кайсы?{=Бишкек ~Ош ~Жалал-Абад}")
    assert (q.name, q.answers[0].text) == ("Суроо", "Бишкек")
    assert one("Столица России?{=Москва}").answers[0].text == "Москва"


def test_windows_1251_and_bom_are_decoded():
    assert decode_text("Ош{T}".encode("cp1251")) == "Ош{T}"
    assert decode_text("\ufeffОш{T}".encode()) == "Ош{T}"


# Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("Q{=a ~b", "unclosed brace"),
        ("Q =a ~b}", "without an opening"),
        ("Q{=a -> 1 =b}", "has no '->'"),
        ("Q{#abc}", "'abc' is not a number"),
        ("Q{#3,5}", "use a dot"),
        ("Q{#1..x}", "'x' is not a number"),
        ("Q{a ~b}", "must start with = or ~"),
        ("Q{Paris}", "must start with = or ~"),
        ("Q{=a} and {=b}", "more than one"),
        ("Q{~only}", "at least two answers"),
        ("Q{=a -> 1}", "at least two pairs"),
        ("Q{~%150%a ~b}", "outside -100%..100%"),
    ],
)
def test_errors_have_a_clear_message(text, message):
    assert message in error_of(text).message


def test_error_names_the_first_line_of_the_question_and_others_still_parse():
    questions, errors = parse_gift(
        "// header\n\nGood{T}\n\n// about the next\nBroken question\n{=a ~b\n\nAlso good{F}"
    )
    assert [q.text for q in questions] == ["Good", "Also good"]
    assert [e.line for e in errors] == [6]
    assert str(errors[0]).startswith("line 6: ")


def test_question_line_numbers():
    questions, _ = parse_gift("A{T}\n\n\nB\n{F}")
    assert [q.line for q in questions] == [1, 4]


# Export ----------------------------------------------------------------------------------


def test_sample_round_trips():
    questions, errors = parse_gift(SAMPLE.read_text(encoding="utf-8"))
    assert errors == []
    assert {q.type for q in questions} == {
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
        "description",
    }
    again, errors = parse_gift(export_gift(questions))
    assert errors == []
    assert again == questions


def test_sample_details():
    questions, _ = parse_gift(SAMPLE.read_text(encoding="utf-8"))
    by_name = {q.name: q for q in questions}
    assert by_name["Түбүр"].category == "Математика/Алгебра"
    assert by_name["Түбүр"].general_feedback == "√16 = 4, анткени 4 · 4 = 16."
    assert by_name["Match"].category == "Тил"
    assert by_name["Pi"].answers[-1] == NumericalAnswer(None, 0, 0, "Remember 3.14159…")
    assert by_name["Escapes"].text == (
        "Escaped characters: { } = ~ # and a\nnew line, plus a backslash \\ here."
    )
    assert by_name["Маалымат"].text_format == "markdown"


def test_export_escapes_special_characters():
    q = one(r"a\{b\}\=\~\#\:c\\d{=x\=y ~z}")
    out = export_gift([q])
    assert r"a\{b\}\=\~\#\:c\\d" in out
    assert one(out) == q


def test_export_keeps_missing_word_questions_in_place():
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert "Grant is {" in export_gift([q])
    assert one(export_gift([q])) == q


def test_export_of_texts_that_look_like_syntax():
    # In multiple choice = takes no weight (as in Moodle), so "=%50%" is the answer "%50%".
    q = one("[moodle][html] is literal text{=%50% ~%0%%25%}")
    assert q.text == "[html] is literal text"
    assert [a.text for a in q.answers] == ["%50%", "%25%"]
    assert one(export_gift([q])) == q


def test_export_round_trips_weights_exactly():
    q = one("x{~%33.33333%a ~%66.66667%b ~%-7%c}")
    assert one(export_gift([q])) == q


def test_export_writes_category_changes_once():
    questions, _ = parse_gift("$CATEGORY: A\n\nx{T}\n\ny{F}\n\n$CATEGORY: top\n\nz{T}")
    out = export_gift(questions)
    assert out.count("$CATEGORY:") == 2
    assert parse_gift(out)[0] == questions


def test_a_question_glued_to_the_category_line_is_kept():
    q = one("$CATEGORY: Алгебра\n2+2?{=4}")
    assert (q.category, q.text) == ("Алгебра", "2+2?")


def test_export_refuses_what_gift_cannot_hold():
    q = one("Match. {=a -> 1 =b -> 2}")
    q.pairs[0].question = "x -> y"
    with pytest.raises(ValueError, match="cannot hold '->'"):
        export_gift([q])
