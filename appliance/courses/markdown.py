"""Teacher-written Markdown to safe HTML: rendered by ``markdown``, then cleaned by ``nh3``."""

from __future__ import annotations

import markdown as md
import nh3

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "code": {"class"},
}
# Removed with their content, not just unwrapped: their text is code or markup, not prose.
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
LINK_SCHEMES = {"http", "https", "mailto"}


def _is_local_url(url: str) -> bool:
    """A relative or /-rooted URL on this node (no scheme, no //host)."""
    url = url.strip()
    if url.startswith("//"):
        return False
    head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


def _filter(tag: str, attr: str, value: str) -> str | None:
    # Images must come from this node: the LAN has no internet, and an outside image would
    # only leak who reads the lesson when a link does exist.
    if tag == "img" and attr == "src":
        return value if _is_local_url(value) else None
    return value


def sanitise(html: str) -> str:
    """Keep only harmless HTML: no scripts, no event handlers, no outside images."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render(text: str) -> str:
    """Markdown (with tables and fenced code) to sanitised HTML."""
    return sanitise(md.markdown(text or "", extensions=["tables", "fenced_code"]))
