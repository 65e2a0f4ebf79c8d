"""Leaflet's JavaScript and CSS, taken from the installed ``js_lib_leaflet`` package.

Maps must work on a station computer with no Internet access, so Leaflet is never linked
from a CDN. Two forms are offered: ``file://`` links to the package files (small pages, for
the desktop view that loads its page from a file) and inlined contents (one self-contained
file, for a map sent by e-mail or opened on another computer).
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

AssetMode = Literal["file", "inline"]

LEAFLET_VERSION = "1.9.4"
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_IMAGE_URL = re.compile(r"url\((images/[\w.-]+\.png)\)")


def leaflet_dir() -> Path:
    """The folder holding leaflet.js, leaflet.css and images/ in the installed package."""
    return Path(str(files("js_lib_leaflet") / "static" / "js_lib_leaflet"))


def leaflet_head_html(mode: AssetMode) -> str:
    """The ``<link>``/``<script>`` (file mode) or ``<style>``/``<script>`` (inline) for Leaflet."""
    if mode == "file":
        folder = leaflet_dir()
        css_url = (folder / "leaflet.css").as_uri()
        js_url = (folder / "leaflet.js").as_uri()
        return f'<link rel="stylesheet" href="{css_url}"/>\n<script src="{js_url}"></script>'
    if mode == "inline":
        return f"<style>{_inline_css()}</style>\n<script>{_inline_js()}</script>"
    raise ValueError(f"Unknown asset mode {mode!r}; expected 'file' or 'inline'.")


@cache
def _inline_js() -> str:
    code = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    if "</script" in code.lower():
        raise ValueError("leaflet.js contains '</script' and cannot be inlined as is.")
    return _SOURCE_MAP.sub("", code)  # the .map file is not beside an exported page


@cache
def _inline_css() -> str:
    """leaflet.css with its images (layer-control icon...) embedded as data URIs."""
    folder = leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def embed(match: re.Match[str]) -> str:
        data = base64.b64encode((folder / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return _IMAGE_URL.sub(embed, css)
