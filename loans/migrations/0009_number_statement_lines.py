"""Statement lines already imported keep being recognised when the duplicate
key becomes format-independent: each line gets its number among the
municipality's lines of the same booking day and amount, in the order they
were imported. Lines a CSV and a camt.053 both brought in before (the gap
this closes) keep both numbers: they are history, and a later file of that
day pairs with as many of them as it holds."""

from collections import defaultdict

from django.db import migrations


def number_lines(apps, schema_editor):
    StatementLine = apps.get_model("loans", "StatementLine")
    seen = defaultdict(int)
    batch = []
    for line in (
        StatementLine.objects.order_by("municipality_id", "booking_date", "amount", "id")
        .only("id", "municipality_id", "booking_date", "amount")
        .iterator(chunk_size=2000)
    ):
        key = (line.municipality_id, line.booking_date, line.amount)
        seen[key] += 1
        line.occurrence = seen[key]
        batch.append(line)
        if len(batch) >= 2000:
            StatementLine.objects.bulk_update(batch, ["occurrence"])
            batch = []
    if batch:
        StatementLine.objects.bulk_update(batch, ["occurrence"])


class Migration(migrations.Migration):
    dependencies = [("loans", "0008_refunds_and_statement_occurrence")]

    operations = [migrations.RunPython(number_lines, migrations.RunPython.noop)]
