from rest_framework import serializers

from ecommerce.common.validators import ASCII_INTEGER

UNKNOWN_FIELD = "Unknown field."


class InputSerializer(serializers.Serializer):
    """Input that names a field this endpoint does not take is refused with a 400, rather than
    silently ignored: a typo (`quantiy`) or a forbidden field (`is_staff`) never passes unnoticed."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


class AsciiIntegerField(serializers.IntegerField):
    """An integer query parameter: ASCII digits only (`?page=٣` or `?page=²` is a 400)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not ASCII_INTEGER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)
