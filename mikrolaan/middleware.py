"""Rules every request and response passes through, one mechanism each.

- :class:`RejectBadInputMiddleware`: a NUL byte, a lone surrogate or bytes
  that are not UTF-8 in the query string or a form is answered with 400 and
  the house-style page, before any view copies the text into the database
  (PostgreSQL refuses NUL in text and JSON columns: a 500 otherwise).
- :class:`NoStoreMiddleware`: pages hold personal data, so no browser or proxy
  may keep a copy. Static files are served (with their long cache lifetimes)
  by WhiteNoise before this middleware is reached.
"""

import re
from urllib.parse import unquote_to_bytes

from django.utils.cache import patch_cache_control

from .views import bad_request

# NUL, and the UTF-16 surrogates that are never text on their own.
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_FORM_URLENCODED = "application/x-www-form-urlencoded"


def _is_utf8(raw: bytes) -> bool:
    """Whether a percent-encoded query string or form body decodes as UTF-8."""
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_bad_characters(data) -> bool:
    return any(
        _BAD_CHARACTERS.search(key) or any(_BAD_CHARACTERS.search(v) for v in values)
        for key, values in data.lists()
    )


def bad_input(request) -> bool:
    """Whether the request's query string or form holds text that is not text."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        # WSGI hands the query string over as latin-1: encoding gives its bytes back.
        raw = query.encode("latin-1", errors="replace")
        if not _is_utf8(raw) or _has_bad_characters(request.GET):
            return True
    if request.method != "POST":
        return False
    # A form body Django has not read yet; reading it here keeps request.POST
    # working (it is parsed from the cached body).
    if request.content_type == _FORM_URLENCODED and not _is_utf8(request.body):
        return True
    forms = (_FORM_URLENCODED, "multipart/form-data")
    return request.content_type in forms and _has_bad_characters(request.POST)


class RejectBadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bad_input(request):
            return bad_request(request)
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
