"""`mektep users import`: exit codes, dry run, JSON output."""

import json

import pytest

from appliance.accounts import services as accounts
from appliance.accounts.models import User

GOOD = (
    "username,firstname,lastname,password,cohort1,role1\n"
    "aigul,Айгүл,Жаңыбаева,,7А,\n"
    "kanat,Канат,Уулу,secret77,,teacher\n"
)


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, encoding: str = "utf-8"):
        path = tmp_path / "users.csv"
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def test_import_creates_users_and_prints_passwords(run, csv_file):
    result = run("users", "import", csv_file(GOOD))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("line 2: student 7А aigul (Жаңыбаева Айгүл) password ")
    assert lines[0].endswith(" (generated)")
    assert lines[1] == "line 3: teacher kanat (Уулу Канат) password secret77"
    assert lines[-1] == "Created 2 users."
    assert accounts.find_user("aigul").school_class.name == "7А"
    assert accounts.find_user("kanat").role == "teacher"


def test_dry_run_writes_nothing(run, csv_file):
    result = run("users", "import", "--dry-run", csv_file(GOOD))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "Would create 2 users (dry run, nothing written)."
    assert User.select().count() == 0
    assert accounts.find_class("7А") is None


def test_json_output_shape(run, csv_file):
    result = run("users", "import", "--json", csv_file(GOOD))
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["ok"] is True and out["errors"] == []
    assert [r["username"] for r in out["created"]] == ["aigul", "kanat"]
    assert set(out["created"][0]) == {
        "line",
        "username",
        "first_name",
        "last_name",
        "role",
        "class",
        "password",
    }
    assert out["created"][1] == {
        "line": 3,
        "username": "kanat",
        "first_name": "Канат",
        "last_name": "Уулу",
        "role": "teacher",
        "class": None,
        "password": "secret77",
    }
    assert "would_create" not in out


def test_json_dry_run_of_a_windows_1251_file(run, csv_file):
    text = "username;firstname;lastname;cohort1\r\nivanov;Иван;Петров;10В\r\n"
    result = run("users", "import", "--json", "--dry-run", csv_file(text, "cp1251"))
    out = json.loads(result.output)
    assert result.exit_code == 0
    assert out["would_create"][0]["last_name"] == "Петров"
    assert out["would_create"][0]["class"] == "10В"
    assert User.select().count() == 0


def test_one_bad_row_fails_the_whole_file(run, csv_file, make_user):
    make_user("admin", username="kanat")
    result = run("users", "import", "--json", csv_file(GOOD + "x,Bad,Row,,,\n"))
    assert result.exit_code == 1
    out = json.loads(result.output)
    assert out["ok"] is False
    assert out["errors"] == [
        {"line": 3, "message": "The username 'kanat' is already taken."},
        {
            "line": 4,
            "message": "A username has 2 to 64 Latin letters, digits, dots, dashes or underscores.",
        },
    ]
    assert [r["username"] for r in out["would_create"]] == ["aigul"]
    assert accounts.find_user("aigul") is None
    assert User.select().count() == 1


def test_text_errors_go_to_stderr_with_line_numbers(run, csv_file):
    result = run("users", "import", csv_file("username,first\nali,A\n"))
    assert result.exit_code == 1
    assert (
        "Error: line 1: The header lacks the required columns: firstname, lastname."
        in result.stderr
    )
    assert "Unknown columns: first." in result.stderr
    assert "Nothing was imported" in result.stderr
    assert User.select().count() == 0


def test_empty_file_and_missing_file(run, csv_file):
    result = run("users", "import", "--json", csv_file(""))
    assert result.exit_code == 1
    assert json.loads(result.output)["errors"] == [{"line": None, "message": "The file is empty."}]
    assert run("users", "import", "/nonexistent.csv").exit_code == 2
