"""The web chat's files: labels in both languages, size, caching, and who may frame the chat."""

from __future__ import annotations

import gzip

import pytest
import requests
import yaml

from channels.web_assets import LABELS_FILE, SOURCES, load_labels, page_security_headers
from passordhjelp.config import ConfigError, load_settings

OURS = ("widget.js", "widget.css", "chat.js", "chat.css")
MAX_GZIPPED_BYTES = 30 * 1024


def test_web_assets_every_label_in_both_languages():
    raw = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    for key, texts in raw.items():
        assert set(texts) == {"en", "nb"}, key
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), key
    assert load_labels()["nb"]["placeholder"] == "Skriv meldingen din…"


def test_web_assets_everything_we_wrote_is_at_most_30_kb_gzipped():
    # The served widget.js has the labels in it; the files are measured as served.
    sizes = {name: len(gzip.compress(SOURCES[name][0].read_bytes(), 9)) for name in OURS}
    labels = len(gzip.compress(LABELS_FILE.read_bytes(), 9))
    print(f"gzipped bytes: {sizes}, labels {labels}")
    assert sum(sizes.values()) + labels <= MAX_GZIPPED_BYTES


def test_web_assets_page_may_be_framed_only_by_the_listed_origins():
    assert page_security_headers([])["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert page_security_headers(["https://intranet.contoso.no"])[
        "Content-Security-Policy"
    ].endswith("frame-ancestors 'self' https://intranet.contoso.no")


def test_web_assets_embed_origins_setting():
    assert load_settings({}).webchat_embed_origins == ()
    assert load_settings(
        {"WEBCHAT_EMBED_ORIGINS": "https://intranet.contoso.no, http://localhost:8080"}
    ).webchat_embed_origins == ("https://intranet.contoso.no", "http://localhost:8080")


@pytest.mark.parametrize(
    "value", ["*", "intranet.contoso.no", "https://intranet.contoso.no/page", "javascript:alert(1)"]
)
def test_web_assets_embed_origins_refuses_what_is_not_an_origin(value):
    with pytest.raises(ConfigError, match="WEBCHAT_EMBED_ORIGINS"):
        load_settings({"WEBCHAT_EMBED_ORIGINS": value})


@pytest.mark.slow
def test_web_assets_served_with_caching_headers(web_stack, intranet_server):
    base = web_stack.anonymous.page_url
    widget = requests.get(f"{base}widget.js", timeout=10)
    assert widget.status_code == 200
    assert widget.headers["Content-Type"].startswith("text/javascript")
    assert widget.headers["Cache-Control"] == "public, max-age=300"
    # The labels are in it, both languages.
    assert b"__LABELS__" not in widget.content and b"\\u00c5pne chatten" in widget.content
    # As served, labels in: within the budget with room to spare.
    assert len(gzip.compress(widget.content, 9)) <= MAX_GZIPPED_BYTES
    unchanged = requests.get(
        f"{base}widget.js", timeout=10, headers={"If-None-Match": widget.headers["ETag"]}
    )
    assert unchanged.status_code == 304 and not unchanged.content

    page = requests.get(base, timeout=10)
    assert "no-cache" in page.headers["Cache-Control"]
    assert page.headers["Content-Security-Policy"].endswith(
        f"frame-ancestors 'self' {intranet_server.origin}"
    )
    version = page.text.split("chat.js?v=")[1].split('"')[0]
    versioned = requests.get(f"{base}chat.js?v={version}", timeout=10)
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert requests.get(f"{base}index.html", timeout=10).status_code == 404
