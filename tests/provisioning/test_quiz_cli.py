"""`mektep quiz import` through click's CliRunner: exact output and exit codes."""

import json

import pytest
from click.testing import CliRunner

from provisioning.cli import main
from provisioning.quiz import NOT_BUILT

GIFT = """// two questions
$CATEGORY: Алгебра

::Q1:: 2+2? {=4 ~5 #No. ####Count.}

Grant is buried in Grant's tomb.{F}
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(GIFT, encoding="utf-8")
    return path


def test_dry_run_json_shape(runner, gift_file):
    result = runner.invoke(main, ["quiz", "import", str(gift_file), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "type": "multichoice",
            "name": "Q1",
            "text": "2+2?",
            "category": "Алгебра",
            "general_feedback": "Count.",
            "single": True,
            "answers": [
                {"text": "4", "fraction": 1.0, "feedback": ""},
                {"text": "5", "fraction": 0.0, "feedback": "No."},
            ],
        },
        {
            "type": "truefalse",
            "name": "Grant is buried in Grant's tomb.",
            "text": "Grant is buried in Grant's tomb.",
            "category": "Алгебра",
            "general_feedback": "",
            "answer": False,
        },
    ]


def test_dry_run_summary(runner, gift_file):
    result = runner.invoke(main, ["quiz", "import", str(gift_file), "--dry-run"])
    assert result.exit_code == 0
    assert result.stdout == (
        f"{gift_file}: 2 question(s) (multichoice 1, truefalse 1)\n"
        "  line 4: multichoice: Q1  [Алгебра]\n"
        "  line 6: truefalse: Grant is buried in Grant's tomb.  [Алгебра]\n"
    )


def test_syntax_error_exits_non_zero_and_names_the_line(runner, tmp_path):
    path = tmp_path / "broken.gift"
    path.write_text("Fine{T}\n\n// next\nBroken\n{=a ~b\n", encoding="utf-8")
    result = runner.invoke(main, ["quiz", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:4: unclosed brace: '{{' without a closing '}}'\n"
    assert [q["text"] for q in json.loads(result.stdout)] == ["Fine"]


def test_xml_format_from_extension_and_its_errors(runner, tmp_path):
    path = tmp_path / "bank.xml"
    path.write_text("<quiz>\n<question type='essay'>\n</quiz>", encoding="utf-8")
    result = runner.invoke(main, ["quiz", "import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3: malformed XML")


def test_format_option_overrides_the_extension(runner, tmp_path):
    path = tmp_path / "bank.dat"
    path.write_text("x{T}", encoding="utf-8")
    result = runner.invoke(main, ["quiz", "import", str(path), "--dry-run"])
    assert result.exit_code == 2 and "--format" in result.stderr
    result = runner.invoke(main, ["quiz", "import", str(path), "--dry-run", "--format", "gift"])
    assert result.exit_code == 0


def test_windows_1251_file(runner, tmp_path):
    path = tmp_path / "bank.txt"
    path.write_bytes("Столица?{=Бишкек}".encode("cp1251"))
    result = runner.invoke(main, ["quiz", "import", str(path), "--dry-run", "--json"])
    assert json.loads(result.stdout)[0]["answers"][0]["text"] == "Бишкек"


def test_import_without_dry_run_says_the_bank_is_not_built(runner, gift_file):
    result = runner.invoke(main, ["quiz", "import", str(gift_file), "--course", "math-7"])
    assert result.exit_code == 2
    assert result.stderr == NOT_BUILT + "\n"
    assert NOT_BUILT == (
        "Importing into a course needs the question bank, which is not built "
        "yet; use --dry-run to check the file."
    )


def test_import_without_dry_run_needs_a_course(runner, gift_file):
    result = runner.invoke(main, ["quiz", "import", str(gift_file)])
    assert result.exit_code == 2 and "--course is required" in result.stderr
