"""The web chat's files as the socket.io channel serves them: labels filled in, cacheable.

Everything is read once when the channel starts. ``widget.js`` and the page get the
labels of ``web/labels.yml`` (both languages) written into them, so neither needs a
further request. Every file has an ETag (a request with ``If-None-Match`` gets 304).
The page asks for its files with ``?v=<version>`` (a digest of all of them), which may
be cached for a year; without it (``widget.js``, whose URL the intranet's pages hold)
a file may be cached for five minutes.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Mapping, Optional

import yaml
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from passordhjelp.config import PROJECT_ROOT

logger = logging.getLogger(__name__)

WEB_DIR = PROJECT_ROOT / "web"
LABELS_FILE = WEB_DIR / "labels.yml"
LANGUAGES = ("en", "nb")
JAVASCRIPT = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
# The only files handed out: name in the URL -> (file, content type).
SOURCES: Dict[str, tuple] = {
    "widget.js": (WEB_DIR / "widget.js", JAVASCRIPT),
    "widget.css": (WEB_DIR / "widget.css", CSS),
    "chat.js": (WEB_DIR / "chat.js", JAVASCRIPT),
    "chat.css": (WEB_DIR / "chat.css", CSS),
    "socket.io.min.js": (
        WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        JAVASCRIPT,
    ),
}
# Placeholders in widget.js (valid JavaScript before they are filled in).
LABELS_PLACEHOLDER = b"__LABELS__"
VERSION_PLACEHOLDER = b"__VERSION__"
VERSIONED_CACHE = "public, max-age=31536000, immutable"
UNVERSIONED_CACHE = "public, max-age=300"
NOSNIFF = {"X-Content-Type-Options": "nosniff"}


def load_labels(path: Path = LABELS_FILE) -> Dict[str, Dict[str, str]]:
    """``{language: {key: text}}`` from a file of ``key: {en: ..., nb: ...}``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        language: {key: texts[language] for key, texts in raw.items()} for language in LANGUAGES
    }


def page_security_headers(embed_origins: Iterable[str]) -> Dict[str, str]:
    """Headers of the chat page: only its own files, framed only by the listed origins."""
    ancestors = " ".join(["'self'", *embed_origins])
    return {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; "
            f"frame-ancestors {ancestors}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> "Asset":
        return cls(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


class WebAssets:
    """The page (rendered from ``web/index.html``) and the files it and the widget load."""

    def __init__(self, *, page_values: Mapping[str, str], embed_origins: Iterable[str]) -> None:
        labels = json.dumps(load_labels(), ensure_ascii=True, separators=(",", ":"))
        raw = {name: path.read_bytes() for name, (path, _) in SOURCES.items() if path.is_file()}
        for name, (path, _) in SOURCES.items():
            if name not in raw:
                logger.error("web chat file %s is missing: run `make run` (npm ci in web/)", path)
        digest = hashlib.sha256(labels.encode())
        for name in sorted(raw):
            digest.update(raw[name])
        self.version = digest.hexdigest()[:16]
        self.page_headers = page_security_headers(embed_origins)
        values = {
            **page_values,
            "labels": labels,
            "version": self.version,
            "embed_origins": " ".join(embed_origins),
        }
        self.page = _fill(WEB_DIR / "index.html", values)
        if "widget.js" in raw:
            raw["widget.js"] = (
                raw["widget.js"]
                .replace(LABELS_PLACEHOLDER, labels.encode())
                .replace(VERSION_PLACEHOLDER, self.version.encode())
            )
        self._assets = {name: Asset.of(body, SOURCES[name][1]) for name, body in raw.items()}

    def file_response(self, request: Request, name: str) -> HTTPResponse:
        """The file ``name``: 200, 304 (unchanged), 404 (not ours) or 503 (not installed)."""
        if name not in SOURCES:
            return response.text("not found", status=404)
        asset: Optional[Asset] = self._assets.get(name)
        if asset is None:
            return response.text("the web chat's files are not installed", status=503)
        versioned = request.args.get("v") == self.version
        headers = {
            **NOSNIFF,
            "ETag": asset.etag,
            "Cache-Control": VERSIONED_CACHE if versioned else UNVERSIONED_CACHE,
        }
        if asset.etag in (request.headers.get("if-none-match") or ""):
            return response.empty(status=304, headers=headers)
        return response.raw(asset.body, content_type=asset.content_type, headers=headers)


def _fill(template: Path, values: Mapping[str, str]) -> str:
    page = template.read_text(encoding="utf-8")
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", html.escape(str(value), quote=True))
    return page
