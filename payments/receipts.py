"""The PDF receipt of a paid order, for the customer to download and attached to the "payment
received" e-mail.

ReportLab draws it: a pure-Python wheel with no system libraries (WeasyPrint needs Pango and
its fonts on every host), and it embeds subsetted TrueType fonts with a ToUnicode map, so the
text can be searched and copied. Ethiopic is a syllabary whose characters need no shaping, so
ReportLab's plain glyph mapping prints Amharic correctly. The fonts ship with the app (Noto
Sans for Latin, Noto Sans Ethiopic for Ge'ez script; OFL, see fonts/OFL.txt): a receipt looks
the same on every machine, with nothing to install.
"""

import io
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ecommerce.common.dates import date_display
from ecommerce.common.money import currency_display, money_display
from ecommerce.outbox.attachments import Attachment
from orders.models import Order
from payments.exceptions import OrderNotPaid
from payments.models import Payment

FONTS = Path(__file__).resolve().parent / "fonts"
LATIN, ETHIOPIC = "NotoSans", "NotoSansEthiopic"
# Ethiopic, Ethiopic Supplement, Extended, Extended-A and Extended-B.
_ETHIOPIC_RUN = re.compile("([\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f\U0001e7e0-\U0001e7ff]+)")


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(LATIN, FONTS / "NotoSans-Regular.ttf"))
    pdfmetrics.registerFont(TTFont(ETHIOPIC, FONTS / "NotoSansEthiopic-Regular.ttf"))


def _text(value) -> str:
    """Paragraph markup for any text: escaped, with Ethiopic runs in the font that has them."""
    parts = _ETHIOPIC_RUN.split(escape(str(value)))
    return "".join(f'<font name="{ETHIOPIC}">{part}</font>' if i % 2 else part for i, part in enumerate(parts))


def _applied_payment(order: Order) -> Payment | None:
    return Payment.objects.filter(order=order, applied=True).order_by("verified_at", "pk").first()


def receipt_pdf(*, order: Order) -> bytes:
    """The receipt of a paid order; an order whose money has not arrived has none (409)."""
    if order.paid_at is None:
        raise OrderNotPaid(
            gettext("Order {number} is not paid yet: its receipt comes with the payment.").format(number=order.number)
        )
    _register_fonts()
    body = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=20, spaceAfter=4)
    right = ParagraphStyle("right", parent=body, alignment=2)

    def p(value, style=body):
        return Paragraph(_text(value), style)

    currency = order.currency
    seller = [p(settings.SHOP_NAME, title), p(settings.SHOP_ADDRESS)]
    if settings.SHOP_TIN:
        seller.append(p(gettext("TIN: {tin}").format(tin=settings.SHOP_TIN)))
    customer = order.bill_to if order.billing_address else order.ship_to
    heading = [
        [
            p(gettext("Receipt for order {number}").format(number=order.number)),
            p(gettext("Date: {date}").format(date=date_display(order.created_at, both_calendars=True)), right),
        ],
        [
            p(gettext("Customer: {name}").format(name=customer.full_name)),
            p(gettext("Paid: {date}").format(date=date_display(order.paid_at, both_calendars=True)), right),
        ],
    ]

    lines = [
        [p(gettext("Item")), p(gettext("Qty"), right), p(gettext("Unit price"), right), p(gettext("Total"), right)]
    ]
    for item in order.items.all():
        detail = item.variant_text
        lines.append(
            [
                [p(item.product_title), *([p(detail, small)] if detail else [])],
                p(item.quantity, right),
                p(money_display(item.unit_price, currency), right),
                p(money_display(item.line_total, currency), right),
            ]
        )
    totals = [[gettext("Subtotal"), order.subtotal]]
    if order.discount_amount:
        discount = (
            gettext("Discount ({code})").format(code=order.coupon_code) if order.coupon_code else gettext("Discount")
        )
        totals.append([discount, -order.discount_amount])
    delivery = (
        gettext("Delivery ({method})").format(method=order.delivery_choice.name)
        if order.delivery
        else gettext("Delivery (free)")
    )
    totals.append([delivery, order.delivery_fee])
    totals.append([gettext("Total ({currency})").format(currency=currency_display(currency)), order.total])
    totals.append([gettext("VAT included ({rate}%)").format(rate=f"{settings.VAT_RATE * 100:.0f}"), order.vat_amount])
    for label, amount in totals:
        lines.append(["", "", p(label, right), p(money_display(amount, currency), right)])

    payment = _applied_payment(order)
    if payment is None:
        paid_by = gettext("Nothing to pay")
    else:
        reference = payment.reference or payment.chapa_reference or payment.tx_ref
        paid_by = gettext("{method}, reference {reference}").format(
            method=payment.get_method_display(), reference=reference
        )

    table = Table(lines, colWidths=[88 * mm, 14 * mm, 36 * mm, 36 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, len(order.items.all())), (-1, len(order.items.all())), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=gettext("Receipt {number}").format(number=order.number),
        author=settings.SHOP_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    document.build(
        [
            *seller,
            Spacer(1, 8 * mm),
            Table(heading, colWidths=[94 * mm, 80 * mm]),
            Spacer(1, 5 * mm),
            table,
            Spacer(1, 6 * mm),
            p(gettext("Payment: {paid_by}").format(paid_by=paid_by)),
            p(gettext("Prices include VAT."), small),
        ]
    )
    return buffer.getvalue()


def receipt_filename(order: Order) -> str:
    return f"receipt-{order.number}.pdf"


def receipt_attachment(order_id: str) -> Attachment:
    """The receipt as an e-mail attachment (registered with the outbox in PaymentsConfig)."""
    order = Order.objects.prefetch_related("items").get(pk=order_id)
    return Attachment(receipt_filename(order), receipt_pdf(order=order), "application/pdf")
