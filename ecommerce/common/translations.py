"""Catalog content in the shop's languages: a category's name, a product's title, an option's
values, a delivery method's name, each in Amharic and English.

A translated row keeps its plain fields in the shop's language (`SHOP_LANGUAGE`) and the others
in one JSON column, `translations = {"am": {"title": "…", "description": "…"}}`: one column
for every language (a new language needs no migration), read with the row (no join, no query
more). docs/translations.md says why, and how the fallback works.

Reads go through `translated`, which falls back to the plain field wherever a language has no
translation of a field. Writes go through `translations_merge`, which refuses a shop-language
translation that contradicts the plain field and stores only the other languages.
"""

from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ecommerce.common.serializers import ContextualField

NOT_A_LANGUAGE = _("Not a language of the shop: use {languages}.")
SAME_AS_PLAIN = _("The shop's language is the plain field: give “{field}” once, or the same in both.")
ONE_PER_VALUE = _("Give one translation per value, in the order of `values`.")
# The languages as the admin's labels name them ("Title (Amharic)").
LANGUAGE_NAMES = {"am": _("Amharic"), "en": _("English")}


def shop_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def other_languages() -> list[str]:
    """The languages kept in `translations`: every one but the shop's own."""
    return [code for code in shop_languages() if code != settings.LANGUAGE_CODE]


def translations_of(obj) -> dict:
    """The translations of a row, or of a dict that carries them (a product's option summary)."""
    found = obj.get("translations") if isinstance(obj, dict) else obj.translations
    return found or {}


def translated(obj, field: str, language: str | None = None):
    """`obj`'s `field` in `language` (the active one by default), falling back to the plain field,
    the shop's language, where that language has no translation of it. A list (an option's
    values) falls back value by value."""
    # A dict, not any Mapping: the check runs for every field of every product listed.
    plain = obj[field] if isinstance(obj, dict) else getattr(obj, field)
    language = language or get_language()
    if language == settings.LANGUAGE_CODE:
        return plain
    value = translations_of(obj).get(language, {}).get(field)
    if not value:
        return plain
    if isinstance(plain, list):
        return [given or own for given, own in zip(value, plain, strict=False)] + plain[len(value) :]
    return value


def translations_check(translations: dict, *, plain: Mapping) -> None:
    """Refuse a translation in the shop's language that says something else than the plain field."""
    own = translations.get(settings.LANGUAGE_CODE) or {}
    differing = [field for field, value in own.items() if value and value != plain.get(field)]
    if differing:
        raise ValidationError({"translations": [SAME_AS_PLAIN.format(field=field) for field in differing]})


def translations_merge(current: dict, given: dict, *, plain: Mapping) -> dict:
    """The translations to store: `current` with `given` written over it field by field (an empty
    text removes that translation), without the shop's language, which the plain fields hold."""
    translations_check(given, plain=plain)
    merged = {language: dict(fields) for language, fields in (current or {}).items()}
    for language, fields in given.items():
        if language == settings.LANGUAGE_CODE:
            continue
        merged.setdefault(language, {}).update(fields)
    return {
        language: kept
        for language, fields in merged.items()
        if (kept := {field: value for field, value in fields.items() if value})
    }


def translation_texts(translations: dict, fields: list[str]) -> list[str]:
    """Every translated text of `fields`, in every language (what search looks in)."""
    return [fields_.get(field, "") for fields_ in translations.values() for field in fields]


# The API: reading in the request's language, writing with the object.

_LANGUAGE = "translations.language"


def answer_language(context: dict) -> str:
    """The language an answer is written in: asked once per answer and kept in its context, as
    get_language() costs microseconds and a listing reads hundreds of translated fields."""
    language = context.get(_LANGUAGE)
    if language is None:
        language = context[_LANGUAGE] = get_language()
    return language


class TranslatedField(ContextualField):
    """A field of the catalog in the request's language, the shop's where it has no translation.
    Its source is the row (or dict) itself, of which it reads the field of its own name."""

    def __init__(self, source: str = "*", **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def represent(self, value, context):
        return translated(value, self.field_name, answer_language(context))


class TranslatedCharField(TranslatedField, serializers.CharField):
    pass


class TranslatedListField(TranslatedField, serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), **kwargs)


class TranslationsField(serializers.DictField):
    """`translations: {"am": {...}, "en": {...}}` on a write: languages of the shop only, each
    with the fields of `child` (any of them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Per language (am, en): the translated fields, any of them.")
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict) and set(data) - set(shop_languages()):
            raise serializers.ValidationError(NOT_A_LANGUAGE.format(languages=", ".join(shop_languages())))
        return super().to_internal_value(data)


# The admin: a field per other language beside each plain one ("Title (Amharic)").


def translation_field_name(field: str, language: str) -> str:
    return f"{field}_{language}"


def beside_translations(fields: list[str], translated_fields: list[str]) -> list[str]:
    """An admin's field list with each translated field followed by its translations."""
    return [
        name
        for field in fields
        for name in [
            field,
            *(
                (translation_field_name(field, language) for language in other_languages())
                if field in translated_fields
                else ()
            ),
        ]
    ]


def with_translations(form_class: type[forms.ModelForm], translated_fields: list[str]) -> type[forms.ModelForm]:
    """`form_class` with a field per other language beside each of `translated_fields`, filled
    from the row's translations; `translations_from_form` turns them back into `translations`."""
    model = form_class._meta.model
    declared = {}
    for field in translated_fields:
        model_field = model._meta.get_field(field)
        for language in other_languages():
            form_field = model_field.formfield(required=False)
            form_field.label = format_lazy(
                "{field} ({language})", field=capfirst(model_field.verbose_name), language=LANGUAGE_NAMES[language]
            )
            declared[translation_field_name(field, language)] = form_field

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        for language, fields in translations_of(self.instance).items():
            for field, value in fields.items():
                self.initial.setdefault(translation_field_name(field, language), value)

    return type(form_class.__name__, (form_class,), {**declared, "__init__": __init__})


def translations_from_form(data: dict, translated_fields: list[str]) -> dict:
    """The admin form's data with its per-language fields folded into `translations` (only those
    given: a save sends the changed fields only)."""
    data = dict(data)
    translations = {}
    for language in other_languages():
        for field in translated_fields:
            name = translation_field_name(field, language)
            if name in data:
                translations.setdefault(language, {})[field] = data.pop(name)
    if translations:
        data["translations"] = translations
    return data
