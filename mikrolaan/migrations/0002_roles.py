"""Create one group per role (SPEC §1) with its permissions."""

from django.db import migrations

from mikrolaan.roles import grant_permissions

# Frozen here: a later change of permissions is a new migration.
ROLE_PERMISSIONS = {
    "team_member": [],
    "team_lead": [
        "mikrolaan.view_auditevent",
        "mikrolaan.view_accesslogentry",
    ],
    "caseworker": [],
    "citizen": [],
    "mentor": [],
    "administrator": [
        "mikrolaan.view_municipalitysettings",
        "mikrolaan.change_municipalitysettings",
        "mikrolaan.view_auditevent",
        "mikrolaan.view_accesslogentry",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}


def create_roles(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("mikrolaan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
