"""Login, logout, throttling, CSRF, password change and reset."""

from tests.conftest import csrf_token, login, post


def test_login_and_logout(client, make_user):
    student = make_user("student", class_name="7А")
    response = login(client, student)
    assert response.status_code == 302
    assert student.full_name in client.get("/").get_data(as_text=True)
    post(client, "/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_throttled(client, make_user):
    student = make_user("student")
    for _ in range(5):
        assert login(client, student, "wrong-pass").status_code == 401
    response = login(client, student)  # right password, but locked
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, make_user):
    student = make_user("student")
    response = client.post("/login", data={"username": student.username, "password": "password1"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_password_change_ends_other_sessions(app, make_user):
    student = make_user("student")
    first, second = app.test_client(), app.test_client()
    login(first, student)
    login(second, student)
    response = post(
        first,
        "/password",
        {"old_password": "password1", "new_password": "newpass99", "confirm_password": "newpass99"},
        token_from="/password",
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302  # the other PC is logged out
    assert login(app.test_client(), student, "newpass99").status_code == 302


def test_teacher_resets_a_students_password_but_not_an_admins(client, make_user):
    teacher = make_user("teacher")
    student = make_user("student", class_name="7А")
    admin = make_user("admin")
    login(client, teacher)
    response = post(client, f"/admin/users/{student.id}/reset", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "New password for" in text
    assert post(client, f"/admin/users/{admin.id}/reset").status_code == 403


def test_student_cannot_open_admin_pages(client, make_user):
    student = make_user("student")
    login(client, student)
    for path in ("/admin/", "/admin/users", "/admin/classes"):
        assert client.get(path).status_code == 403


def test_open_redirect_after_login_is_refused(client, make_user):
    student = make_user("student")
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "username": student.username,
            "password": "password1",
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.headers["Location"] == "/"


def test_national_authors_from_the_hub_are_not_listed_as_school_users(client, make_user):
    from appliance.accounts.models import User

    admin = make_user("admin")
    author = User(
        username="methodist",
        role="teacher",
        password_hash="!",
        origin="hub",
        school=None,
        last_name="Hub author",
    )
    author._replicating = True
    author.save()
    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert admin.username in page and "methodist" not in page
