from django.db import migrations, models


class Migration(migrations.Migration):
    """The redemption keeps its order's id, in the same column, without a foreign key to the
    orders app: orders sit above coupons. No row is touched."""

    dependencies = [("coupons", "0002_initial")]

    operations = [
        migrations.AlterField(
            model_name="couponredemption",
            name="order",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to="orders.order",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="couponredemption", name="order"),
                migrations.AddField(
                    model_name="couponredemption",
                    name="order_id",
                    field=models.UUIDField(unique=True),
                ),
            ],
        ),
    ]
