"""The project's URLs plus ``/__hello__/``: the hello-world yardstick, served
by the same gunicorn through the same middleware stack as every page, but
doing no work of its own (no session, user, template or query)."""

from django.http import HttpResponse
from django.urls import path

from mikrolaan.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def hello(request):
    return HttpResponse("Hello", content_type="text/plain")


urlpatterns = [path("__hello__/", hello), *urlpatterns]
