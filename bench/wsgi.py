"""The benchmark's WSGI application: the project's, plus ``/__bare__/``, the
same hello-world view served by a Django handler with no middleware at all
(what a one-file Django hello-world costs). Same process, same gunicorn."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

project = get_wsgi_application()


class _BareHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=[]):
            super().load_middleware(is_async)


bare = _BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__bare__/":
        environ["PATH_INFO"] = "/__hello__/"
        return bare(environ, start_response)
    return project(environ, start_response)
