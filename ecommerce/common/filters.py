import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy

from ecommerce.common.serializers import INVALID_CHOICE
from ecommerce.common.validators import ASCII_DECIMAL, ASCII_INTEGER


class _AsciiOnly:
    """Form fields for query parameters: refuse what does not match `pattern` before Python's
    number parsing gets to read digits of other scripts (see ASCII_INTEGER)."""

    pattern: re.Pattern

    def to_python(self, value):
        if value not in self.empty_values and not self.pattern.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class AsciiDecimalField(_AsciiOnly, forms.DecimalField):
    pattern = ASCII_DECIMAL


class AsciiIntegerField(_AsciiOnly, forms.IntegerField):
    pattern = ASCII_INTEGER


class NumberFilter(django_filters.NumberFilter):
    """A number query parameter: ASCII digits only (`?min_price=٣` is a 400)."""

    field_class = AsciiDecimalField


class IntegerFilter(django_filters.NumberFilter):
    """An integer query parameter, such as an id: ASCII digits only (`?category__id=²` is a 400)."""

    field_class = AsciiIntegerField


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose choice parameters (`?ordering=`, `?in_stock=`) are refused with the
    valid choices named, in the words of the serializers' ChoiceField.

    Its form class is made once per FilterSet class, not for every request as django-filter
    does (a form field per filter and a class each time: about a millisecond of a catalog
    page): the filters here take nothing from the request to make their fields."""

    _form_classes: dict[type, type[forms.Form]] = {}

    def get_form_class(self):
        form_class = self._form_classes.get(type(self))
        if form_class is None:
            form_class = self._form_classes[type(self)] = super().get_form_class()
            for field in form_class.base_fields.values():
                if isinstance(field, forms.ChoiceField):
                    choices = ", ".join(str(value) for value, _label in field.choices if value != "")
                    # Django fills in %(value)s itself when it refuses one; lazy, as the form
                    # class serves every language.
                    message = format_lazy(INVALID_CHOICE, input="%(value)s", choices=choices.replace("%", "%%"))
                    field.error_messages = {**field.error_messages, "invalid_choice": message}
        return form_class
