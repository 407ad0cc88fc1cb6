"""Start pages per role, the municipality settings page, and error pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import MunicipalitySettingsForm
from .roles import Role, primary_role, role_required
from .services import update_municipality_settings
from .tenancy import request_municipality

START_PAGE_TEMPLATES = {
    Role.TEAM_MEMBER: "home/team.html",
    Role.TEAM_LEAD: "home/team.html",
    Role.CASEWORKER: "home/caseworker.html",
    Role.CITIZEN: "home/citizen.html",
    Role.MENTOR: "home/mentor.html",
    Role.ADMINISTRATOR: "home/administrator.html",
}

# Later apps add content to the start pages by registering a callable
# (request) -> dict under a role; its keys become template context.
START_PAGE_PROVIDERS: dict[str, list] = {role: [] for role in Role.values}


def register_start_page(*roles):
    def decorator(func):
        for role in roles:
            START_PAGE_PROVIDERS[str(role)].append(func)
        return func

    return decorator


@login_required
def home(request):
    role = primary_role(request.user)
    if role is None:
        return render(request, "home/no_role.html", status=403)
    context = {"role": role}
    for provider in START_PAGE_PROVIDERS[role]:
        context.update(provider(request))
    return render(request, START_PAGE_TEMPLATES[role], context)


@role_required(Role.ADMINISTRATOR)
def municipality_settings(request):
    """The administrator's own municipality: letterhead, contact, links."""
    instance = request_municipality(request)
    if instance is None:
        raise Http404
    if request.method == "POST":
        form = MunicipalitySettingsForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            update_municipality_settings(
                actor=request.user, municipality=instance, data=form.cleaned_data
            )
            messages.success(request, _("Indstillingerne er gemt."))
            return redirect("municipality_settings")
        # The form keeps what the user typed; the model instance is reloaded so
        # a failed save never shows half-applied values elsewhere on the page.
    else:
        form = MunicipalitySettingsForm(instance=instance)
    return render(request, "mikrolaan/municipality_settings.html", {"form": form})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
