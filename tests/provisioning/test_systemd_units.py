"""The systemd units run the venv's real `mektep` binary with commands that exist."""

import configparser
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from provisioning.cli import main

UNITS = sorted((Path(__file__).resolve().parents[2] / "systemd").glob("*.service"))


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_starts_an_existing_mektep_command_directly(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(unit, encoding="utf-8")
    service = parser["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/.venv/bin/mektep"), "no shell wrapper: signals must reach mektep"
    help_text = CliRunner().invoke(main, [*argv[1:], "--help"])
    assert help_text.exit_code == 0, help_text.output
    assert service["Restart"] and service["TimeoutStopSec"]
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"


def test_web_sync_and_hub_units_exist():
    assert {u.name for u in UNITS} == {
        "mektep-web.service",
        "mektep-sync.service",
        "mektep-hub.service",
    }
