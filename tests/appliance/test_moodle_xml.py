"""Moodle XML import: every type, categories, embedded images, and refusing bad XML."""

import base64

from appliance.quizzes.moodle_xml import MAX_BYTES, parse_moodle_xml
from appliance.quizzes.questions import Answer, NumericalAnswer, Pair

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

QUIZ = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Математика/Геометрия</text></category>
  </question>
  <question type="multichoice">
    <name><text>Үч бурчтук</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which shape? <img src="@@PLUGINFILE@@/shape.png"></p>]]></text>
      <file name="shape.png" path="/" encoding="base64">{base64.b64encode(PNG).decode()}</file>
    </questiontext>
    <generalfeedback format="html"><text>Three sides.</text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text>Triangle</text>
      <feedback format="html"><text>Yes</text></feedback></answer>
    <answer fraction="0" format="html"><text>Square</text><feedback><text></text></feedback></answer>
  </question>
  <question type="multichoice">
    <name><text>Primes</text></name>
    <questiontext format="moodle_auto_format"><text>Which are prime?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>2</text></answer>
    <answer fraction="50"><text>3</text></answer>
    <answer fraction="-100"><text>4</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Earth</text></name>
    <questiontext format="plain_text"><text>The Earth is flat.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>No.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>Capital</text></name>
    <questiontext format="html"><text>Столица Кыргызстана?</text></questiontext>
    <answer fraction="100"><text>Бишкек</text></answer>
    <answer fraction="33.33333"><text>Фрунзе</text><feedback><text>Old name.</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Year</text></name>
    <questiontext format="html"><text>Independence year?</text></questiontext>
    <answer fraction="100"><text>1991</text><tolerance>0</tolerance></answer>
    <answer fraction="50"><text>1991</text><tolerance>1</tolerance></answer>
    <answer fraction="0"><text>*</text><feedback><text>No.</text></feedback></answer>
  </question>
  <question type="matching">
    <name><text>Words</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
    <subquestion format="html"><text>алма</text><answer><text>apple</text></answer></subquestion>
    <subquestion format="html"><text>суу</text><answer><text>water</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>milk</text></answer></subquestion>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Write.</text></questiontext>
  </question>
  <question type="description">
    <name><text>Intro</text></name>
    <questiontext format="markdown"><text>**Read** this.</text></questiontext>
  </question>
</quiz>
"""


def parse(text):
    return parse_moodle_xml(text.encode("utf-8"))


def test_all_types():
    questions, errors = parse(QUIZ)
    assert errors == []
    mc, multi, tf, short, num, match, essay, desc = questions
    assert (mc.type, mc.name, mc.single, mc.text_format) == (
        "multichoice",
        "Үч бурчтук",
        True,
        "html",
    )
    assert mc.answers == [Answer("Triangle", 1, "Yes"), Answer("Square", 0, "")]
    assert mc.general_feedback == "Three sides."
    assert multi.single is False and [a.fraction for a in multi.answers] == [0.5, 0.5, -1]
    assert multi.text_format == "moodle"
    assert (tf.type, tf.answer, tf.feedback_true, tf.feedback_false) == (
        "truefalse",
        False,
        "No.",
        "Right.",
    )
    assert tf.text_format == "plain"
    assert short.answers == [Answer("Бишкек", 1), Answer("Фрунзе", 0.3333333, "Old name.")]
    assert num.answers == [
        NumericalAnswer(1991, 0, 1),
        NumericalAnswer(1991, 1, 0.5),
        NumericalAnswer(None, 0, 0, "No."),
    ]
    assert match.type == "matching"
    assert match.pairs == [Pair("алма", "apple"), Pair("суу", "water"), Pair("", "milk")]
    assert (essay.type, desc.type, desc.text_format) == ("essay", "description", "markdown")


def test_category_strips_moodle_prefixes():
    questions, _ = parse(QUIZ)
    assert {q.category for q in questions} == {"Математика/Геометрия"}


def test_embedded_base64_image_is_an_attachment_and_stays_referenced():
    mc = parse(QUIZ)[0][0]
    assert '<img src="@@PLUGINFILE@@/shape.png">' in mc.text
    assert [(a.name, a.data, a.mime) for a in mc.attachments] == [("shape.png", PNG, "image/png")]


def test_question_lines_are_known():
    questions, _ = parse(QUIZ)
    assert questions[0].line == 6


def test_json_shape():
    questions, _ = parse(QUIZ)
    assert questions[2].to_json() == {
        "type": "truefalse",
        "name": "Earth",
        "text": "The Earth is flat.",
        "category": "Математика/Геометрия",
        "general_feedback": "",
        "answer": False,
    }


def test_malformed_xml_names_the_line():
    questions, errors = parse("<quiz>\n<question type='essay'>\n<name><text>x</name>\n</quiz>")
    assert questions == []
    assert errors[0].line == 3
    assert "malformed XML" in errors[0].message


def test_doctype_and_entities_are_refused():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<quiz>&b;</quiz>'
    )
    questions, errors = parse(bomb)
    assert questions == [] and "DOCTYPE" in errors[0].message
    _, errors = parse('<!DOCTYPE quiz SYSTEM "file:///etc/passwd"><quiz/>')
    assert "DOCTYPE" in errors[0].message


def test_size_limit():
    _, errors = parse_moodle_xml(b"<quiz>" + b" " * MAX_BYTES + b"</quiz>")
    assert "larger than 10 MB" in errors[0].message


def test_bad_questions_are_reported_with_their_line_and_the_rest_kept():
    text = """<quiz>
<question type="cloze"><questiontext><text>{1:SA:=x}</text></questiontext></question>
<question type="numerical"><questiontext><text>n</text></questiontext>
  <answer fraction="100"><text>abc</text></answer></question>
<question type="multichoice"><questiontext><text>m</text></questiontext>
  <answer fraction="250"><text>a</text></answer><answer><text>b</text></answer></question>
<question type="essay"><questiontext><text>fine</text></questiontext></question>
</quiz>"""
    questions, errors = parse(text)
    assert [q.text for q in questions] == ["fine"]
    assert [(e.line, e.message) for e in errors] == [
        (2, "question type 'cloze' is not supported"),
        (3, "numerical answer 'abc' ± '0' is not a number"),
        (5, "weight 250% is outside -100%..100%"),
    ]


def test_bad_base64_is_an_error():
    text = (
        '<quiz><question type="essay"><questiontext><text>x</text>'
        '<file name="a.png" encoding="base64">@@@</file></questiontext></question></quiz>'
    )
    _, errors = parse(text)
    assert "not valid base64" in errors[0].message


def test_not_a_quiz():
    _, errors = parse("<html/>")
    assert "<quiz>" in errors[0].message
