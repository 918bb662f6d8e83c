"""Options and variants: what combinations of a product are sold, each under its own SKU."""

from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.services import model_update, unique_race_as_validation_error
from ecommerce.common.translations import ONE_PER_VALUE, other_languages, translations_check, translations_merge
from products.exceptions import StockReadOnly
from products.lock_objects import product_lock_many, variant_lock_many
from products.models import Product, ProductOption, ProductOptionValue, StockReason, Variant, option_key
from products.services.stock import product_totals_refresh, stock_initial

STOCK_READ_ONLY = _(
    "Stock cannot be set: adjust it by a delta with a reason (restock, count, damaged, returned, other)."
)
VALUE_IN_USE = _("{name}: {value} is used by a variant; deactivate or change that variant first.")
OPTION_NAMES_FIXED = _("A product's option names cannot change once it has variants with options.")
DEFAULT_HAS_STOCK = _(
    "This product's default variant still has stock: adjust it to 0 before giving the product options."
)
VARIANT_FIELDS = ["sku", "price", "is_active", "low_stock_threshold"]
NAME_TWICE = _("“{name}” differs from another option of this product only by case.")
VALUE_TWICE = _("{name}: “{value}” differs from another value of this option only by case.")


def _options_key(values: list[ProductOptionValue]) -> str:
    return ";".join(sorted(f"{v.option.name.lower()}={v.value.lower()}" for v in values))


def _options_map(values: list[ProductOptionValue]) -> dict[str, str]:
    """{option name: value} in the product's option order."""
    ordered = sorted(values, key=lambda v: (v.option.position, v.option.pk))
    return {value.option.name: value.value for value in ordered}


def _option_summary(option: ProductOption) -> dict:
    """An option as the product's summary keeps it: {name, values, translations: {"am": {name,
    values}}}, a value without a translation being "" in its language's list."""
    values = list(option.values.all())
    translations = {}
    for language in other_languages():
        texts = {"name": option.translations.get(language, {}).get("name", "")}
        texts["values"] = [value.translations.get(language, {}).get("value", "") for value in values]
        if texts["name"] or any(texts["values"]):
            translations[language] = {field: text for field, text in texts.items() if any(text)}
    return {"name": option.name, "values": [value.value for value in values], "translations": translations}


def _keep_options(product: Product) -> None:
    """Write the product's option summary and each variant's options map from the rows."""
    options = list(product.options.prefetch_related("values"))
    product.option_summary = [_option_summary(option) for option in options]
    product.save(update_fields=["option_summary", "updated_at"])
    for variant in product.variants.prefetch_related("option_values__option"):
        options_map = _options_map(list(variant.option_values.all()))
        if options_map != variant.options:
            # No signal: the product's save above has already marked the catalog changed.
            Variant.objects.filter(pk=variant.pk).update(options=options_map)


def _resolve(product: Product, options: dict[str, str]) -> list[ProductOptionValue]:
    """The option values `options` names: every option of the product exactly once."""
    by_name = {option_key(o.name): o for o in product.options.prefetch_related("values")}
    given = {option_key(str(name)): str(value).strip() for name, value in options.items()}
    errors = [gettext("Unknown option '{name}'.").format(name=name) for name in given if name not in by_name]
    errors += [gettext("Give a value for {name}.").format(name=o.name) for k, o in by_name.items() if k not in given]
    chosen = []
    for key, value in given.items():
        option = by_name.get(key)
        if option is None:
            continue
        match = next((v for v in option.values.all() if option_key(v.value) == option_key(value)), None)
        if match is None:
            errors.append(
                gettext("{name} has no value '{value}': use one of {values}.").format(
                    name=option.name, value=value, values=", ".join(v.value for v in option.values.all())
                )
            )
        else:
            chosen.append(match)
    if errors:
        raise ValidationError({"options": errors})
    return chosen


def _refuse_if_taken(rows: QuerySet, field: str, value: str, message: str) -> None:
    """After a unique violation: raise `message` when the database, folding case its own way,
    holds `value` in `field` of another of `rows`."""
    if rows.alias(folded=Lower(field)).filter(folded=Lower(Value(value))).exists():
        raise ValidationError({"options": [message]})


def _option_translations(name: str, values: list[str], translations: dict) -> dict:
    """An option's translations as given ({"am": {"name", "values"}}), checked: one text per
    value, and nothing in the shop's language that differs from the plain name and values."""
    translations = {
        language: {
            field: text.strip() if field == "name" else [value.strip() for value in text]
            for field, text in fields.items()
        }
        for language, fields in translations.items()
    }
    if any(len(fields.get("values", values)) != len(values) for fields in translations.values()):
        raise ValidationError({"options": [ONE_PER_VALUE]})
    translations_check(translations, plain={"name": name, "values": values})
    return translations


@transaction.atomic
def product_options_set(*, product: Product, options: list[dict]) -> None:
    """Give the product its options ([{name, values: [...], translations?}], in order), each
    translation written over the one the option or value had (an empty one removes it).
    Values may be added and
    reordered freely; a value a variant uses cannot go, and the option names cannot change once
    variants use them. A product that had none loses its default variant (deactivated if it
    was ever ordered) when it gets options."""
    # Two saves of the same product's options take turns, each reading what the other
    # committed, instead of both inserting the same names. Variants first, then the product:
    # the order every path locks them in.
    variant_lock_many(ids=list(Variant.objects.filter(product=product).values_list("pk", flat=True)))
    product_lock_many(ids=[product.pk])
    existing = {option_key(o.name): o for o in product.options.prefetch_related("values")}
    wanted = [str(o["name"]).strip() for o in options]
    option_variants = Variant.objects.filter(product=product).exclude(options_key="")
    if option_variants.exists() and {option_key(n) for n in wanted} != set(existing):
        raise ValidationError({"options": [OPTION_NAMES_FIXED]})
    in_use = set(
        ProductOptionValue.objects.filter(option__product=product, variants__isnull=False).values_list("pk", flat=True)
    )
    # What goes is deleted before anything is written: a name or value given in a spelling the
    # database takes for the old one ('i' to 'İ') then does not meet the old row.
    for key in set(existing) - {option_key(n) for n in wanted}:
        gone = existing.pop(key)
        if any(v.pk in in_use for v in gone.values.all()):
            raise ValidationError({"options": [OPTION_NAMES_FIXED]})
        gone.delete()
    for position, spec in enumerate(options):
        name = str(spec["name"]).strip()
        given = [str(v).strip() for v in spec["values"]]
        translations = _option_translations(name, given, spec.get("translations") or {})
        option = existing.pop(option_key(name), None) or ProductOption(product=product)
        option.name, option.position = name, position
        option.translations = translations_merge(
            option.translations,
            {language: {"name": fields["name"]} for language, fields in translations.items() if "name" in fields},
            plain={"name": name},
        )
        others = ProductOption.objects.filter(product=product).exclude(pk=option.pk)
        with unique_race_as_validation_error(
            option, recheck=partial(_refuse_if_taken, others, "name", name, NAME_TWICE.format(name=name))
        ):
            option.save()
        values = {option_key(v.value): v for v in option.values.all()}
        rows = [values.pop(option_key(value), None) or ProductOptionValue(option=option) for value in given]
        for gone in values.values():
            if gone.pk in in_use:
                raise ValidationError({"options": [VALUE_IN_USE.format(name=name, value=gone.value)]})
            gone.delete()
        for value_position, (row, value) in enumerate(zip(rows, given, strict=True)):
            row.value, row.position = value, value_position
            row.translations = translations_merge(
                row.translations,
                {
                    language: {"value": fields["values"][value_position]}
                    for language, fields in translations.items()
                    if "values" in fields
                },
                plain={"value": value},
            )
            others = ProductOptionValue.objects.filter(option=option).exclude(pk=row.pk)
            message = VALUE_TWICE.format(name=name, value=value)
            with unique_race_as_validation_error(
                row, recheck=partial(_refuse_if_taken, others, "value", value, message)
            ):
                row.save()
    if options:
        _retire_default_variant(product)
    _keep_options(product)


@transaction.atomic
def product_option_translate(*, option: ProductOption, translations: dict) -> ProductOption:
    """Write one option's translations ({"am": {"name", "values"}}) and change nothing else: the
    product's options are set again as they are, with these translations on this one."""
    # Locked in the order product_options_set takes them, before the options are read.
    variant_lock_many(ids=list(Variant.objects.filter(product_id=option.product_id).values_list("pk", flat=True)))
    product = product_lock_many(ids=[option.product_id])[option.product_id]
    product_options_set(
        product=product,
        options=[
            {**summary, "translations": translations if summary["name"] == option.name else {}}
            for summary in product.option_summary
        ],
    )
    return ProductOption.objects.get(pk=option.pk)


def _retire_default_variant(product: Product) -> None:
    default = Variant.objects.filter(product=product, options_key="").first()
    if default is None:
        return
    variant = variant_lock_many(ids=[default.pk])[default.pk]
    if variant.stock:
        raise ValidationError({"options": [DEFAULT_HAS_STOCK]})
    _remove(variant)


def _remove(variant: Variant) -> None:
    # A variant that was ever sold stays, inactive, for the orders and the ledger that name it.
    if variant.movements.filter(reason=StockReason.CHECKOUT).exists():
        if variant.is_active:
            variant.is_active = False
            variant.save(update_fields=["is_active", "updated_at"])
    else:
        variant.delete()
    product_totals_refresh(product_id=variant.product_id)


@transaction.atomic
def variant_create(
    *,
    product: Product,
    sku: str,
    options: dict[str, str] | None = None,
    price: Decimal | None = None,
    stock: int = 0,
    is_active: bool = True,
    low_stock_threshold: int | None = None,
    actor=None,
) -> Variant:
    values = _resolve(product, options or {})
    variant = Variant(
        product=product,
        sku=sku.strip(),
        price=price,
        stock=stock,
        is_active=is_active,
        low_stock_threshold=low_stock_threshold,
        options_key=_options_key(values),
        options=_options_map(values),
    )
    variant.full_clean()
    with unique_race_as_validation_error(variant):
        variant.save()
    variant.option_values.set(values)
    stock_initial(variant=variant, actor=actor)
    product_totals_refresh(product_id=product.pk)
    return variant


@transaction.atomic
def variant_update(*, variant: Variant, data: dict) -> Variant:
    if "stock" in data:
        raise StockReadOnly(STOCK_READ_ONLY)
    variant = variant_lock_many(ids=[variant.pk])[variant.pk]
    data = dict(data)
    if "sku" in data:
        data["sku"] = data["sku"].strip()
    if "options" in data:
        values = _resolve(variant.product, data.pop("options"))
        variant.options_key, variant.options = _options_key(values), _options_map(values)
        variant.full_clean()
        with unique_race_as_validation_error(variant):
            variant.save(update_fields=["options_key", "options", "updated_at"])
        variant.option_values.set(values)
    with unique_race_as_validation_error(variant):
        model_update(instance=variant, fields=VARIANT_FIELDS, data=data)
    product_totals_refresh(product_id=variant.product_id)
    return variant


@transaction.atomic
def variant_delete(*, variant: Variant) -> None:
    """Remove a variant; one that was ever ordered is deactivated instead."""
    _remove(variant_lock_many(ids=[variant.pk])[variant.pk])
