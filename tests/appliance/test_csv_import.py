"""CSV import of users: encodings, delimiters, validation with line numbers, all-or-nothing."""

import os

import pytest

from appliance.accounts import csv_import
from appliance.accounts import services as accounts
from appliance.accounts.models import InitialPassword, User
from appliance.accounts.passwords import check_password
from appliance.errors import ValidationError


def errors_of(preview):
    return [(e.line, e.message) for e in preview.errors]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_are_sniffed_from_the_header(node_db, sep):
    text = sep.join(["username", "firstname", "lastname", "cohort1"]) + "\n"
    text += sep.join(["nurlan", "Нурлан", "Өмүров", "7а"]) + "\n"
    preview = csv_import.parse(text.encode("utf-8"))
    assert errors_of(preview) == []
    [row] = preview.rows
    assert (row.line, row.username, row.first_name, row.last_name, row.class_name, row.role) == (
        2,
        "nurlan",
        "Нурлан",
        "Өмүров",
        "7А",
        "student",
    )
    assert row.generated and len(row.password) == 8


def test_utf8_with_bom_keeps_kyrgyz_letters(node_db):
    data = "username;firstname;lastname\r\naigul;Айгүл;Жаңыбаева\r\numut;Үмүт;Төлөнова\r\n"
    preview = csv_import.parse(b"\xef\xbb\xbf" + data.encode("utf-8"))
    assert errors_of(preview) == []
    assert [(r.username, r.first_name, r.last_name) for r in preview.rows] == [
        ("aigul", "Айгүл", "Жаңыбаева"),
        ("umut", "Үмүт", "Төлөнова"),
    ]


def test_windows_1251_file_with_russian_names(node_db):
    data = "username;firstname;lastname;cohort1\r\nasanov;Сергей;Асанов;9Б\r\n".encode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the fallback
    preview = csv_import.parse(data)
    assert errors_of(preview) == []
    assert (preview.rows[0].first_name, preview.rows[0].last_name, preview.rows[0].class_name) == (
        "Сергей",
        "Асанов",
        "9Б",
    )


def test_utf16_from_excel_unicode_text(node_db):
    data = "username\tfirstname\tlastname\nbakyt\tБакыт\tУулу\n".encode("utf-16")
    preview = csv_import.parse(data)
    assert errors_of(preview) == []
    assert preview.rows[0].last_name == "Уулу"


def test_wrong_header_names_missing_and_unknown_columns(node_db):
    preview = csv_import.parse(b"user,firstname,surname\nali,Ali,Bekov\n")
    [(line, message)] = errors_of(preview)
    assert line == 1
    assert "required columns: username, lastname." in message
    assert "Unknown columns: user, surname." in message
    assert preview.rows == []


def test_extra_moodle_columns_are_ignored_and_named(node_db):
    preview = csv_import.parse(b"Username,FirstName,LastName,idnumber,city\nali,Ali,Bekov,17,Osh\n")
    assert errors_of(preview) == []
    assert preview.ignored_columns == ["idnumber", "city"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b"username,firstname,lastname\r\n", "The file has a header but no users."),
        (
            b"username,firstname\x00,lastname\nali,a,b\n",
            "This is not a text file. Save the table from the spreadsheet as CSV.",
        ),
        (
            b"username,firstname,lastname\nali\x01,a,b\n",
            "This is not a text file. Save the table from the spreadsheet as CSV.",
        ),
    ],
)
def test_file_level_problems_have_a_clear_message(node_db, data, message):
    assert errors_of(csv_import.parse(data)) == [(None, message)]


def test_ten_megabytes_of_random_binary_is_refused(node_db):
    preview = csv_import.parse(os.urandom(10 * 1024 * 1024))
    assert errors_of(preview) == [
        (None, "The file is larger than 2 MB; split it into several files.")
    ]


def test_small_random_binary_is_not_text(node_db):
    junk = bytes(range(256)) * 8
    assert errors_of(csv_import.parse(junk)) == [
        (None, "This is not a text file. Save the table from the spreadsheet as CSV.")
    ]


def test_too_many_rows(node_db):
    lines = ["username,firstname,lastname"] + [
        f"u{i:05d},A,B" for i in range(csv_import.MAX_ROWS + 1)
    ]
    preview = csv_import.parse("\n".join(lines).encode())
    assert (None, "The file has more than 5000 users; split it into several files.") in errors_of(
        preview
    )


def test_every_bad_row_is_reported_with_its_physical_line(node_db, make_user):
    make_user("student", username="taken")
    data = (
        "username,firstname,lastname,password,email,cohort1,role1\n"
        "good,Ali,Bekov,,,7А,student\n"  # line 2
        "\n"  # line 3: blank, skipped
        "Good,Ali,Bekov,,,,\n"  # line 4: duplicate (case-insensitive)
        "taken,Ali,Bekov,,,,\n"  # line 5: exists already
        "Bad Name,Ali,Bekov,,,,\n"  # line 6
        "t1,Ali,Bekov,,,,admin\n"  # line 7: role
        "t2,Ali,Bekov,short,,,\n"  # line 8: password
        "t3,Ali,Bekov,,not-an-email,,\n"  # line 9
        "t4,Ali,Bekov,,,7А,editingteacher\n"  # line 10: teacher with a class
        "t5,,Bekov,,,,\n"  # line 11: no first name
        "t6,Ali,Bekov,,,this-class-name-is-too-long,\n"  # line 12
        't7,"Ali\nAlievich",Bekov,,,,teacher\n'  # lines 13-14: one quoted record
        "t8,Ali,Bekov,,,,,,extra\n"  # line 15: more cells than columns
        "t9,Ali,Bekov,,,,,,\n"  # line 16: empty trailing cells are fine
    )
    preview = csv_import.parse(data.encode())
    assert errors_of(preview) == [
        (4, "The username 'good' is also on line 2."),
        (5, "The username 'taken' is already taken."),
        (6, "A username has 2 to 64 Latin letters, digits, dots, dashes or underscores."),
        (7, "Unknown role 'admin': use student or teacher."),
        (8, "A password must have at least 6 characters."),
        (9, "'not-an-email' is not an email address."),
        (10, "Only students belong to a class."),
        (11, "The first name and the last name must not be empty."),
        (12, "A class name must have 1 to 16 characters, like 7А."),
        (15, "This line has more cells than the header has columns."),
    ]
    assert [(r.line, r.username, r.role) for r in preview.rows] == [
        (2, "good", "student"),
        (13, "t7", "teacher"),
        (16, "t9", "student"),
    ]
    assert not preview.ok
    with pytest.raises(ValidationError):
        csv_import.apply_import(preview)
    assert accounts.find_user("good") is None


def test_apply_creates_everyone_with_hashes_and_initial_passwords(node_db):
    data = (
        "username;firstname;lastname;password;email;cohort1;role1\n"
        "aibek;Айбек;Асанов;secret77;aibek@school.kg;7А;\n"
        "gulnara;Гүлнара;Ниязова;;;;teacher\n"
        "ermek;Эрмек;Ташиев;;;7 а;student\n"
    )
    preview = csv_import.parse(data.encode())
    users = csv_import.apply_import(preview)
    assert [u.username for u in users] == ["aibek", "gulnara", "ermek"]
    aibek = accounts.find_user("aibek")
    assert check_password(aibek.password_hash, "secret77")
    assert (aibek.email, aibek.school_class.name) == ("aibek@school.kg", "7А")
    assert accounts.find_user("ermek").school_class_id == aibek.school_class_id
    assert accounts.find_user("gulnara").role == "teacher"
    stored = {p.user.username: p.password for p in InitialPassword.select()}
    assert stored == {r.username: r.password for r in preview.rows}
    for row in preview.rows:
        assert check_password(accounts.find_user(row.username).password_hash, row.password)


def test_apply_is_all_or_nothing_when_a_username_appears_meanwhile(node_db, make_user):
    preview = csv_import.parse(b"username,firstname,lastname,cohort1\nfirst,A,B,5A\nlater,C,D,5A\n")
    assert preview.ok
    make_user("teacher", username="later")  # created by someone else after the preview
    with pytest.raises(ValidationError, match="Line 3: The username 'later' is already taken."):
        csv_import.apply_import(preview)
    assert accounts.find_user("first") is None
    assert accounts.find_class("5A") is None
    assert User.select().count() == 1


def test_chosen_passwords_are_reused_on_a_second_parse(node_db):
    data = b"username,firstname,lastname,password\nali,A,B,\nvali,C,D,given1\n"
    first = csv_import.parse(data)
    again = csv_import.parse(data, first.generated_passwords())
    assert [r.password for r in again.rows] == [r.password for r in first.rows]
    assert first.generated_passwords() == {2: first.rows[0].password}
