"""What a returned line is worth: its total less its share of the coupon discount. Pure: no
database."""

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orders.pricing import discount_shares, units_refund_value

D = Decimal


def test_the_discount_is_split_in_proportion_to_the_lines_the_last_taking_the_remainder():
    # 10.00 over 100 / 200 / 300: 1.67 and 3.33 half-up, the last line 5.00
    assert discount_shares(line_totals=[D("100.00"), D("200.00"), D("300.00")], discount=D("10.00")) == [
        D("1.67"),
        D("3.33"),
        D("5.00"),
    ]


def test_half_a_cent_rounds_up():
    assert discount_shares(line_totals=[D("1.00"), D("1.00")], discount=D("0.01")) == [D("0.01"), D("0.00")]


def test_no_share_is_more_than_its_line_even_when_rounding_up_ran_ahead():
    # 0.015 rounds up to 0.02 three times: the last line would get -0.01
    shares = discount_shares(line_totals=[D("0.03"), D("0.03"), D("0.03"), D("0.01")], discount=D("0.05"))
    assert sum(shares) == D("0.05")
    assert all(D("0.00") <= share <= total for share, total in zip(shares, [D("0.03")] * 3 + [D("0.01")], strict=True))


def test_without_a_discount_every_share_is_nothing():
    assert discount_shares(line_totals=[D("5.00"), D("7.00")], discount=D("0.00")) == [D("0.00"), D("0.00")]


def test_part_of_a_line_is_rounded_down_and_all_of_it_is_exact():
    assert units_refund_value(line_total=D("10.00"), share=D("0.01"), quantity=3, units=1) == D("3.33")
    assert units_refund_value(line_total=D("10.00"), share=D("0.01"), quantity=3, units=3) == D("9.99")


cents = st.integers(min_value=1, max_value=10**8).map(lambda n: D(n) / 100)


@st.composite
def orders(draw):
    """Random lines (unit price, quantity), a coupon discount up to the subtotal and a delivery fee."""
    lines = draw(st.lists(st.tuples(cents, st.integers(min_value=1, max_value=20)), min_size=1, max_size=8))
    totals = [price * quantity for price, quantity in lines]
    subtotal = sum(totals)
    discount = draw(st.integers(min_value=0, max_value=int(subtotal * 100)).map(lambda n: D(n) / 100))
    fee = draw(st.integers(min_value=0, max_value=50000).map(lambda n: D(n) / 100))
    return lines, totals, discount, fee


@settings(max_examples=300, deadline=None)
@given(orders())
def test_shares_add_up_to_the_discount_and_no_subset_refunds_more_than_it_cost(order):
    lines, totals, discount, fee = order
    shares = discount_shares(line_totals=totals, discount=discount)
    paid_total = sum(totals) - discount + fee

    assert sum(shares) == discount
    assert all(D("0.00") <= share <= total for share, total in zip(shares, totals, strict=True))
    for size in range(1, len(lines) + 1):
        for subset in itertools.combinations(range(len(lines)), size):
            cost = sum(totals[i] - shares[i] for i in subset)
            refund = sum(
                units_refund_value(line_total=totals[i], share=shares[i], quantity=lines[i][1], units=lines[i][1])
                for i in subset
            )
            assert refund <= cost
            assert refund + fee <= paid_total


@settings(max_examples=200, deadline=None)
@given(cents, st.integers(min_value=1, max_value=20), st.data())
def test_a_line_returned_in_parts_never_refunds_more_than_the_line(price, quantity, data):
    total = price * quantity
    share = data.draw(st.integers(min_value=0, max_value=int(total * 100)).map(lambda n: D(n) / 100))
    parts = data.draw(st.lists(st.integers(min_value=1, max_value=quantity), min_size=1, max_size=quantity))
    units_left, refunded = quantity, D("0.00")
    for part in parts:
        units = min(part, units_left)
        if units == 0:
            break
        refunded += units_refund_value(line_total=total, share=share, quantity=quantity, units=units)
        units_left -= units
    assert refunded <= total - share
