"""The project's URLs plus a trivial signed-in view: the bare-Django baseline
(middleware, session and user lookup, no application work)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from mikrolaan.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_required
def baseline(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/baseline/", baseline), *urlpatterns]
