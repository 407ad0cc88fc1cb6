"""The single municipality settings row becomes the first Municipality."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mikrolaan", "0002_roles")]

    operations = [
        migrations.RenameModel("MunicipalitySettings", "Municipality"),
        migrations.AddField(
            model_name="municipality",
            name="code",
            # The migrated row gets 000 until its administrator sets the real code.
            field=models.CharField(default="000", max_length=3),
            preserve_default=False,
        ),
    ]
