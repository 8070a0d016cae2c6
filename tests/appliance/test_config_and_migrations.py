"""Settings registry and migrations."""

from pathlib import Path

import pytest

from appliance import migrate
from appliance.config import SETTINGS, ConfigError, load_config
from appliance.db import init_database
from appliance.models import ALL_MODELS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name in SETTINGS if f"`{name}`" not in text]
    assert not missing, f"settings missing from README.md: {missing}"


def test_toml_then_environment_then_overrides(tmp_path, monkeypatch):
    (tmp_path / "mektep.toml").write_text("port = 9000\nthreads = 3\nadvertise = false\n")
    monkeypatch.setenv("MEKTEP_THREADS", "5")
    config = load_config(tmp_path, {"port": 9100})
    assert (config.port, config.threads, config.advertise) == (9100, 5, False)


def test_bad_settings_say_where(tmp_path, monkeypatch):
    (tmp_path / "mektep.toml").write_text('colour = "red"\n')
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_config(tmp_path)
    (tmp_path / "mektep.toml").write_text('port = "eighty"\n')
    with pytest.raises(ConfigError, match="mektep.toml.*'port' must be int"):
        load_config(tmp_path)
    (tmp_path / "mektep.toml").write_text("")
    monkeypatch.setenv("MEKTEP_ROLE", "server")
    with pytest.raises(ConfigError, match="role"):
        load_config(tmp_path)


def test_migrations_build_exactly_the_models(tmp_path):
    init_database(load_config(tmp_path))
    names = sorted(p.stem for p in migrate.MIGRATIONS_DIR.glob("[0-9]*.py"))
    assert migrate.pending() == names and names[0] == "0001_initial"
    assert migrate.migrate() == names
    assert migrate.pending() == []
    assert migrate.schema_drift(ALL_MODELS) == "", (
        "models changed without a migration (make migration)"
    )


def test_migrate_twice_keeps_data(tmp_path):
    from appliance.accounts import services as accounts
    from appliance.school.services import ensure_identity

    init_database(load_config(tmp_path))
    migrate.migrate()
    ensure_identity("node")
    accounts.get_or_create_class("5А")
    assert migrate.migrate() == []
    assert [c.name for c in accounts.list_classes()] == ["5А"]


def test_a_relative_home_becomes_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config("var")
    assert config.home == tmp_path / "var" and config.content_dir.is_absolute()
