from decimal import Decimal

# The largest amount a money column (max_digits=12, decimal_places=2) holds, and so the largest
# order the shop accepts. A cart may not grow past it either.
MAX_ORDER_TOTAL = Decimal("9999999999.99")
