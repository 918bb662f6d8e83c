"""Demo accounts. Their credentials are printed in the README; never use them in production."""

from django.contrib.auth import get_user_model

STAFF = {"username": "admin", "email": "admin@shop.example", "password": "ShopAdmin#2026"}
CUSTOMER = {"username": "abebe", "email": "abebe@shop.example", "password": "Customer#2026"}
# A customer who reads the shop in Amharic: the catalog, the e-mails and the SMS come in Amharic.
AMHARIC_CUSTOMER = {"username": "almaz", "email": "almaz@shop.example", "password": "Customer#2026", "language": "am"}


def seed(*, stdout, **options) -> None:
    User = get_user_model()
    for account, is_staff in ((STAFF, True), (CUSTOMER, False), (AMHARIC_CUSTOMER, False)):
        user, created = User.objects.get_or_create(
            username=account["username"],
            defaults={
                "email": account["email"],
                "is_staff": is_staff,
                "is_superuser": is_staff,
                **({"language": account["language"]} if "language" in account else {}),
            },
        )
        if created:
            user.set_password(account["password"])
            user.save(update_fields=["password"])
            stdout.write(f"  user {user.username} created")
