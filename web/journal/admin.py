"""The admin's journal pages: marking rules and the school year with its quarters."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.errors import ValidationError
from appliance.journal import calendar, scales
from web.auth.session import current_user, role_required
from web.errors import error_message
from web.journal import bp


@bp.route("/journal/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    form, error = None, None
    if request.method == "POST":
        form = request.form
        try:
            scales.update_rules(
                current_user(),
                form.get("scale", ""),
                form.get("allow_one") == "1",
                form.get("rounding", ""),
                form.get("thresholds_5", ""),
                form.get("thresholds_10", ""),
            )
            flash(_("Marking rules saved."), "ok")
            return redirect(url_for("journal.settings"))
        except ValidationError as exc:
            error = error_message(exc)
    rules = scales.get_rules()
    values = form or {
        "scale": rules.scale,
        "allow_one": "1" if rules.allow_one else "",
        "rounding": rules.rounding,
        "thresholds_5": scales.thresholds_text(rules.thresholds["5"]),
        "thresholds_10": scales.thresholds_text(rules.thresholds["10"]),
    }
    return render_template(
        "journal/settings.html", values=values, error=error
    ), 400 if error else 200


@bp.route("/journal/years", methods=["GET", "POST"])
@bp.route("/journal/years/<year_id>", methods=["GET", "POST"])
@role_required("admin")
def years(year_id=None):
    year = calendar.get_year(year_id) if year_id else None
    error = error_field = None
    if request.method == "POST":
        form = request.form
        quarters = [(form.get(f"q{n}_start", ""), form.get(f"q{n}_end", "")) for n in range(1, 5)]
        try:
            saved = calendar.save_year(
                current_user(),
                form.get("name", ""),
                form.get("start", ""),
                form.get("end", ""),
                quarters,
                year=year,
            )
            flash(_("School year saved."), "ok")
            return redirect(url_for("journal.years", year_id=saved.id))
        except ValidationError as exc:
            error, error_field = error_message(exc), exc.field
        values = dict(form)
    elif year:
        values = {"name": year.name, "start": year.start.isoformat(), "end": year.end.isoformat()}
        for quarter in calendar.quarters_of(year):
            values[f"q{quarter.number}_start"] = quarter.start.isoformat()
            values[f"q{quarter.number}_end"] = quarter.end.isoformat()
    else:
        values = {}
    return render_template(
        "journal/years.html",
        year=year,
        years=calendar.years(),
        values=values,
        error=error,
        error_field=error_field,
    ), 400 if error else 200
