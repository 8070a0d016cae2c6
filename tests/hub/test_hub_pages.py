"""Hub pages: only on a hub, only for its admins; schools, import with preview, tokens, nodes."""

from __future__ import annotations

import csv
import io
import re

import pytest

from appliance.accounts import services as accounts
from appliance.hub import registry
from appliance.hub.models import EnrollmentToken, HubNode, School
from tests.conftest import csrf_token
from tests.hub import dataset

HUB_PAGES = [
    "/hub/",
    "/hub/schools",
    "/hub/schools/new",
    "/hub/schools/import",
    "/hub/tokens",
    "/hub/nodes",
    "/hub/reports",
]


def _login(client, username, password="password1"):
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def admin_client(hub_client):
    accounts.create_user("hubadmin", "admin", password="password1")
    _login(hub_client, "hubadmin")
    return hub_client


def _post(client, path, data, token_from="/hub/"):
    data = dict(data)
    data["csrf_token"] = csrf_token(client, token_from)
    return client.post(path, data=data)


@pytest.mark.parametrize("path", HUB_PAGES)
def test_hub_pages_are_404_on_a_node(client, make_user, path):
    admin = make_user("admin")
    _login(client, admin.username)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", HUB_PAGES)
def test_hub_pages_are_403_for_a_hub_teacher_and_ask_a_login_first(hub_client, path):
    assert hub_client.get(path).status_code == 302
    accounts.create_user("teacher1", "teacher", password="password1")
    _login(hub_client, "teacher1")
    assert hub_client.get(path).status_code == 403


@pytest.mark.parametrize("path", HUB_PAGES)
def test_hub_admin_opens_every_page(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_schools_page_filters_by_oblast_and_rayon(admin_client):
    chuy, osh = registry.find_oblast("Chüy"), registry.find_oblast("Osh")
    registry.save_school("A1", "Alpha school", chuy, "North")
    registry.save_school("A2", "Beta school", chuy, "South")
    registry.save_school("B1", "Gamma school", osh, "North")
    page = admin_client.get(f"/hub/schools?oblast={chuy.id}").get_data(as_text=True)
    assert "Alpha school" in page and "Beta school" in page and "Gamma school" not in page
    south = registry.rayon_named(chuy, "South")
    page = admin_client.get(f"/hub/schools?oblast={chuy.id}&rayon={south.id}").get_data(
        as_text=True
    )
    assert "Beta school" in page and "Alpha school" not in page
    assert admin_client.get("/hub/schools?oblast=999").status_code == 404


def test_add_and_edit_a_school(admin_client):
    chuy, naryn = registry.find_oblast("Chüy"), registry.find_oblast("Naryn")
    response = _post(
        admin_client,
        "/hub/schools/new",
        {"code": "41001", "name": "School 1", "oblast": chuy.id, "rayon": "Sokuluk"},
    )
    assert response.status_code == 302
    school = School.get_by_id("41001")
    assert (school.name, school.oblast_id, school.rayon.name) == ("School 1", chuy.id, "Sokuluk")
    again = _post(
        admin_client, "/hub/schools/new", {"code": "41001", "name": "X", "oblast": chuy.id}
    )
    assert "already registered" in again.get_data(as_text=True)
    missing = _post(admin_client, "/hub/schools/new", {"code": "41002", "name": "X", "oblast": ""})
    assert "Choose the oblast" in missing.get_data(as_text=True)
    assert 'value="Sokuluk"' in admin_client.get("/hub/schools/41001/edit").get_data(as_text=True)
    _post(
        admin_client,
        "/hub/schools/41001/edit",
        {"name": "School No. 1", "oblast": naryn.id, "rayon": "At-Bashy"},
    )
    school = School.get_by_id("41001")
    assert (school.name, school.oblast_id, school.rayon.name, school.rayon.oblast_id) == (
        "School No. 1",
        naryn.id,
        "At-Bashy",
        naryn.id,
    )
    assert admin_client.get("/hub/schools/NOPE/edit").status_code == 404
    assert (
        admin_client.post(
            "/hub/schools/new", data={"code": "9", "name": "n", "oblast": chuy.id}
        ).status_code
        == 400
    )


def _upload(client, data: bytes):
    return client.post(
        "/hub/schools/import",
        data={
            "csrf_token": csrf_token(client, "/hub/schools/import"),
            "file": (io.BytesIO(data), "schools.csv"),
        },
        content_type="multipart/form-data",
    )


def test_import_in_the_ui_previews_then_writes(admin_client):
    data = "code;name;oblast;rayon\n41001;Школа №1;Чуйская;Сокулук\n61001;Ош мектеби;Osh;\n".encode(
        "cp1251"
    )
    preview = _upload(admin_client, data)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Школа №1" in page and "Import 2 schools" in page
    assert School.select().count() == 0  # a preview writes nothing
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    done = _post(admin_client, "/hub/schools/import/confirm", {"digest": digest})
    assert done.status_code == 302
    assert School.get_by_id("41001").oblast.name == "Chüy"
    replay = _post(admin_client, "/hub/schools/import/confirm", {"digest": digest})
    assert replay.status_code == 410
    assert _post(admin_client, "/hub/schools/import/confirm", {"digest": "../x"}).status_code == 400


def test_import_in_the_ui_shows_errors_with_lines(admin_client):
    bad = _upload(admin_client, b"code,name,oblast\n1,One,Chui\n1,Two,Chui\n2,Three,Mars\n")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Line 3" in page and "also on line 2" in page and "Line 4" in page and "Mars" in page
    assert 'name="digest"' not in page
    assert School.select().count() == 0


def test_token_sheet(admin_client):
    registry.save_school("41001", "School 1", registry.find_oblast("Chüy"), "Sokuluk")
    form = admin_client.get("/hub/tokens?school=41001").get_data(as_text=True)
    assert '<option value="41001" selected' in form
    response = _post(
        admin_client, "/hub/tokens", {"school": "41001", "hours": "24"}, token_from="/hub/tokens"
    )
    page = response.get_data(as_text=True)
    token = re.search(r"mektep enroll --hub http://localhost --token ([0-9a-f-]+)", page).group(1)
    assert "School 1" in page and "Sokuluk" in page
    row = EnrollmentToken.get()
    assert row.school_id == "41001" and row.expires_at.strftime("%Y-%m-%d %H:%M") in page
    assert 23.9 < (row.expires_at - row.created_at).total_seconds() / 3600 <= 24
    assert len(token) >= 20
    unknown = _post(admin_client, "/hub/tokens", {"school": "NOPE"}, token_from="/hub/tokens")
    assert "No school with the code" in unknown.get_data(as_text=True)


def test_nodes_page_and_revoke(admin_client):
    dataset.build()
    page = admin_client.get("/hub/nodes").get_data(as_text=True)
    assert "School No. 1" in page and "Kara-Suu gymnasium" in page
    assert "-4 s" in page and ">12<" in page and "1.0" in page  # skew, pending rows, version
    assert admin_client.post("/hub/nodes/n-a/revoke").status_code == 400  # no CSRF token
    response = _post(admin_client, "/hub/nodes/n-a/revoke", {}, token_from="/hub/nodes")
    assert response.status_code == 302
    assert HubNode.get_by_id("n-a").revoked_at is not None
    assert HubNode.get_by_id("n-b").revoked_at is None
    assert "revoked" in admin_client.get("/hub/nodes").get_data(as_text=True)
    assert (
        _post(admin_client, "/hub/nodes/nope/revoke", {}, token_from="/hub/nodes").status_code
        == 404
    )


def _csv(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_report_drill_down_and_csv(admin_client):
    data = dataset.build()
    chuy = registry.find_oblast("Chüy")
    national = admin_client.get("/hub/reports").get_data(as_text=True)
    assert f"/hub/reports/oblast/{chuy.id}" in national and "National test" in national
    rows = _csv(admin_client, "/hub/reports?format=csv&table=oblasts")
    assert rows[0] == [
        "Name",
        "Schools",
        "Students",
        "Classes",
        "Quiz attempts",
        "Marks",
        "Mean mark",
        "Last sync",
    ]
    assert ["Chüy", "2", "3", "2", "3", "4", "3.5", "2026-01-10T08:00:00"] in rows
    assert len(rows) == 10
    oblast = admin_client.get(f"/hub/reports/oblast/{chuy.id}").get_data(as_text=True)
    rayon = registry.rayon_named(chuy, "Alamüdün")
    assert f"/hub/reports/oblast/{chuy.id}/rayon/{rayon.id}" in oblast
    assert f"/hub/reports/oblast/{chuy.id}/rayon/none" in oblast
    schools = _csv(
        admin_client, f"/hub/reports/oblast/{chuy.id}/rayon/none?format=csv&table=schools"
    )
    assert [r[0] for r in schools[1:]] == ["C001"]
    school = admin_client.get("/hub/reports/school/A001").get_data(as_text=True)
    assert f"/hub/reports/school/A001/class/{data['a7'].id}" in school
    courses = _csv(admin_client, "/hub/reports/school/A001?format=csv&table=courses")
    assert courses[1:] == [
        ["Algebra 7", "2025–2026", "1", "3", "4.0", "1", "5.0"],
        ["Algebra 7", "2025–2026", "2", "1", "2.0", "0", ""],
    ]
    klass = _csv(
        admin_client, f"/hub/reports/school/A001/class/{data['a8'].id}?format=csv&table=courses"
    )
    assert klass[1:] == [["Algebra 7", "2025–2026", "1", "1", "3.0", "0", ""]]
    assert admin_client.get(f"/hub/reports/school/B001/class/{data['a7'].id}").status_code == 404
    items = _csv(admin_client, f"/hub/reports/quiz/{data['quiz'].id}?format=csv&table=items")
    assert items[0] == ["Question", "Answers", "Facility", "Discrimination"]
    assert [r[:3] for r in items[1:]] == [["Q one", "4", "0.75"], ["Q two", "4", "0.5"]]
    assert admin_client.get("/hub/reports?format=csv&table=nope").status_code == 404
    assert admin_client.get(f"/hub/reports/oblast/{chuy.id}/rayon/x").status_code == 404


def test_the_menu_links_the_hub_pages_on_a_hub(admin_client):
    assert 'href="/hub/"' in admin_client.get("/hub/schools").get_data(as_text=True)


def test_the_menu_has_no_hub_link_on_a_node(client, make_user):
    _login(client, make_user("admin").username)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Administration" in page and 'href="/hub/"' not in page
