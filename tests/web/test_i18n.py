"""Every UI string has a Kyrgyz and a Russian translation; the chosen language is used."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import login, post

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "ValidationError": None,
    "DomainError": None,
    "Forbidden": None,
    "NotFound": None,
}


def _source_messages() -> set[str]:
    found = set()
    for folder in ("appliance", "web"):
        for _f, _l, message, _c, _ctx in extract_from_dir(
            str(ROOT / folder), METHODS_FOR[folder], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


METHODS_FOR = {
    "appliance": [("**.py", "python")],
    "web": [("**.py", "python"), ("templates/**.html", "jinja2")],
}


def _catalog(lang: str):
    with (ROOT / "web/translations" / lang / "LC_MESSAGES/messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_every_message_has_kyrgyz_and_russian_translations():
    messages = _source_messages()
    assert len(messages) > 50
    for lang in ("ky", "ru"):
        catalog = _catalog(lang)
        missing = []
        for msgid in sorted(messages):
            entry = catalog.get(msgid)
            if entry is None or not entry.string or entry.fuzzy:
                missing.append(msgid)
            elif isinstance(entry.string, tuple) and not all(entry.string):
                missing.append(msgid)
        assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:10]}"


def test_placeholders_survive_translation():
    for lang in ("ky", "ru"):
        catalog = _catalog(lang)
        errors = [(m.id, errs) for m, errs in catalog.check() if errs]
        assert not errors, f"{lang}: {errors[:5]}"


def test_login_page_defaults_to_kyrgyz_and_switches(client, app):
    app.config["MEKTEP"].values["default_language"] = "ky"
    assert "Кирүү" in client.get("/login").get_data(as_text=True)
    post(client, "/language", {"lang": "ru", "next": "/login"}, token_from="/login")
    assert "Войти" in client.get("/login").get_data(as_text=True)


def test_users_language_choice_is_remembered(app, make_user):
    user = make_user("student", language="ru")
    client = app.test_client()
    login(client, user)
    assert "Мои курсы" in client.get("/").get_data(as_text=True)
    post(client, "/language", {"lang": "ky", "next": "/"})
    other = app.test_client()
    login(other, user)
    assert "Менин курстарым" in other.get("/").get_data(as_text=True)
