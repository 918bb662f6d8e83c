from rest_framework import serializers

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
