"""Users and classes: lists, adding one user, password resets, printable login cards."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.accounts import services as accounts
from appliance.accounts.models import SchoolClass
from appliance.errors import DomainError
from web.admin import bp
from web.auth.session import current_user, role_required
from web.errors import error_message


def _class_or_404(class_id: str) -> SchoolClass:
    school_class = SchoolClass.get_or_none(
        (SchoolClass.id == class_id) & (SchoolClass.deleted == False)
    )  # noqa: E712
    if school_class is None:
        abort(404)
    return school_class


@bp.route("/users")
@role_required("admin", "teacher")
def users():
    me = current_user()
    class_id = request.args.get("class")
    school_class = _class_or_404(class_id) if class_id else None
    role = None if me.is_admin else "student"
    return render_template(
        "admin/users.html",
        users=accounts.list_users(role, school_class),
        classes=accounts.list_classes(),
        selected=school_class,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    form = request.form
    if request.method == "POST":
        try:
            user, password = accounts.create_user(
                form.get("username", ""),
                form.get("role", "student"),
                password=form.get("password") or None,
                first_name=form.get("first_name", ""),
                last_name=form.get("last_name", ""),
                email=form.get("email", ""),
                class_name=form.get("class_name") or None,
            )
            flash(
                _(
                    "User %(name)s created. Initial password: %(password)s",
                    name=user.username,
                    password=password,
                ),
                "ok",
            )
            return redirect(url_for("admin.users"))
        except DomainError as exc:
            flash(error_message(exc), "error")
    return render_template("admin/new_user.html", form=form, classes=accounts.list_classes())


@bp.route("/users/<user_id>/reset", methods=["POST"])
@role_required("admin", "teacher")
def reset_password(user_id):
    target = accounts.get_user(user_id)
    password = accounts.reset_password(current_user(), target)
    flash(
        _("New password for %(name)s: %(password)s", name=target.username, password=password), "ok"
    )
    return redirect(request.form.get("next") or url_for("admin.users"))


@bp.route("/classes", methods=["GET", "POST"])
@role_required("admin")
def classes():
    if request.method == "POST":
        try:
            accounts.get_or_create_class(request.form.get("name", ""))
            flash(_("Class saved."), "ok")
            return redirect(url_for("admin.classes"))
        except DomainError as exc:
            flash(error_message(exc), "error")
    rows = [(c, len(accounts.students_of(c))) for c in accounts.list_classes()]
    return render_template("admin/classes.html", rows=rows)


@bp.route("/classes/<class_id>/cards")
@role_required("admin", "teacher")
def login_cards(class_id):
    school_class = _class_or_404(class_id)
    return render_template(
        "admin/cards.html",
        school_class=school_class,
        cards=accounts.login_cards(school_class),
        login_url=request.host_url,
    )
