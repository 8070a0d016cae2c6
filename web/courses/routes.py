"""Course pages: the start page, the catalogue, courses, lessons, files, glossary."""

from flask import Blueprint, redirect, render_template, url_for

from appliance.courses.access import courses_for
from web.auth.session import current_user, login_required

bp = Blueprint("courses", __name__)


@bp.route("/")
def home():
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return render_template("courses/home.html", courses=list(courses_for(user)))


@bp.route("/catalogue")
@login_required
def catalogue():
    return render_template("courses/home.html", courses=list(courses_for(current_user())))
