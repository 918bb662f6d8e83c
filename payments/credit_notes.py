"""The credit note of a refunded return, in the reader's language: the document that corrects a
receipt when money goes back. Its own number (CN-000123, from the shop's gapless sequence, given
when the refund was made), the receipt it corrects, the seller and the buyer as the receipt names
them, the lines and the delivery fee refunded, the VAT the refund contains and both calendars."""

from django.utils.translation import gettext
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from ecommerce.common.dates import date_display
from ecommerce.common.money import currency_display, money_display
from ecommerce.common.pdf import pdf_build, pdf_lines_table, pdf_paragraph, pdf_styles
from ecommerce.outbox.attachments import Attachment
from orders.models import Return
from orders.pricing import vat_included
from payments.exceptions import ReturnNotRefunded
from payments.models import Refund, RefundState
from payments.receipts import parties_block, seller_block


def _heading(ret: Return, refund: Refund) -> Table:
    styles = pdf_styles()
    order = ret.order
    rows = [
        [
            pdf_paragraph(gettext("Credit note {number}").format(number=refund.credit_note_number), styles.heading),
            pdf_paragraph(
                gettext("Refunded: {date}").format(date=date_display(refund.completed_at, both_calendars=True)),
                styles.right,
            ),
        ],
        [
            pdf_paragraph(
                gettext("Corrects receipt {receipt} of order {number}").format(
                    receipt=order.receipt_number, number=order.number
                )
            ),
            pdf_paragraph(gettext("Return {number}").format(number=ret.number), styles.right),
        ],
    ]
    return Table(rows, colWidths=[104 * mm, 70 * mm])


def _lines(ret: Return, refund: Refund) -> Table:
    styles = pdf_styles()
    currency = ret.order.currency
    lines = list(ret.lines.select_related("order_item"))

    def p(value, style=styles.body):
        return pdf_paragraph(value, style)

    rows = [[p(gettext("Item")), p(gettext("Qty"), styles.right), p(gettext("Refunded"), styles.right)]]
    for line in lines:
        detail = line.order_item.variant_text
        rows.append(
            [
                [p(line.order_item.product_title), *([p(detail, styles.small)] if detail else [])],
                p(line.quantity, styles.right),
                p(money_display(line.refund_amount, currency), styles.right),
            ]
        )
    totals = []
    if ret.delivery_refund:
        totals.append([gettext("Delivery fee"), ret.delivery_refund])
    totals.append([gettext("Total refunded ({currency})").format(currency=currency_display(currency)), refund.amount])
    totals.append([gettext("VAT included"), vat_included(refund.amount)])
    for label, amount in totals:
        rows.append(["", p(label, styles.right), p(money_display(amount, currency), styles.right)])
    return pdf_lines_table(rows, widths_mm=[110, 30, 34], line_count=len(lines))


def credit_note_pdf(*, ret: Return) -> bytes:
    """The credit note of a refunded return, in the active language; a return not refunded has
    none (409)."""
    refund = ret.refunds.filter(status=RefundState.SUCCEEDED).exclude(credit_note_number=None).first()
    if refund is None:
        raise ReturnNotRefunded(
            gettext("Return {number} is not refunded: its credit note comes with the refund.").format(number=ret.number)
        )
    styles = pdf_styles()
    return pdf_build(
        title=gettext("Credit note {number}").format(number=refund.credit_note_number),
        flowables=[
            *seller_block(),
            Spacer(1, 8 * mm),
            _heading(ret, refund),
            Spacer(1, 3 * mm),
            parties_block(ret.order),
            Spacer(1, 5 * mm),
            _lines(ret, refund),
            Spacer(1, 6 * mm),
            pdf_paragraph(
                gettext("Refunded by: {method}").format(method=refund.get_method_display())
                + (f" ({refund.reference})" if refund.reference else "")
            ),
            pdf_paragraph(gettext("Prices include VAT."), styles.small),
        ],
    )


def credit_note_filename(ret: Return) -> str:
    return f"credit-note-{ret.number}.pdf"


def credit_note_attachment(return_id: str) -> Attachment:
    """The credit note as an attachment of the "refunded" e-mail (registered with the outbox in
    PaymentsConfig), made when the e-mail is sent, in its recipient's language."""
    ret = Return.objects.select_related("order").get(pk=return_id)
    return Attachment(credit_note_filename(ret), credit_note_pdf(ret=ret), "application/pdf")
