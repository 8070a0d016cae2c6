"""Quiz pages: question bank, quizzes, taking a quiz, grading, results."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)
