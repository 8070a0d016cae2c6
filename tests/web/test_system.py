"""/healthz and /api/v1/info, which monitoring and discovery read."""

from appliance import __version__
from appliance.school.services import update_look


def test_healthz_reports_status_version_role_and_database(client):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "version": __version__, "role": "node", "database": True}


def test_info_names_the_node_and_school(client, app):
    update_look("Ош шаарындагы №5 мектеп", "Osh city", "#1f5f8b", "#e0a526")
    body = client.get("/api/v1/info").get_json()
    assert body["node_id"] == app.config["IDENTITY"]["node_id"]
    assert body["school"] == "Ош шаарындагы №5 мектеп" and body["oblast"] == "Osh city"
    assert body["api"] == 1 and body["version"] == __version__


def test_school_name_and_colours_appear_on_every_page(client):
    update_look("Талас мектеби", "Talas", "#123456", "#abcdef")
    page = client.get("/login").get_data(as_text=True)
    assert "Талас мектеби" in page and "--primary:#123456" in page
