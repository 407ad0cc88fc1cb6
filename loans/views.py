from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mikrolaan.roles import Role, role_required
from mikrolaan.tenancy import request_municipality

from .forms import SchemeForm
from .services import update_scheme


@role_required(Role.TEAM_LEAD, Role.ADMINISTRATOR)
def scheme_edit(request):
    """The user's own municipality's scheme: legal references and limits."""
    scheme = request_municipality(request).current_scheme()
    if request.method == "POST":
        form = SchemeForm(request.POST, instance=scheme)
        if form.is_valid():
            update_scheme(
                scheme=scheme,
                actor=request.user,
                data=form.cleaned_data,
                confirm_legal_texts=form.cleaned_data.get("confirm_legal_texts", False),
            )
            messages.success(request, _("Ordningen er gemt."))
            return redirect("loans:scheme_edit")
        scheme.refresh_from_db()
    else:
        form = SchemeForm(instance=scheme)
    return render(request, "loans/scheme_form.html", {"form": form, "scheme": scheme})
