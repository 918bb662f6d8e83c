from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ecommerce.common.validators import ASCII_INTEGER

UNKNOWN_FIELD = _("Unknown field.")
INVALID_CHOICE = _('"{input}" is not a valid choice. Choose one of: {choices}.')


class InputSerializer(serializers.Serializer):
    """Input that names a field this endpoint does not take is refused with a 400, rather than
    silently ignored: a typo (`quantiy`) or a forbidden field (`is_staff`) never passes unnoticed."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        errors = {name: [UNKNOWN_FIELD] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Said together with the known fields' own errors, not one answer after the other.
            if not isinstance(exc.detail, dict):
                raise
            errors |= exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return value


class ChoiceField(serializers.ChoiceField):
    """DRF's ChoiceField, whose refusal names the valid choices (DRF's only says it is not one).
    Every choice the API takes is one of these (ecommerce/common/tests/test_choice_errors.py)."""

    default_error_messages = {"invalid_choice": INVALID_CHOICE}

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs["choices"] = ", ".join(self.choice_strings_to_values)
        super().fail(key, **kwargs)


class AsciiIntegerField(serializers.IntegerField):
    """An integer query parameter: ASCII digits only (`?page=٣` or `?page=²` is a 400)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not ASCII_INTEGER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


# Output serializers on hot paths (the catalog, the cart, checkout) build their dicts by hand:
# DRF's generic walk over the declared fields cost more than the queries did. The declared
# fields still document the schema, and a test per app holds both paths to the same output.
# These two make exactly what DRF's DecimalField(decimal_places=2) and DateTimeField make.
_TIMESTAMP = serializers.DateTimeField()


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def timestamp(value) -> str | None:
    return _TIMESTAMP.to_representation(value) if value is not None else None
