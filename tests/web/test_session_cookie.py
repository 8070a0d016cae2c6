"""The session cookie: static files never (re)set it."""

from tests.conftest import login


def test_static_files_leave_the_session_cookie_alone(client, make_user):
    # A stylesheet or icon still loading when the next page flashes a message (or logs in)
    # must not answer later with the older session and wipe that change.
    login(client, make_user("student"))
    page = client.get("/")
    assert page.status_code == 200 and page.headers.getlist("Set-Cookie")  # pages still refresh it
    for path in ("/static/style.css", "/static/favicon.svg"):
        static = client.get(path)
        static.close()
        assert static.status_code == 200, path
        assert static.headers.getlist("Set-Cookie") == [], path
    assert client.get("/").status_code == 200  # still logged in
