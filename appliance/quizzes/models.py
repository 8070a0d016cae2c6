"""Quiz models: question bank, quizzes, attempts. All replicated (results go to the hub)."""

from __future__ import annotations

import json

import peewee

from appliance.accounts.models import User
from appliance.courses.models import Course
from appliance.replication import Replicated

QUESTION_TYPES = (
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
)
GRADING_METHODS = ("highest", "average", "first", "last")
REVIEW_ITEMS = ("correctness", "marks", "feedback", "right_answers")


class QuestionCategory(Replicated):
    """A folder of a course's question bank; categories nest."""

    course = peewee.ForeignKeyField(Course, backref="question_categories", on_delete="CASCADE")
    parent = peewee.ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    name = peewee.CharField(max_length=200)

    class Meta:
        table_name = "question_category"


class Question(Replicated):
    """A question of the bank; the type's key (answers, pairs, ...) is JSON in ``data``."""

    course = peewee.ForeignKeyField(Course, backref="questions", on_delete="CASCADE")
    category = peewee.ForeignKeyField(QuestionCategory, backref="questions", on_delete="CASCADE")
    type = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=255)
    text = peewee.TextField(default="")  # as the teacher wrote it
    text_format = peewee.CharField(max_length=10, default="html")
    text_html = peewee.TextField(default="")  # sanitised, what students see
    general_feedback = peewee.TextField(default="")  # sanitised HTML
    data = peewee.TextField(default="{}")
    default_mark = peewee.FloatField(default=1.0)

    @property
    def key(self) -> dict:
        return json.loads(self.data or "{}")


class Quiz(Replicated):
    """A quiz of a course: its settings; its questions are QuizSlot rows."""

    course = peewee.ForeignKeyField(Course, backref="quizzes", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    intro = peewee.TextField(default="")
    intro_html = peewee.TextField(default="")
    open_at = peewee.DateTimeField(null=True)  # naive UTC
    close_at = peewee.DateTimeField(null=True)
    time_limit = peewee.IntegerField(null=True)  # seconds
    attempts_allowed = peewee.IntegerField(default=1)  # 0 = unlimited
    grading_method = peewee.CharField(max_length=10, default="highest")
    shuffle_questions = peewee.BooleanField(default=False)
    shuffle_answers = peewee.BooleanField(default=True)
    one_per_page = peewee.BooleanField(default=False)
    review_after_submit = peewee.CharField(max_length=100, default="correctness,marks")
    review_after_close = peewee.CharField(
        max_length=100, default="correctness,marks,feedback,right_answers"
    )
    published = peewee.BooleanField(default=False)

    def review_options(self, closed: bool) -> set[str]:
        value = self.review_after_close if closed else self.review_after_submit
        return {item for item in value.split(",") if item}


class QuizSlot(Replicated):
    """A place in a quiz: one fixed question, or ``count`` random ones from a category."""

    quiz = peewee.ForeignKeyField(Quiz, backref="slots", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    question = peewee.ForeignKeyField(Question, null=True, on_delete="CASCADE")
    category = peewee.ForeignKeyField(QuestionCategory, null=True, on_delete="CASCADE")
    count = peewee.IntegerField(default=1)
    mark = peewee.FloatField(default=1.0)

    class Meta:
        table_name = "quiz_slot"


class Attempt(Replicated):
    """A student's attempt; ``layout`` fixes its questions and their order when it starts."""

    quiz = peewee.ForeignKeyField(Quiz, backref="attempts", on_delete="CASCADE")
    student = peewee.ForeignKeyField(User, backref="quiz_attempts", on_delete="CASCADE")
    number = peewee.IntegerField(default=1)
    state = peewee.CharField(max_length=12, default="in_progress", index=True)  # or finished
    started_at = peewee.DateTimeField()
    deadline = peewee.DateTimeField(null=True)  # server time; None = no limit
    finished_at = peewee.DateTimeField(null=True)
    auto_submitted = peewee.BooleanField(default=False)
    layout = peewee.TextField(default="[]")
    submit_token = peewee.CharField(max_length=32)
    score = peewee.FloatField(null=True)  # None while an essay waits for the teacher
    max_score = peewee.FloatField(default=0)
    percent = peewee.FloatField(null=True)
    graded_count = peewee.IntegerField(default=0)  # times finalised and graded (must be 1)

    class Meta:
        indexes = ((("quiz", "student", "number"), True),)

    @property
    def items(self) -> list[dict]:
        return json.loads(self.layout or "[]")


class AttemptAnswer(Replicated):
    """The saved response to one question of an attempt, and its grade."""

    attempt = peewee.ForeignKeyField(Attempt, backref="answers", on_delete="CASCADE")
    slot = peewee.IntegerField()  # index into the attempt's layout
    question = peewee.ForeignKeyField(Question, on_delete="CASCADE")
    response = peewee.TextField(null=True)  # JSON; None = not answered
    fraction = peewee.FloatField(null=True)  # 0..1; None = not graded yet (essay)
    mark = peewee.FloatField(default=1.0)  # what the question is worth in this attempt
    comment = peewee.TextField(default="")  # the teacher's feedback on an essay
    graded_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "attempt_answer"
        indexes = ((("attempt", "slot"), True),)

    @property
    def value(self):
        return None if self.response is None else json.loads(self.response)


MODELS = [QuestionCategory, Question, Quiz, QuizSlot, Attempt, AttemptAnswer]
