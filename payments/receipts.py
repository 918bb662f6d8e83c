"""The PDF receipt of a paid order, for the customer to download and attached to the "payment
received" e-mail, in the reader's language (ecommerce.common.pdf draws it).

What an Ethiopian receipt carries: its own number (R-000123, from the shop's gapless sequence),
the seller's name, address, TIN and VAT registration number, the buyer (with a business's TIN
when given at checkout) and where the goods go, the dates in both calendars, every line, the
totals and the VAT they contain.
"""

from django.conf import settings
from django.utils.translation import gettext
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ecommerce.common.dates import date_display
from ecommerce.common.money import currency_display, money_display
from ecommerce.common.pdf import pdf_build, pdf_lines_table, pdf_paragraph, pdf_styles
from ecommerce.outbox.attachments import Attachment
from orders.models import Order
from payments.exceptions import OrderNotPaid
from payments.models import Payment


def _applied_payment(order: Order) -> Payment | None:
    return Payment.objects.filter(order=order, applied=True).order_by("verified_at", "pk").first()


def seller_block() -> list:
    """The seller as every document of the shop names it (the credit note too)."""
    styles = pdf_styles()
    seller = [pdf_paragraph(settings.SHOP_NAME, styles.title), pdf_paragraph(settings.SHOP_ADDRESS)]
    if settings.SHOP_TIN:
        seller.append(pdf_paragraph(gettext("TIN: {tin}").format(tin=settings.SHOP_TIN)))
    if settings.SHOP_VAT_NUMBER:
        seller.append(
            pdf_paragraph(gettext("VAT registration number: {number}").format(number=settings.SHOP_VAT_NUMBER))
        )
    return seller


def _heading(order: Order) -> Table:
    styles = pdf_styles()
    rows = [
        [
            pdf_paragraph(gettext("Receipt {number}").format(number=order.receipt_number), styles.heading),
            pdf_paragraph(
                gettext("Paid: {date}").format(date=date_display(order.paid_at, both_calendars=True)), styles.right
            ),
        ],
        [
            pdf_paragraph(gettext("Receipt for order {number}").format(number=order.number)),
            pdf_paragraph(
                gettext("Date: {date}").format(date=date_display(order.created_at, both_calendars=True)),
                styles.right,
            ),
        ],
    ]
    return Table(rows, colWidths=[64 * mm, 110 * mm])


def parties_block(order: Order) -> Table:
    """The buyer (the billing name, and a business's TIN) beside where the goods go."""
    buyer = order.bill_to if order.billing_address else order.ship_to
    customer = [pdf_paragraph(gettext("Customer: {name}").format(name=buyer.full_name))]
    if order.buyer_tin:
        customer.append(pdf_paragraph(gettext("Buyer's TIN: {tin}").format(tin=order.buyer_tin)))
    ship_to = [pdf_paragraph(gettext("Ship to:")), *(pdf_paragraph(line) for line in order.ship_to.lines())]
    table = Table([[customer, ship_to]], colWidths=[84 * mm, 90 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines(order: Order) -> Table:
    styles = pdf_styles()
    currency, items = order.currency, list(order.items.all())

    def p(value, style=styles.body):
        return pdf_paragraph(value, style)

    rows = [
        [p(gettext("Item")), p(gettext("Qty"), styles.right), p(gettext("Unit price"), styles.right)]
        + [p(gettext("Total"), styles.right)]
    ]
    for item in items:
        detail = item.variant_text
        rows.append(
            [
                [p(item.product_title), *([p(detail, styles.small)] if detail else [])],
                p(item.quantity, styles.right),
                p(money_display(item.unit_price, currency), styles.right),
                p(money_display(item.line_total, currency), styles.right),
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
        rows.append(["", "", p(label, styles.right), p(money_display(amount, currency), styles.right)])
    return pdf_lines_table(rows, widths_mm=[88, 14, 36, 36], line_count=len(items))


def _paid_by(order: Order) -> str:
    payment = _applied_payment(order)
    if payment is None:
        return gettext("Nothing to pay")
    reference = payment.reference or payment.chapa_reference or payment.tx_ref
    return gettext("{method}, reference {reference}").format(method=payment.get_method_display(), reference=reference)


def receipt_pdf(*, order: Order) -> bytes:
    """The receipt of a paid order, in the active language; an order whose money has not arrived
    has none (409)."""
    if order.paid_at is None:
        raise OrderNotPaid(
            gettext("Order {number} is not paid yet: its receipt comes with the payment.").format(number=order.number)
        )
    styles = pdf_styles()
    return pdf_build(
        title=gettext("Receipt {number}").format(number=order.receipt_number),
        flowables=[
            *seller_block(),
            Spacer(1, 8 * mm),
            _heading(order),
            Spacer(1, 3 * mm),
            parties_block(order),
            Spacer(1, 5 * mm),
            _lines(order),
            Spacer(1, 6 * mm),
            pdf_paragraph(gettext("Payment: {paid_by}").format(paid_by=_paid_by(order))),
            pdf_paragraph(gettext("Prices include VAT."), styles.small),
        ],
    )


def receipt_filename(order: Order) -> str:
    return f"receipt-{order.number}.pdf"


def receipt_attachment(order_id: str) -> Attachment:
    """The receipt as an e-mail attachment (registered with the outbox in PaymentsConfig), made
    when the e-mail is sent, in its recipient's language."""
    order = Order.objects.prefetch_related("items").get(pk=order_id)
    return Attachment(receipt_filename(order), receipt_pdf(order=order), "application/pdf")
