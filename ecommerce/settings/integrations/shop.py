"""The shop itself: currency, payment window, stock alerts, VAT, cash on delivery, the seller."""

from decimal import Decimal

from ecommerce.settings.environment import env, env_int

# Orders and payments.
SHOP_CURRENCY = "ETB"
ORDER_PAYMENT_TIMEOUT_MINUTES = env_int("ORDER_PAYMENT_TIMEOUT_MINUTES", 30)
# A guest cart (no account, reached by its token) is deleted this many days after its last change.
GUEST_CART_DAYS = env_int("GUEST_CART_DAYS", 30)
# Days after delivery during which a customer may ask to return items.
RETURN_WINDOW_DAYS = env_int("RETURN_WINDOW_DAYS", 7)
# Staff are e-mailed when a variant's stock falls to its threshold; this is the shop's default.
LOW_STOCK_THRESHOLD = env_int("LOW_STOCK_THRESHOLD", 3)
# Prices include VAT at this rate (Ethiopia's standard 15%); 0 turns VAT off.
VAT_RATE = Decimal(env("VAT_RATE", "0.15"))
if not Decimal("0") <= VAT_RATE < Decimal("1"):
    raise ValueError("VAT_RATE must be a fraction from 0 up to 1, e.g. 0.15")
# The largest order total a customer may pay in cash on delivery.
COD_MAX_TOTAL = Decimal(env("COD_MAX_TOTAL", "20000.00"))
# What the receipt says about the seller: its address, TIN and VAT registration number.
SHOP_ADDRESS = env("SHOP_ADDRESS", "Bole Road, Addis Ababa, Ethiopia")
SHOP_TIN = env("SHOP_TIN", "")
SHOP_VAT_NUMBER = env("SHOP_VAT_NUMBER", "")
# The storefront the payment return page links back to; unset, it shows no link.
STOREFRONT_URL = env("STOREFRONT_URL", "")
# The shop's own address: Chapa calls back here, and e-mails link here.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
