"""The electronic journal: marks, attendance, quarters, audit history."""

from flask import Blueprint

bp = Blueprint("journal", __name__)
