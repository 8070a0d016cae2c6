"""Error pages: domain errors and HTTP errors shown in the user's language."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from appliance.errors import DomainError, Forbidden, NotFound


def error_message(exc: DomainError) -> str:
    """A domain error's message in the user's language."""
    return _(exc.template, **exc.params)


def register_error_handlers(app):
    def page(code: int, title: str, message: str):
        if request.path.startswith(("/api/", "/healthz", "/sync/")):
            return {"error": title, "message": message}, code
        return render_template("error.html", code=code, title=title, message=message), code

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(exc):
        return page(404, _("Not found"), _("This page or object does not exist."))

    @app.errorhandler(Forbidden)
    @app.errorhandler(403)
    def forbidden(exc):
        return page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return page(
            400,
            _("Form expired"),
            _(
                "The form was missing its security token or it expired. Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(413)
    def too_large(exc):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return page(
            413,
            _("File too large"),
            _("The upload is larger than the limit of %(limit)s MB.", limit=limit),
        )
