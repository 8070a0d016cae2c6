"""Fixtures for the provisioning CLI tests."""

import pytest
from click.testing import CliRunner

from provisioning.cli import main


@pytest.fixture
def run(home, node_db):
    """Run `mektep --home <the test's node> ...` in-process; returns the result."""

    def invoke(*args):
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    return invoke
