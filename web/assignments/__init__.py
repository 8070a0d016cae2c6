"""Assignment pages: instructions, submissions, feedback and marks."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)
