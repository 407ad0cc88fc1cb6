"""The project's URLs plus one view that requests ``n`` letters in a single
request (a batch, like a cohort's network-day invitations)."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_POST

from applicants.models import Case
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.services import request_letter
from mikrolaan.roles import STAFF_ROLES, role_required
from mikrolaan.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


@require_POST
@role_required(*STAFF_ROLES)
def request_letters(request, pk: int, n: int):
    case = get_object_or_404(Case, pk=pk)
    context = get_kind("meeting_invitation").sample_context
    with transaction.atomic():
        for _ in range(n):
            request_letter(
                kind="meeting_invitation", case=case, author=request.user, context=context
            )
    return HttpResponse(f"{n} letters requested", content_type="text/plain")


urlpatterns = [path("bench/request-letters/<int:pk>/<int:n>/", request_letters), *urlpatterns]
