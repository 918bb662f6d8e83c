from django.db import migrations, models
from django.db.models import F


def type_existing_events(apps, schema_editor):
    """Give every existing event the type its move implies, and the payment status its order has
    now (the best that history allows)."""
    OrderEvent = apps.get_model("orders", "OrderEvent")
    Order = apps.get_model("orders", "Order")
    OrderEvent.objects.filter(from_status="").update(type="placed")
    OrderEvent.objects.filter(status="cancelled").exclude(from_status="cancelled").update(type="cancelled")
    OrderEvent.objects.filter(status="cancelled", note="Payment window expired.").update(type="expired")
    OrderEvent.objects.filter(from_status="pending", status="confirmed").update(type="payment_succeeded")
    OrderEvent.objects.filter(from_status="cancelled", status="confirmed").update(type="reinstated")
    OrderEvent.objects.filter(note__icontains="refund").exclude(type="reinstated").update(type="refund_flagged")
    OrderEvent.objects.filter(note__startswith="Refunded").update(type="refunded")
    for order_id, payment_status in Order.objects.values_list("pk", "payment_status"):
        OrderEvent.objects.filter(order_id=order_id).update(payment_status=payment_status)
    Order.objects.filter(payment_status__in=["paid", "refund_pending", "refunded"]).update(paid_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="paid_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="orderevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("placed", "Placed"),
                    ("payment_succeeded", "Payment succeeded"),
                    ("payment_failed", "Payment failed"),
                    ("payment_recorded", "Payment recorded"),
                    ("status_changed", "Status changed"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired"),
                    ("reinstated", "Reinstated"),
                    ("refund_flagged", "Refund flagged"),
                    ("refunded", "Refunded"),
                ],
                default="status_changed",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="orderevent",
            name="payment_status",
            field=models.CharField(
                choices=[
                    ("unpaid", "Unpaid"),
                    ("paid", "Paid"),
                    ("failed", "Failed"),
                    ("refund_pending", "Refund pending"),
                    ("refunded", "Refunded"),
                ],
                default="unpaid",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="orderevent",
            name="parameters",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(type_existing_events, migrations.RunPython.noop),
    ]
