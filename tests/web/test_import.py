"""The admin's CSV import: upload, preview, confirm, login cards."""

import io
import os
import re

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from appliance.accounts import services as accounts
from appliance.accounts.models import User
from tests.conftest import csrf_token, login, post

GOOD = (
    "username;firstname;lastname;password;cohort1;role1\r\n"
    "aigul;Айгүл;Жаңыбаева;;7А;student\r\n"
    "umut;Үмүт;Төлөнова;given99;7А;\r\n"
    "bolot;Болот;Өмүров;;8Б;\r\n"
    "teacher.k;Канат;Уулу;;;editingteacher\r\n"
)


def upload(client, data: bytes, name: str = "users.csv"):
    token = csrf_token(client, "/admin/import")
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(data), name)}
    )
    return client.post(
        "/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def confirm(client, token: str):
    return client.post(
        "/admin/import/confirm",
        data={"csrf_token": csrf_token(client, "/admin/import"), "token": token},
    )


def pending_token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no confirm form on the preview"
    return match.group(1)


def test_only_admins_may_import(client, make_user):
    login(client, make_user("teacher"))
    assert client.get("/admin/import").status_code == 403
    response = post(client, "/admin/import/confirm", {"token": "x" * 32}, token_from="/admin/users")
    assert response.status_code == 403


def test_admin_page_links_to_the_import(client, make_user):
    login(client, make_user("admin"))
    assert 'href="/admin/import"' in client.get("/admin/").get_data(as_text=True)


def test_preview_confirm_and_login_cards(app, client, make_user):
    login(client, make_user("admin"))
    response = upload(client, GOOD.encode("utf-8-sig"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Жаңыбаева" in html and "given99" in html
    token = pending_token(html)
    generated = dict(
        re.findall(
            r"<td>(\w[\w.]*)</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td>\s*"
            r"<td><code>(\w+)</code> <small>",
            html,
        )
    )
    assert set(generated) == {"aigul", "bolot", "teacher.k"}
    assert User.select().count() == 1  # the preview wrote nothing
    pending = app.config["MEKTEP"].home / "imports" / f"{token}.json"
    assert pending.exists()

    done = confirm(client, token)
    summary = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "4 users were created." in summary
    assert not pending.exists()
    assert accounts.find_user("teacher.k").role == "teacher"
    class_7a, class_8b = accounts.find_class("7А"), accounts.find_class("8Б")
    assert f"/admin/classes/{class_7a.id}/cards" in summary
    assert f"/admin/classes/{class_8b.id}/cards" in summary
    # The passwords shown on the preview are the ones on the printed cards.
    cards = client.get(f"/admin/classes/{class_7a.id}/cards").get_data(as_text=True)
    assert f"<code>{generated['aigul']}</code>" in cards
    assert "<code>given99</code>" in cards
    cards_8b = client.get(f"/admin/classes/{class_8b.id}/cards").get_data(as_text=True)
    assert f"<code>{generated['bolot']}</code>" in cards_8b
    # Confirming twice does nothing more.
    again = confirm(client, token)
    assert again.status_code == 410
    assert User.select().count() == 5


def test_errors_are_listed_with_lines_and_nothing_can_be_imported(client, make_user):
    login(client, make_user("admin", username="boss"))
    data = GOOD + "boss;Bad;Row;;;\r\naigul;Again;Row;;;\r\n"
    response = upload(client, data.encode("utf-8"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 6: The username &#39;boss&#39; is already taken." in html
    assert "Line 7: The username &#39;aigul&#39; is also on line 2." in html
    assert 'name="token"' not in html
    assert User.select().count() == 1


def test_wrong_header_and_binary_files_are_explained(client, make_user):
    login(client, make_user("admin"))
    html = upload(client, b"name,surname\nA,B\n").get_data(as_text=True)
    assert "Line 1: The header lacks the required columns: username, firstname, lastname." in html
    html = upload(client, bytes(range(256)) * 4, "photo.jpg").get_data(as_text=True)
    assert "This is not a text file." in html
    html = upload(client, b"").get_data(as_text=True)
    assert "The file is empty." in html
    response = upload(client, os.urandom(10 * 1024 * 1024), "big.bin")
    assert response.status_code == 422
    assert "The file is larger than 2 MB" in response.get_data(as_text=True)


def test_confirm_rechecks_and_refuses_bad_tokens(client, make_user):
    login(client, make_user("admin"))
    token = pending_token(upload(client, GOOD.encode()).get_data(as_text=True))
    make_user("student", username="umut")  # appears between preview and confirm
    response = confirm(client, token)
    assert response.status_code == 422
    assert "Line 3: The username &#39;umut&#39; is already taken." in response.get_data(
        as_text=True
    )
    assert accounts.find_user("aigul") is None
    assert confirm(client, "../../mektep.db").status_code == 400
    assert confirm(client, "x" * 32).status_code == 410
