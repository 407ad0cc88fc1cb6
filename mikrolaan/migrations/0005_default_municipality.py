"""Every existing row moves to the municipality that the old single
settings row became (or, in a database with data but no settings row, to
one created here). Nothing is lost: schemes are copied to that
municipality, every user but the superuser is given it, and the case
numbers issued so far are kept (and their counters carried over)."""

from django.db import migrations

# The rows that hold a citizen's data, by app and model.
OWNED = [
    ("applicants", "Programme"),
    ("applicants", "Citizen"),
    ("applicants", "Case"),
    ("applicants", "CaseTransition"),
    ("applicants", "PhoneInterview"),
    ("applicants", "Meeting"),
    ("letters", "Letter"),
]

SCHEME_FIELDS = [
    "name",
    "legal_basis_support",
    "legal_basis_loan",
    "legal_basis_text",
    "loan_maximum",
    "recommended_minimum",
    "recommended_maximum",
    "term_months",
    "support_months",
    "extension_cap_months",
    "extension_step_min_months",
    "extension_step_max_months",
    "complaints_text",
    "access_text",
    "active",
]


def _has_data(apps) -> bool:
    User = apps.get_model("auth", "User")
    return User.objects.exists() or any(
        apps.get_model(app, model).objects.exists() for app, model in OWNED
    )


def forwards(apps, schema_editor):
    Municipality = apps.get_model("mikrolaan", "Municipality")
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        if not _has_data(apps):
            return  # a fresh installation: the superuser creates municipalities
        municipality = Municipality.objects.create(name="Kommunen", code="000")

    OldScheme = apps.get_model("loans", "Scheme")
    Scheme = apps.get_model("mikrolaan", "Scheme")
    if not Scheme.objects.filter(municipality=municipality).exists():
        old = list(OldScheme.objects.order_by("pk"))
        for row in old:
            Scheme.objects.create(
                municipality=municipality, **{f: getattr(row, f) for f in SCHEME_FIELDS}
            )
        if not old:
            Scheme.objects.create(municipality=municipality)

    User = apps.get_model("auth", "User")
    UserProfile = apps.get_model("mikrolaan", "UserProfile")
    have = set(UserProfile.objects.values_list("user_id", flat=True))
    UserProfile.objects.bulk_create(
        [
            UserProfile(user_id=pk, municipality=municipality)
            for pk in User.objects.filter(is_superuser=False).values_list("pk", flat=True)
            if pk not in have
        ]
    )

    for app, model in OWNED:
        apps.get_model(app, model).objects.filter(municipality__isnull=True).update(
            municipality=municipality
        )
    for model in ("AuditEvent", "AccessLogEntry"):
        apps.get_model("mikrolaan", model).objects.filter(municipality__isnull=True).update(
            municipality=municipality
        )

    Counter = apps.get_model("applicants", "CaseNumberCounter")
    Sequence = apps.get_model("applicants", "CaseNumberSequence")
    for counter in Counter.objects.all():
        Sequence.objects.update_or_create(
            municipality=municipality, year=counter.year, defaults={"last": counter.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mikrolaan", "0004_scheme_profile_and_more"),
        ("applicants", "0003_municipality"),
        ("letters", "0002_letter_municipality"),
        ("loans", "0003_money_fields"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
