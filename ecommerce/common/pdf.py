"""PDF documents for people: receipts, credit notes, packing slips.

ReportLab draws them: a pure-Python wheel with no system libraries (WeasyPrint needs Pango and
its fonts on every host), and it embeds subsetted TrueType fonts with a ToUnicode map, so the
text can be searched and copied. Ethiopic is a syllabary whose characters need no shaping, so
ReportLab's plain glyph mapping prints Amharic correctly. The fonts ship with the code (Noto
Sans for Latin, Noto Sans Ethiopic for Ge'ez script; OFL, see fonts/OFL.txt): a document looks
the same on every machine, with nothing to install.

Every text is written in the active language: a view answers in the request's, an e-mail's
attachment is made in its recipient's (ecommerce.outbox).
"""

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONTS = Path(__file__).resolve().parent / "fonts"
LATIN, ETHIOPIC = "NotoSans", "NotoSansEthiopic"
# Ethiopic, Ethiopic Supplement, Extended, Extended-A and Extended-B.
_ETHIOPIC_RUN = re.compile("([\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f\U0001e7e0-\U0001e7ff]+)")


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(LATIN, FONTS / "NotoSans-Regular.ttf"))
    pdfmetrics.registerFont(TTFont(ETHIOPIC, FONTS / "NotoSansEthiopic-Regular.ttf"))


def _markup(value) -> str:
    """Paragraph markup for any text: escaped, with Ethiopic runs in the font that has them."""
    parts = _ETHIOPIC_RUN.split(escape(str(value)))
    return "".join(f'<font name="{ETHIOPIC}">{part}</font>' if i % 2 else part for i, part in enumerate(parts))


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    right: ParagraphStyle


@cache
def pdf_styles() -> Styles:
    """The documents' paragraph styles, in the shop's fonts (registered on first use)."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=13)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        title=ParagraphStyle("title", parent=body, fontSize=16, leading=20, spaceAfter=4),
        heading=ParagraphStyle("heading", parent=body, fontSize=12, leading=16, spaceAfter=2),
        right=ParagraphStyle("right", parent=body, alignment=2),
    )


def pdf_paragraph(value, style: ParagraphStyle | None = None) -> Paragraph:
    """Any text (a product's name in Amharic, a customer's note) as a paragraph that prints it."""
    return Paragraph(_markup(value), style or pdf_styles().body)


def pdf_build(*, title: str, flowables: list[Flowable]) -> bytes:
    """The document on A4, with the shop as its author."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=settings.SHOP_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    document.build(flowables)
    return buffer.getvalue()


def pdf_lines_table(rows: list, *, widths_mm: list[float], line_count: int) -> Table:
    """A document's lines under their heading row, then its totals: a rule under the heading
    and one under the last line, so the totals stand apart."""
    table = Table(rows, colWidths=[width * mm for width in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, line_count), (-1, line_count), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
