"""Interface languages: Kyrgyz first, Russian and English; dates per locale."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, request, session
from flask_babel import Babel, format_date, format_datetime

LANGUAGES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def select_locale() -> str:
    from web.auth.session import current_user

    user = current_user()
    if user is not None and user.language in LANGUAGES:
        return user.language
    lang = session.get("lang") or request.args.get("lang")
    if lang in LANGUAGES:
        return lang
    return current_app.config["MEKTEP"].default_language


def init_app(app) -> None:
    compile_catalogs()
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS_DIR))

    from appliance.localtime import set_school_zone, to_input, to_local

    tz = set_school_zone(app.config["MEKTEP"].timezone)
    app.config["BABEL_DEFAULT_TIMEZONE"] = str(tz)
    app.extensions["school_tz"] = tz

    @app.template_filter("school_time")
    def school_time(value) -> str:
        """A naive-UTC time in the school's zone, formatted for the user's locale."""
        return format_datetime(to_local(value, tz), "short", rebase=False) if value else ""

    @app.template_filter("local_input")
    def local_input(value) -> str:
        """A naive-UTC time for a datetime-local field, in the school's zone."""
        return to_input(value, tz)

    @app.context_processor
    def _i18n():
        from flask_babel import get_locale

        return {
            "LANGUAGES": LANGUAGES,
            "current_language": str(get_locale()),
            "format_date": format_date,
            "format_datetime": format_datetime,
        }


def compile_catalogs() -> None:
    """Compile .po to .mo when the .mo is missing or older (a checkout ships only .po)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        try:
            with tmp.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            tmp.replace(mo_path)
        except PermissionError:
            pass  # an installed, read-only package ships its .mo files already
