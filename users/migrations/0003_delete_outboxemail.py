# The outbox moved to ecommerce.outbox (label "outbox"), which took over its table as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("users", "0002_outboxemail"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxEmail")],
            database_operations=[],
        ),
    ]
