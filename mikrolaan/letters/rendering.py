"""Letters to PDF: Django template → HTML → WeasyPrint.

WeasyPrint fetches nothing but the project's static files and the
municipality's logo (:class:`RestrictedURLFetcher`). The font configuration,
the parsed print stylesheet and the decoded logo are built once per thread and
reused: they are most of the cost of a first letter. Python's cyclic garbage
collector is paused while WeasyPrint works (see :func:`_gc_paused`).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from .registry import get_kind

logger = logging.getLogger(__name__)

STYLESHEET = "letters/letter.css"


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL outside the allowed files."""


def static_roots() -> list[Path]:
    """Every folder the project's static files are served from."""
    roots: list[Path] = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root))
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [Path(os.path.realpath(r)) for r in roots]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class RestrictedURLFetcher(URLFetcher):
    """Serves ``data:`` URLs, files under the static roots and the listed
    extra files (the logo); refuses everything else — the network and every
    other ``file://`` path. Refusals are logged and kept in ``refused``;
    WeasyPrint then leaves the resource out and renders the rest."""

    def __init__(self, *, extra_files=(), **kwargs):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
        self.extra_files = {Path(os.path.realpath(p)) for p in extra_files}
        self.roots = static_roots()
        self.refused: list[str] = []
        self.served: list[str] = []

    def _refuse(self, url: str, why: str):
        self.refused.append(url)
        logger.warning("Letter renderer refused %s: %s", url[:200], why)
        raise FetchRefused(f"Refused {url[:200]}: {why}")

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if path in self.extra_files:
            return path
        if path.is_file() and any(_inside(path, root) for root in self.roots):
            return path
        return None

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            self.served.append(url[:40])
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "only the project's own files may be fetched")
        path = self.allowed_path(url)
        if path is None:
            return self._refuse(url, "file outside the project's static files")
        self.served.append(url)
        return URLFetcherResponse(path2url(str(path)), body=path.read_bytes())


def static_file_url(relative: str) -> str:
    """A ``file://`` URL for a project static file, for letter templates."""
    found = finders.find(relative)
    if not found:
        if settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / relative).is_file():
            found = str(Path(settings.STATIC_ROOT) / relative)
        else:
            raise FileNotFoundError(f"Static file not found: {relative}")
    return path2url(found)


def logo_path(snapshot: dict) -> Path | None:
    name = (snapshot.get("municipality") or {}).get("logo") or ""
    if not name:
        return None
    root = Path(os.path.realpath(settings.MEDIA_ROOT))
    path = Path(os.path.realpath(root / name))
    if not _inside(path, root) or not path.is_file():
        return None
    return path


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused by every render: building
    it (fontconfig, Pango) is a large part of a first render."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def _stylesheet() -> CSS:
    """The print stylesheet, parsed once per thread (it is bound to the
    thread's font configuration; WeasyPrint objects are not shared)."""
    css = getattr(_local, "css", None)
    if css is None:
        path = finders.find(STYLESHEET) or str(Path(settings.STATIC_ROOT) / STYLESHEET)
        css = CSS(filename=path, font_config=_font_config(), url_fetcher=RestrictedURLFetcher())
        _local.css = css
    return css


def _image_cache(logo: Path | None) -> dict | None:
    """WeasyPrint's image cache for letters with a logo, kept per thread so
    the logo is read and decoded once rather than for every letter. The
    templates load no other image, so the logo is all it holds; it starts
    afresh when the logo file changes (path, size or modification time). A
    cached logo is not fetched again, so it is in the fetcher's ``served``
    list only for the first letter of the thread. Used only with the
    renderer's own fetcher (which always allows the logo)."""
    if logo is None:
        return None
    stat = logo.stat()
    key = (str(logo), stat.st_size, stat.st_mtime_ns)
    cached = getattr(_local, "image_cache", None)
    if cached is None or cached[0] != key:
        cached = _local.image_cache = (key, {})
    return cached[1]


_gc_lock = threading.Lock()
_gc_state = {"renders": 0, "was_enabled": False}


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while WeasyPrint lays out and
    writes a letter, then collect the youngest generation at once.

    A render allocates some hundred thousand short-lived objects (boxes,
    styles, PDF objects). With the collector running, they set off
    collections of the older generations in the middle of the render, and
    each of those walks the whole heap of the process (Django, WeasyPrint,
    fonts); that was about a tenth of the time of a one-page letter.
    Collecting the young generation afterwards keeps that cost inside the
    render that made the garbage. Thread-safe: the collector is enabled again
    when the last concurrent render ends, and only if it was enabled before.
    """
    with _gc_lock:
        if _gc_state["renders"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["renders"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["renders"] -= 1
            resume = _gc_state["renders"] == 0 and _gc_state["was_enabled"]
            if resume:
                gc.enable()
        if resume:
            gc.collect(0)


def letter_template_context(letter) -> dict:
    """Everything a letter template sees."""
    kind = get_kind(letter.kind)
    context = dict(letter.context or {})
    prepared = kind.validate(context)
    snapshot = letter.snapshot or {}
    logo = logo_path(snapshot)
    created = timezone.localtime(letter.created_at or timezone.now())
    case = letter.case
    return {
        "letter": letter,
        "kind": kind,
        "c": {**context, **prepared},
        "raw": context,
        "m": snapshot.get("municipality") or {},
        "contact": snapshot.get("contact") or {},
        "scheme": snapshot.get("scheme") or {},
        "logo_url": path2url(str(logo)) if logo else "",
        "letter_date": created.date(),
        "case_number": case.case_number if case is not None else "",
        "recipient_lines": [letter.recipient_name, *letter.recipient_address_lines],
    }


def render_letter_html(letter) -> str:
    with translation.override("da"):
        return render_to_string(get_kind(letter.kind).template, letter_template_context(letter))


def html_to_pdf(
    html: str, *, fetcher: RestrictedURLFetcher | None = None, image_cache: dict | None = None
) -> bytes:
    """Render HTML to PDF bytes with the shared fonts and stylesheet. Relative
    URLs have no base and so resolve to nothing."""
    fetcher = fetcher or RestrictedURLFetcher()
    stylesheet, font_config = _stylesheet(), _font_config()
    with _gc_paused():
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        return document.write_pdf(
            stylesheets=[stylesheet],
            font_config=font_config,
            # Tagged (structure tree, language, title) for screen readers.
            pdf_tags=True,
            pdf_variant=settings.LETTERS_PDF_VARIANT or None,
            cache=image_cache,
        )


def render_letter_pdf(letter, *, fetcher: RestrictedURLFetcher | None = None) -> bytes:
    """The letter's PDF as bytes. Pure: reads the letter, writes nothing."""
    logo = logo_path(letter.snapshot or {})
    image_cache = None
    if fetcher is None:
        # A caller's own fetcher decides about the logo every time; ours
        # allows it, so the decoded logo may be kept.
        fetcher = RestrictedURLFetcher(extra_files=[logo] if logo else [])
        image_cache = _image_cache(logo)
    return html_to_pdf(render_letter_html(letter), fetcher=fetcher, image_cache=image_cache)
