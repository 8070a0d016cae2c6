"""Small pages for old PCs, and nothing that reaches outside the LAN.

Both run over the demo school: a student's course page with every asset it references must
weigh at most 60 KB gzipped; a crawl of every page each role can reach finds no reference to
a host outside the node.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin, urlparse

import pytest

from appliance.accounts import services as accounts
from appliance.discovery.addresses import host_addresses
from provisioning import demo_content
from provisioning.demo import build_demo
from tests.conftest import login

ASSET = re.compile(r'<(?:link|script|img|source|video|audio|iframe)\b[^>]*?(?:href|src)="([^"]+)"')
LINK = re.compile(r'<a\b[^>]*?href="([^"#]+)')
# Any address a page could make the browser fetch or follow.
REFERENCE = re.compile(r'(?:href|src|action|poster|data)\s*=\s*"([^"]*)"|url\(\s*[\'"]?([^\'")]+)')
LOCAL_HOSTS = re.compile(
    r"^(localhost|127\.\d+\.\d+\.\d+|[\w.-]+\.local|10\.\d+\.\d+\.\d+|"
    r"192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$"
)


@pytest.fixture
def demo(app, config):
    build_demo(config)
    return app


def _student_of(class_name: str):
    student, password = next(
        card for card in accounts.login_cards(accounts.find_class(class_name)) if card[1]
    )
    student.plain_password = password
    return student


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_student_course_page_with_assets_is_under_60_kb_gzipped(demo):
    client = demo.test_client()
    login(client, _student_of("7А"))
    home = client.get("/").get_data(as_text=True)
    course_path = re.search(r'href="(/courses/[0-9a-f-]{36})"', home).group(1)
    page = client.get(course_path)
    assert page.status_code == 200
    total = _gzipped(page.data)
    assets = set(ASSET.findall(page.get_data(as_text=True)))
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200, asset
            total += _gzipped(response.data)
    print(f"course page + {len(assets)} assets: {total} bytes gzipped")
    assert total <= 60 * 1024


def _crawl(client, start: str = "/", limit: int = 400) -> dict[str, str]:
    """Every same-node page reachable by GET links from ``start`` (text pages only)."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop()
        if path in seen or "/logout" in path or "download" in path:
            continue
        with client.get(path) as response:
            if response.status_code != 200 or "text/html" not in response.content_type:
                seen[path] = ""
                continue
            text = response.get_data(as_text=True)
        seen[path] = text
        for href in LINK.findall(text):
            target = urlparse(urljoin("http://node" + path, href))
            if target.netloc == "node" and target.path not in seen:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.mark.parametrize("role", ["admin", "teacher", "student"])
def test_no_page_refers_to_a_host_outside_the_node(demo, role):
    client = demo.test_client()
    if role == "student":
        user = _student_of("7А")
    else:
        username = demo_content.ADMIN[0] if role == "admin" else demo_content.TEACHERS[0][0]
        user = accounts.find_user(username)
        user.plain_password = (
            demo_content.ADMIN[1] if role == "admin" else demo_content.TEACHER_PASSWORD
        )
    login(client, user)
    pages = _crawl(client)
    assert len(pages) > 5
    with client.get("/static/style.css") as css:
        pages["/static/style.css"] = css.get_data(as_text=True)
    own = {a.ip for a in host_addresses()}  # the Network page lists the node's own addresses
    external = []
    for path, text in pages.items():
        for groups in REFERENCE.findall(text):
            ref = next(g for g in groups if g)
            parsed = urlparse(ref)
            if parsed.scheme in ("http", "https", "ftp") or ref.startswith("//"):
                host = parsed.hostname or ""
                if not LOCAL_HOSTS.match(host) and host not in own:
                    external.append((path, ref))
    assert not external, external[:10]
