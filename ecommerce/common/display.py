"""Shop data written for people (staff pages, e-mails, PDFs), in one spelling everywhere."""

from django.utils.translation import gettext


def options_display(options: dict) -> str:
    """A variant's options as a packer reads them: "Size: M, Colour: Red" ("" for none)."""
    return ", ".join(f"{name}: {value}" for name, value in options.items())


def variant_display(*, options: dict, sku: str) -> str:
    """What tells one variant of a product from another: "Size: M, Colour: Red · SKU TSH-RED-M"."""
    parts = [options_display(options), gettext("SKU {sku}").format(sku=sku) if sku else ""]
    return " · ".join(part for part in parts if part)
