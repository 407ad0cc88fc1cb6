"""The default scheme with the handbook's values (2012)."""

from decimal import Decimal

from django.db import migrations

from mikrolaan.models import (
    DEFAULT_ACCESS_TEXT,
    DEFAULT_COMPLAINTS_TEXT,
    DEFAULT_LEGAL_BASIS_LOAN,
    DEFAULT_LEGAL_BASIS_SUPPORT,
    DEFAULT_LEGAL_BASIS_TEXT,
    DEFAULT_NAME,
)


def create_default_scheme(apps, schema_editor):
    Scheme = apps.get_model("loans", "Scheme")
    if Scheme.objects.exists():
        return
    Scheme.objects.create(
        name=DEFAULT_NAME,
        legal_basis_support=DEFAULT_LEGAL_BASIS_SUPPORT,
        legal_basis_loan=DEFAULT_LEGAL_BASIS_LOAN,
        legal_basis_text=DEFAULT_LEGAL_BASIS_TEXT,
        loan_maximum=Decimal("50000"),
        recommended_minimum=Decimal("30000"),
        recommended_maximum=Decimal("50000"),
        term_months=120,
        support_months=6,
        extension_cap_months=6,
        extension_step_min_months=1,
        extension_step_max_months=3,
        complaints_text=DEFAULT_COMPLAINTS_TEXT,
        access_text=DEFAULT_ACCESS_TEXT,
        active=True,
    )


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(create_default_scheme, migrations.RunPython.noop)]
