from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    phone = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            # Case-insensitive: "Abebe@x.et" and "abebe@x.et" are one mailbox, so one account.
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message="A user with this email already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.username
