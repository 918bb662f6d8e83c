from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from operator import attrgetter, itemgetter

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models.manager import BaseManager
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.settings import api_settings

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


# Output serializers on hot paths (the catalog, the cart, checkout) answer through a plan: DRF's
# generic walk (a field lookup, a None check and a method call per field, and the nested fields
# built anew for every answer) cost more than the queries did. A plan is made once per serializer
# class from its declared fields, so a field is declared once, the DRF way, and both paths show it;
# a test per app holds the plan to what DRF's generic path makes of the same fields.

# The fields whose DRF to_representation gives back what the model holds (str, int, bool, dict of
# str, list of str, JSON) unchanged; subclasses that keep it (SlugField, URLField) count too.
_UNCHANGED = frozenset(
    field.to_representation
    for field in (
        serializers.CharField,
        serializers.IntegerField,
        serializers.BooleanField,
        serializers.ChoiceField,
        serializers.JSONField,
        serializers.ReadOnlyField,
    )
)
_CONTAINERS = frozenset({serializers.ListField.to_representation, serializers.DictField.to_representation})


def _money(value: Decimal, context: Mapping) -> str:
    """What DRF's DecimalField(decimal_places=2) makes of a Decimal, without the decimal context
    it builds for every value."""
    return f"{value:.2f}"


class _PlanContext(Mapping):
    """The context of the serializers a plan is made from. One plan serves every request, so a field
    whose output depends on the request takes the context as an argument (ContextualField); one that
    looked it up on itself would read this stand-in instead of the answer's, and is stopped here."""

    def _refuse(self, *args):
        raise ImproperlyConfigured(
            "A field of a FastRepresentation serializer read self.context: take it in "
            "represent(value, context) instead (ecommerce.common.serializers.ContextualField)."
        )

    __getitem__ = __iter__ = __len__ = _refuse


# A field whose output depends on the context (the request, for an absolute address): its
# `represent(value, context)` is given each answer's context by the plan that runs it.
class ContextualField:
    def represent(self, value, context: Mapping):
        raise NotImplementedError

    def to_representation(self, value):
        return self.represent(value, self.context)


def _represent_many(represent, value, context: Mapping) -> list:
    items = value.all() if isinstance(value, BaseManager) else value
    return [represent(item, context) for item in items]


def _nested_represent(serializer):
    """How a plan shows a nested serializer's instance: through the serializer's own plan, or a plan
    made of its fields when it keeps DRF's walk; None for one that shows itself its own way."""
    if isinstance(serializer, FastRepresentation) or (
        type(serializer).to_representation is serializers.Serializer.to_representation
    ):
        return _plan_for(type(serializer)).represent
    return None


def _unchanged(field) -> bool:
    if isinstance(field, serializers.ListField | serializers.DictField):
        return type(field).to_representation in _CONTAINERS and _unchanged(field.child)
    if isinstance(field, serializers.JSONField) and field.binary:
        return False
    if type(field).to_representation is serializers.BigIntegerField.to_representation:
        return not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    return type(field).to_representation in _UNCHANGED


def _shown_as_money(field) -> bool:
    return (
        type(field).to_representation is serializers.DecimalField.to_representation
        and field.decimal_places == 2
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not (field.localize or field.normalize_output or field.rounding)
    )


def _conversion(field):
    """How a plan shows a field's value once it is not None (None stays None, as in DRF): None
    for as it is, else a function of the value and the context."""
    if (
        isinstance(field, serializers.ListSerializer)
        and type(field).to_representation is serializers.ListSerializer.to_representation
    ):
        represent = _nested_represent(field.child)
        if represent is not None:
            return partial(_represent_many, represent)
    if isinstance(field, serializers.BaseSerializer):
        represent = _nested_represent(field)
        if represent is not None:
            return represent
    if isinstance(field, ContextualField):
        return field.represent
    if _unchanged(field):
        return None
    if _shown_as_money(field):
        return _money
    # Any other field (DateTimeField, UUIDField, a method field) shows itself, as in DRF.
    to_representation = field.to_representation
    return lambda value, context: to_representation(value)


def _itself(instance):
    return instance


def _getter(field, instance_type: type):
    """A plain attribute (of an object) or key (of a mapping) lookup for the field's source where
    that is what DRF's does; DRF's own for a dotted source, a method DRF would call and a related
    field (which DRF reads by its id alone)."""
    attrs = field.source_attrs
    if not attrs:
        return _itself
    if len(attrs) > 1 or isinstance(field, RelatedField | ManyRelatedField):
        return field.get_attribute
    (attr,) = attrs
    if issubclass(instance_type, Mapping):
        return itemgetter(attr)
    if callable(getattr(instance_type, attr, None)):
        return field.get_attribute
    return attrgetter(attr)


_SKIPPED = object()


def _drf_attribute(field, instance):
    """DRF's own lookup, for what a plain one did not find: a default, null, a field left out, a
    related object that is not there."""
    try:
        return field.get_attribute(instance)
    except SkipField:
        return _SKIPPED


class _Plan:
    """A serializer class's readable fields, each with how to read and show it; the reading is made
    once per class of instance (the attributes of an object, the keys of a dict)."""

    def __init__(self, serializer_class):
        prototype = serializer_class()
        prototype._context = _PlanContext()
        self.fields = [(field.field_name, field, _conversion(field)) for field in prototype._readable_fields]
        self.steps = {}

    def steps_for(self, instance_type: type) -> tuple:
        steps = self.steps[instance_type] = tuple(
            (name, _getter(field, instance_type), convert, field) for name, field, convert in self.fields
        )
        return steps

    def represent(self, instance, context: Mapping) -> dict:
        steps = self.steps.get(type(instance)) or self.steps_for(type(instance))
        out = {}
        for name, get, convert, field in steps:
            try:
                value = get(instance)
            except (AttributeError, KeyError, ObjectDoesNotExist, SkipField):
                value = _drf_attribute(field, instance)
                if value is _SKIPPED:
                    continue
            out[name] = value if value is None or convert is None else convert(value, context)
        return out


_PLANS: dict[type, _Plan] = {}


def _plan_for(serializer_class) -> _Plan:
    plan = _PLANS.get(serializer_class)
    if plan is None:
        plan = _PLANS[serializer_class] = _Plan(serializer_class)
    return plan


# An output serializer that answers through its plan (see above): declare the fields the DRF way
# and nothing else; nested serializers, ContextualFields and the request follow. (Comments, not
# docstrings, here: the schema takes a serializer's inherited docstring for its description.)
class FastRepresentation:
    @classmethod
    def represent(cls, instance, context: Mapping) -> dict:
        return _plan_for(cls).represent(instance, context)

    def to_representation(self, instance):
        plan = _PLANS.get(type(self)) or _plan_for(type(self))
        return plan.represent(instance, self.context)
