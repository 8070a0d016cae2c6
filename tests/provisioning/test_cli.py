"""The `mektep` command: migrate, serve's refusal of an old database, users add, settings."""

from click.testing import CliRunner

from provisioning.cli import main


def run(home, *args):
    return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = run(tmp_path, "serve", "--port", "0")
    assert result.exit_code == 1
    assert "not up to date" in result.output and "mektep migrate" in result.output


def test_migrate_then_add_users(tmp_path):
    first = run(tmp_path, "migrate")
    assert first.exit_code == 0 and "Applied" in first.output
    assert "up to date" in run(tmp_path, "migrate").output
    added = run(
        tmp_path,
        "users",
        "add",
        "--role",
        "student",
        "--username",
        "aigul",
        "--class",
        "7а",
        "--name",
        "Асанова Айгүл",
    )
    assert added.exit_code == 0 and "with password" in added.output
    listed = run(tmp_path, "users", "list")
    assert "aigul\tstudent\t7А\tАсанова Айгүл" in listed.output
    again = run(tmp_path, "users", "add", "--role", "student", "--username", "aigul")
    assert again.exit_code == 1 and "already taken" in again.output
    bad = run(tmp_path, "users", "add", "--role", "teacher", "--username", "x y", "--password", "p")
    assert bad.exit_code == 1 and "username" in bad.output.lower()


def test_settings_lists_every_setting_with_its_env_var(tmp_path):
    (tmp_path / "mektep.toml").write_text("port = 9090\n")
    result = run(tmp_path, "settings")
    assert "port = 9090" in result.output and "[MEKTEP_PORT]" in result.output
    broken = tmp_path / "b"
    broken.mkdir()
    (broken / "mektep.toml").write_text("port = [\n")
    result = run(broken, "settings")
    assert result.exit_code == 1 and "mektep.toml" in result.output
