from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("loans", "0009_number_statement_lines")]

    operations = [
        migrations.RemoveField(model_name="statementline", name="fingerprint"),
        migrations.AlterField(
            model_name="statementline",
            name="occurrence",
            field=models.PositiveIntegerField(verbose_name="nummer samme dag og beløb"),
        ),
        migrations.AddConstraint(
            model_name="statementline",
            constraint=models.UniqueConstraint(
                fields=("municipality", "booking_date", "amount", "occurrence"),
                name="loans_statement_line_occurrence",
            ),
        ),
    ]
