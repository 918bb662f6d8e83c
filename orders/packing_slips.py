"""Packing slips: what the packer needs to pick, pack and label an order, and nothing about
money (the parcel may be opened by anyone on the way). One page per order, in the reader's
language, Amharic names printed as written (ecommerce.common.pdf)."""

from django.conf import settings
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from ecommerce.common.dates import date_display
from ecommerce.common.display import options_display
from ecommerce.common.pdf import pdf_build, pdf_paragraph, pdf_styles
from orders.models import Order

# The most orders one PDF prints: a day's packing, not the whole shop's history.
PACKING_SLIPS_AT_ONCE = 200


def delivery_display(order: Order) -> str:
    """The order's delivery method as staff read it."""
    choice = order.delivery_choice
    return choice.display() if choice else gettext("Free delivery (the shop had no delivery method)")


def _slip(order: Order) -> list:
    styles = pdf_styles()
    ship_to = order.ship_to
    heading = Table(
        [
            [
                pdf_paragraph(gettext("Packing slip: order {number}").format(number=order.number), styles.title),
                pdf_paragraph(gettext("Date: {date}").format(date=date_display(order.created_at)), styles.right),
            ]
        ],
        colWidths=[94 * mm, 80 * mm],
    )
    address = [pdf_paragraph(gettext("Ship to:"), styles.heading)]
    address += [pdf_paragraph(line) for line in ship_to.lines() if line != ship_to.phone]
    address.append(pdf_paragraph(gettext("Phone: {phone}").format(phone=ship_to.phone)))
    details = [pdf_paragraph(gettext("Delivery: {method}").format(method=delivery_display(order)))]
    if order.notes:
        details.append(pdf_paragraph(gettext("Customer's note: {note}").format(note=order.notes)))
    rows = [
        [
            pdf_paragraph(gettext("Product")),
            pdf_paragraph(gettext("SKU")),
            pdf_paragraph(gettext("Options")),
            pdf_paragraph(gettext("Qty"), styles.right),
        ]
    ]
    items = list(order.items.all())
    for item in items:
        rows.append(
            [
                pdf_paragraph(item.product_title),
                pdf_paragraph(item.sku),
                pdf_paragraph(options_display(item.variant_options), styles.small),
                pdf_paragraph(item.quantity, styles.right),
            ]
        )
    lines = Table(rows, colWidths=[74 * mm, 40 * mm, 44 * mm, 16 * mm], repeatRows=1)
    lines.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    units = sum(item.quantity for item in items)
    return [
        pdf_paragraph(settings.SHOP_NAME, styles.small),
        heading,
        Spacer(1, 5 * mm),
        *address,
        Spacer(1, 3 * mm),
        *details,
        Spacer(1, 5 * mm),
        lines,
        Spacer(1, 3 * mm),
        pdf_paragraph(gettext("Units in all: {units}").format(units=units), styles.right),
    ]


def packing_slips_pdf(*, orders: list[Order]) -> bytes:
    """One PDF with a packing slip per order, each on a page of its own, in the given order."""
    flowables = []
    for index, order in enumerate(orders):
        if index:
            flowables.append(PageBreak())
        flowables += _slip(order)
    title = (
        gettext("Packing slip: order {number}").format(number=orders[0].number)
        if len(orders) == 1
        else gettext("Packing slips")
    )
    return pdf_build(title=title, flowables=flowables)


def packing_slip_filename(order: Order) -> str:
    return f"packing-slip-{order.number}.pdf"
