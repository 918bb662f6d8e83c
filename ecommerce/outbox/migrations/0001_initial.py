# The outbox moved here from the users app. Its table stays where it is (users_outboxemail):
# this migration only takes over the model's state, and users.0003 lets go of it.

from django.db import migrations, models


def move_content_type(apps, from_label, to_label):
    # Permissions and admin log entries point at the content type; moving it keeps them. When
    # the other one exists already (made by a later post_migrate), the old one is left stale.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=to_label, model="outboxemail").exists():
        ContentType.objects.filter(app_label=from_label, model="outboxemail").update(app_label=to_label)


def content_type_to_outbox(apps, schema_editor):
    move_content_type(apps, "users", "outbox")


def content_type_to_users(apps, schema_editor):
    move_content_type(apps, "outbox", "users")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("users", "0002_outboxemail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(blank=True, max_length=200, null=True, unique=True)),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=255)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=8)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "users_outboxemail",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_outbox, content_type_to_users),
    ]
