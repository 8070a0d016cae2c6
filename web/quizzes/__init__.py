"""Quiz pages: question bank, quizzes, taking a quiz, grading, results."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)

from web.quizzes import bank, filters, importing, manage, results, taking  # noqa: E402,F401
