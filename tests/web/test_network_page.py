"""The admin's Network page: URLs for classroom PCs, advertising state, the wall sheet."""

from appliance.discovery.addresses import HostAddress
from tests.conftest import login


class FakeAdvertiser:
    def __init__(self, **state):
        self._state = {
            "status": "on",
            "reason": "",
            "instance": "School 5-2",
            "host": "mektep-2.local",
            "wanted_instance": "School 5",
            "wanted_host": "mektep.local",
            "renamed": True,
            "addresses": ["10.1.2.3"],
            "port": 8080,
            **state,
        }

    def state(self):
        return self._state


def test_network_page_shows_urls_and_renamed_state(app, client, make_user):
    app.extensions["discovery"] = FakeAdvertiser()
    login(client, make_user("admin"))
    html = client.get("/admin/network").get_data(as_text=True)
    assert "http://mektep-2.local:8080/" in html
    assert "http://10.1.2.3:8080/" in html
    assert "School 5-2" in html and "renamed" in html.lower()
    assert 'name="csrf_token"' in html  # the language form on every page


def test_network_page_without_advertiser_lists_lan_addresses(client, make_user, monkeypatch):
    monkeypatch.setattr(
        "web.admin.network.host_addresses",
        lambda: [
            HostAddress("lo", "127.0.0.1"),
            HostAddress("docker0", "172.17.0.1"),
            HostAddress("eth0", "192.168.1.20"),
        ],
    )
    login(client, make_user("admin"))
    html = client.get("/admin/network").get_data(as_text=True)
    assert "http://192.168.1.20:8080/" in html and "http://mektep.local:8080/" in html
    assert "172.17.0.1" not in html and "http://127.0.0.1" not in html
    assert "Off" in html


def test_wall_sheet_has_a_local_qr_code(app, client, make_user):
    app.extensions["discovery"] = FakeAdvertiser(renamed=False, host="mektep.local")
    login(client, make_user("admin"))
    response = client.get("/admin/network/sheet")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<svg" in html and "http://mektep.local:8080/" in html
    assert client.get("/admin/network/sheet?url=http://evil.example/").status_code == 404
    assert client.get("/admin/network/sheet?url=http://mektep.local:8080/").status_code == 200


def test_network_page_is_for_admins_only(client, make_user):
    login(client, make_user("teacher"))
    assert client.get("/admin/network").status_code in (302, 403)
