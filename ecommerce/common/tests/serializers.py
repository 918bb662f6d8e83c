"""What DRF's generic path makes of a serializer's declared fields, all the way down: the
reference the output serializers' plans are held to."""

from rest_framework import serializers


def drf_representation(serializer: serializers.BaseSerializer, instance) -> dict:
    """Serializer.to_representation's walk, recursing into nested serializers the same way
    instead of calling their (planned) to_representation."""
    out = {}
    for field in serializer._readable_fields:
        attribute = field.get_attribute(instance)
        if attribute is None:
            out[field.field_name] = None
        elif isinstance(field, serializers.ListSerializer):
            items = attribute.all() if hasattr(attribute, "all") else attribute
            out[field.field_name] = [drf_representation(field.child, item) for item in items]
        elif isinstance(field, serializers.BaseSerializer):
            out[field.field_name] = drf_representation(field, attribute)
        else:
            out[field.field_name] = field.to_representation(attribute)
    return out
