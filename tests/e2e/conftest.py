"""End-to-end parts: the real `mektep serve` (waitress) on loopback and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.parts import MEKTEP, free_port, need, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]


def mektep(home: Path, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run the real `mektep` command on a node home."""
    env = {**os.environ, "MEKTEP_DEFAULT_LANGUAGE": "en", **kwargs.pop("env", {})}
    return subprocess.run(
        [MEKTEP, "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=check,
        env=env,
        **kwargs,
    )


class LiveNode:
    """A migrated node served by `mektep serve` in a subprocess."""

    def __init__(self, home: Path, env: dict | None = None):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        mektep(home, "migrate")
        (home / "mektep.toml").write_text('advertise = false\ndefault_language = "en"\n')
        self.log = home / "serve.log"
        self.proc = serve(home, self.port, env=env)

    def run(self, *args: str, **kwargs):
        return mektep(self.home, *args, **kwargs)

    def add_user(
        self, role: str, username: str, password: str, name: str = "", class_name: str = ""
    ):
        """`mektep users add` for one user."""
        args = ["--role", role, "--username", username, "--password", password]
        if class_name:
            args += ["--class", class_name]
        if name:
            args += ["--name", name]
        return self.run("users", "add", *args)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def login(page, base: str, username: str, password: str) -> None:
    """Log in through the login form; fails the test when the login is refused."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login failed for {username}"


@pytest.fixture
def live_node(tmp_path):
    node = LiveNode(tmp_path / "node")
    yield node
    node.stop()


@pytest.fixture(scope="session")
def chromium():
    need(
        Path(CHROMIUM).exists() and shutil.which("chromium") is not None,
        "Debian's chromium is not installed (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
