"""Variants, their options and the stock ledger through the API, as staff and customers use them."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from conftest import client_for
from orders.services import order_place_from_cart
from products.models import MAX_STOCK, Product, ProductOptionValue, StockMovement, Variant
from products.tests.factories import (
    ProductFactory,
    assert_the_books_balance,
    default_variant,
    product_with_sizes,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("products:list")
CART_ADD = reverse("cart:add")


def detail(product):
    return reverse("products:detail", args=[product.pk])


def variants_url(product):
    return reverse("products:variants", args=[product.pk])


def variant_url(product, variant):
    return reverse("products:variant-detail", args=[product.pk, variant.pk])


def stock_url(product, variant):
    return reverse("products:variant-stock", args=[product.pk, variant.pk])


def shirt(staff_client, **extra):
    body = {
        "title": "Addis T-shirt",
        "price": "450.00",
        "category_id": ProductFactory().category_id,
        "options": [{"name": "Size", "values": ["S", "M"]}, {"name": "Colour", "values": ["Red", "Black"]}],
        **extra,
    }
    response = staff_client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


class TestStaffBuildsAProductWithVariants:
    def test_options_then_variants_then_the_listing(self, staff_client, api_client):
        product = shirt(staff_client)
        assert product["options"] == [
            {"name": "Size", "values": ["S", "M"], "translations": {}},
            {"name": "Colour", "values": ["Red", "Black"], "translations": {}},
        ]
        assert product["variants"] == []  # a product with options has no default variant
        url = reverse("products:variants", args=[product["id"]])
        red_s = staff_client.post(url, {"sku": "TSH-RED-S", "options": {"Size": "S", "Colour": "Red"}, "stock": 4})
        black_m = staff_client.post(
            url, {"sku": "TSH-BLK-M", "options": {"colour": "black", "size": "m"}, "price": "520.00", "stock": 2}
        )
        assert (red_s.status_code, black_m.status_code) == (201, 201)
        assert red_s.json() == {
            "id": red_s.json()["id"],
            "sku": "TSH-RED-S",
            "options": {"Size": "S", "Colour": "Red"},
            "price": "450.00",  # the product's, as it names none
            "stock": 4,
            "in_stock": True,
            "is_active": True,
        }
        assert black_m.json()["options"] == {"Size": "M", "Colour": "Black"}  # stored as the option spells it
        listed = api_client.get(LIST).json()["results"][0]
        assert (listed["price"], listed["price_max"], listed["stock"], listed["in_stock"]) == (
            "450.00",
            "520.00",
            6,
            True,
        )
        assert [v["sku"] for v in listed["variants"]] == ["TSH-RED-S", "TSH-BLK-M"]
        ledger = staff_client.get(reverse("products:stock-movements", args=[product["id"]])).json()["results"]
        assert [(m["sku"], m["delta"], m["stock_after"], m["reason"]) for m in ledger] == [
            ("TSH-BLK-M", 2, 2, "initial"),
            ("TSH-RED-S", 4, 4, "initial"),
        ]
        assert_the_books_balance()

    def test_a_new_product_price_moves_the_variants_that_name_none(self, staff_client, api_client):
        product = product_with_sizes(price=Decimal("100.00"))
        response = staff_client.patch(detail(product), {"price": "90.00"})
        assert response.status_code == 200
        assert (response.json()["price"], response.json()["price_max"]) == ("90.00", "90.00")
        staff_client.patch(variant_url(product, Variant.objects.get(sku__endswith="-L")), {"price": "130.00"})
        body = api_client.get(detail(product)).json()
        assert [v["price"] for v in body["variants"]] == ["90.00", "90.00", "130.00"]
        assert (body["price"], body["price_max"]) == ("90.00", "130.00")

    def test_an_inactive_variant_leaves_listings_and_totals(self, staff_client, api_client):
        product = product_with_sizes(stock=5)
        small = Variant.objects.get(product=product, sku__endswith="-S")
        assert staff_client.patch(variant_url(product, small), {"is_active": False}).status_code == 200
        body = api_client.get(detail(product)).json()
        assert ([v["sku"] for v in body["variants"]], body["stock"]) == (
            [small.sku[:-1] + "M", small.sku[:-1] + "L"],
            10,
        )
        assert len(staff_client.get(detail(product)).json()["variants"]) == 3
        assert_the_books_balance()


class TestStockAdjustments:
    def test_staff_adjust_by_a_delta_with_a_reason(self, staff_client, staff):
        product = ProductFactory(stock=5)
        variant = default_variant(product)
        response = staff_client.post(stock_url(product, variant), {"delta": 7, "reason": "restock"})
        assert (response.status_code, response.json()) == (200, {"stock": 12})
        response = staff_client.post(stock_url(product, variant), {"delta": -2, "reason": "damaged"})
        assert response.json() == {"stock": 10}
        [latest, *_] = StockMovement.objects.filter(variant=variant)
        assert (latest.delta, latest.stock_after, latest.reason, latest.actor) == (-2, 10, "damaged", staff)
        assert_the_books_balance()

    @pytest.mark.parametrize(
        ("body", "status", "field"),
        [
            ({"delta": 0, "reason": "count"}, 400, "delta"),
            ({"delta": 1, "reason": "checkout"}, 400, "reason"),  # the shop's own reasons are not staff's
            ({"delta": 1}, 400, "reason"),
            ({"delta": -6, "reason": "count"}, 409, "code"),  # below zero
        ],
    )
    def test_bad_adjustments_write_nothing(self, staff_client, body, status, field):
        product = ProductFactory(stock=5)
        variant = default_variant(product)
        response = staff_client.post(stock_url(product, variant), body, format="json")
        assert response.status_code == status and field in response.json(), response.json()
        if status == 409:
            assert response.json()["code"] == "insufficient_stock"
        variant.refresh_from_db()
        assert (variant.stock, StockMovement.objects.filter(variant=variant).count()) == (5, 1)

    def test_stock_is_never_written_directly(self, staff_client):
        product = ProductFactory(stock=5)
        variant = default_variant(product)
        for url in (detail(product), variant_url(product, variant)):
            response = staff_client.patch(url, {"stock": 50})
            assert (response.status_code, response.json()["code"]) == (400, "stock_read_only")
        variant.refresh_from_db()
        assert variant.stock == 5

    def test_a_variant_of_another_product_is_404(self, staff_client):
        product, other = ProductFactory(), ProductFactory()
        theirs = default_variant(other)
        assert staff_client.post(stock_url(product, theirs), {"delta": 1, "reason": "count"}).status_code == 404
        assert staff_client.patch(variant_url(product, theirs), {"sku": "X"}).status_code == 404
        assert staff_client.delete(variant_url(product, theirs)).status_code == 404
        assert Variant.objects.filter(pk=theirs.pk, stock=10, sku=theirs.sku).exists()

    def test_customers_cannot_adjust_or_read_the_ledger(self, auth_client):
        product = ProductFactory()
        assert (
            auth_client.post(stock_url(product, default_variant(product)), {"delta": 1, "reason": "count"}).status_code
            == 403
        )
        assert auth_client.get(reverse("products:stock-movements", args=[product.pk])).status_code == 403


class TestStockLimits:
    """Issue 22, defect 7: stock past what the column holds (2147483647 on PostgreSQL) is a 400
    naming the field, with nothing written, on every database."""

    def test_a_restock_past_the_limit(self, staff_client):
        product = ProductFactory(stock=MAX_STOCK - 1)
        variant = default_variant(product)
        response = staff_client.post(stock_url(product, variant), {"delta": 5, "reason": "restock"}, format="json")
        assert response.status_code == 400, response.content
        assert response.json() == {"delta": [f"Stock cannot go above {MAX_STOCK}: {variant.sku} has {MAX_STOCK - 1}."]}
        assert staff_client.post(stock_url(product, variant), {"delta": 1, "reason": "restock"}).json() == {
            "stock": MAX_STOCK
        }
        assert_the_books_balance()

    def test_a_second_huge_variant_would_overflow_the_products_total(self, staff_client):
        # given a product in two sizes, the small one holding as much as a column can
        product = ProductFactory(stock=0, options=[{"name": "Size", "values": ["S", "M", "L"]}])
        url = variants_url(product)
        first = staff_client.post(url, {"sku": "S", "options": {"Size": "S"}, "stock": MAX_STOCK}, format="json")
        assert first.status_code == 201, first.content
        medium = staff_client.post(url, {"sku": "M", "options": {"Size": "M"}}, format="json").json()
        # when another size comes with stock, or a restock, or a size with stock is activated
        second = staff_client.post(url, {"sku": "L", "options": {"Size": "L"}, "stock": 1}, format="json")
        restock = staff_client.post(
            reverse("products:variant-stock", args=[product.pk, medium["id"]]), {"delta": 1, "reason": "restock"}
        )
        # then each is refused, and the product still holds what it did
        too_many = f"A product holds at most {MAX_STOCK} units in all its variants."
        assert (second.status_code, second.json()) == (400, {"stock": [too_many]})
        assert (restock.status_code, restock.json()) == (400, {"delta": [too_many]})
        product.refresh_from_db()
        assert product.stock == MAX_STOCK and Variant.objects.filter(product=product).count() == 2
        assert_the_books_balance()

    def test_activating_a_variant_would_overflow_the_products_total(self, staff_client):
        product = ProductFactory(stock=0, options=[{"name": "Size", "values": ["S", "M"]}])
        url = variants_url(product)
        staff_client.post(url, {"sku": "S", "options": {"Size": "S"}, "stock": MAX_STOCK}, format="json")
        body = {"sku": "M", "options": {"Size": "M"}, "stock": 1, "is_active": False}
        medium = Variant.objects.get(pk=staff_client.post(url, body, format="json").json()["id"])
        response = staff_client.patch(variant_url(product, medium), {"is_active": True}, format="json")
        assert response.status_code == 400 and "stock" in response.json(), response.content
        medium.refresh_from_db()
        assert medium.is_active is False
        assert Product.objects.get(pk=product.pk).stock == MAX_STOCK

    @pytest.mark.parametrize("delta", [str(MAX_STOCK + 1), str(-MAX_STOCK - 1), "1" + "0" * 30])
    def test_the_admins_adjust_form_is_bounded(self, staff, delta):
        product = ProductFactory(stock=5)
        variant = default_variant(product)
        staff.is_superuser = True
        staff.save()
        admin = Client()
        admin.force_login(staff)
        url = reverse("admin:products_variant_adjust_stock", args=[variant.pk])
        response = admin.post(url, {"delta": delta, "reason": "restock"})
        assert response.status_code == 200  # the form again, with the error
        assert response.context["form"].errors["delta"], response.context["form"].errors
        variant.refresh_from_db()
        assert variant.stock == 5

    def test_the_admins_initial_stock_is_bounded(self, staff):
        staff.is_superuser = True
        staff.save()
        admin = Client()
        admin.force_login(staff)
        category = ProductFactory().category
        response = admin.post(
            reverse("admin:products_product_add"),
            {
                "title": "Huge",
                "slug": "huge",
                "category": category.pk,
                "base_price": "1.00",
                "currency": "ETB",
                "is_active": "on",
                "initial_stock": str(MAX_STOCK + 1),
                "images-TOTAL_FORMS": "0",
                "images-INITIAL_FORMS": "0",
                "variants-TOTAL_FORMS": "0",
                "variants-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200 and response.context["adminform"].form.errors["initial_stock"]
        assert not Product.objects.filter(slug="huge").exists()


class TestBadVariants:
    @pytest.mark.parametrize(
        "options",
        [
            {"Size": "S"},  # not every option
            {"Size": "S", "Colour": "Red", "Fabric": "Cotton"},  # an unknown option
            {"Size": "XXL", "Colour": "Red"},  # an unknown value
        ],
    )
    def test_options_must_name_every_option_once_with_a_known_value(self, staff_client, options):
        product = shirt(staff_client)
        response = staff_client.post(
            reverse("products:variants", args=[product["id"]]), {"sku": "TSH-X", "options": options}, format="json"
        )
        assert response.status_code == 400 and "options" in response.json(), response.json()
        assert not Variant.objects.filter(product_id=product["id"]).exists()

    def test_two_variants_with_the_same_options_or_skus_differing_by_case(self, staff_client):
        product = shirt(staff_client)
        url = reverse("products:variants", args=[product["id"]])
        assert (
            staff_client.post(
                url, {"sku": "TSH-1", "options": {"Size": "S", "Colour": "Red"}}, format="json"
            ).status_code
            == 201
        )
        same_options = staff_client.post(
            url, {"sku": "TSH-2", "options": {"Size": "s", "Colour": "RED"}}, format="json"
        )
        same_sku = staff_client.post(url, {"sku": "tsh-1", "options": {"Size": "M", "Colour": "Red"}}, format="json")
        assert same_options.status_code == 400, same_options.json()
        assert same_sku.status_code == 400, same_sku.json()
        assert Variant.objects.filter(product_id=product["id"]).count() == 1

    def test_removing_a_value_a_variant_uses_is_refused(self, staff_client):
        product = product_with_sizes()
        response = staff_client.patch(
            detail(product), {"options": [{"name": "Size", "values": ["S", "M"]}]}, format="json"
        )
        assert response.status_code == 400 and "options" in response.json()
        assert staff_client.patch(
            detail(product), {"options": [{"name": "Size", "values": ["S", "M", "L", "XL"]}]}, format="json"
        ).json()["options"] == [{"name": "Size", "values": ["S", "M", "L", "XL"], "translations": {}}]

    def test_a_variant_ever_ordered_is_deactivated_not_deleted(self, staff_client):
        product = product_with_sizes(stock=3)
        small, medium = Variant.objects.filter(product=product).order_by("pk")[:2]
        user = UserFactory()
        client_for(user).post(CART_ADD, {"variant_id": small.pk})
        order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk)
        assert staff_client.delete(variant_url(product, small)).status_code == 204
        assert staff_client.delete(variant_url(product, medium)).status_code == 204
        small.refresh_from_db()
        assert small.is_active is False
        assert not Variant.objects.filter(pk=medium.pk).exists()
        assert_the_books_balance()


class TestOptionsTheDatabaseFoldsTogether:
    """Issue 22, defect 8: option names and values are unique ignoring case, as the database
    folds case (PostgreSQL's lower() makes 'ΑΣ' 'ασ' and 'İ' 'i'; Python's lower() makes them
    'ας' and 'i̇'). Two that the database takes for one are a 400, never a 500."""

    def test_values_differing_only_by_a_final_sigma_are_one_value(self, staff_client):
        product = ProductFactory(stock=0)
        body = {"options": [{"name": "Size", "values": ["ασ", "ΑΣ"]}]}
        response = staff_client.patch(detail(product), body, format="json")
        assert (response.status_code, response.json()) == (400, {"options": {"0": {"values": ["Each value once."]}}})
        names = [{"name": "ΧΡΏΜΑ ΑΣ", "values": ["a"]}, {"name": "χρώμα ασ", "values": ["b"]}]
        response = staff_client.patch(detail(product), {"options": names}, format="json")
        assert (response.status_code, response.json()) == (400, {"options": ["Each option name once."]})
        assert not ProductOptionValue.objects.exists()

    def test_a_value_given_again_in_another_case_keeps_its_row(self, staff_client):
        product = product_with_sizes(sizes=("ασ", "β"))
        body = {"options": [{"name": "Size", "values": ["ΑΣ", "β"]}]}
        response = staff_client.patch(detail(product), body, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["options"] == [{"name": "Size", "values": ["ΑΣ", "β"], "translations": {}}]
        assert ProductOptionValue.objects.count() == 2  # the variant keeps the value it uses

    def test_a_value_renamed_to_what_the_database_takes_for_the_same(self, staff_client):
        product = ProductFactory(stock=0, options=[{"name": "Size", "values": ["i", "x"]}])
        body = {"options": [{"name": "Size", "values": ["İ", "x"]}]}
        response = staff_client.patch(detail(product), body, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["options"] == [{"name": "Size", "values": ["İ", "x"], "translations": {}}]

    @pytest.mark.usefixtures("postgres")
    def test_dotted_capital_i_and_i_are_one_value_to_postgresql(self, staff_client):
        product = ProductFactory(stock=0)
        response = staff_client.patch(detail(product), {"options": [{"name": "Size", "values": ["i", "İ"]}]})
        assert response.status_code == 400, response.content
        assert response.json() == {"options": ["Size: “İ” differs from another value of this option only by case."]}
        names = [{"name": "i", "values": ["a"]}, {"name": "İ", "values": ["b"]}]
        response = staff_client.patch(detail(product), {"options": names}, format="json")
        assert response.status_code == 400, response.content
        assert response.json() == {"options": ["“İ” differs from another option of this product only by case."]}
        assert not ProductOptionValue.objects.exists()


class TestVariantFilters:
    @pytest.fixture
    def catalog(self, staff_client):
        product = shirt(staff_client)
        url = reverse("products:variants", args=[product["id"]])
        staff_client.post(url, {"sku": "TSH-RED-S", "options": {"Size": "S", "Colour": "Red"}}, format="json")
        staff_client.post(url, {"sku": "TSH-BLK-M", "options": {"Size": "M", "Colour": "Black"}}, format="json")
        return product["id"], ProductFactory(title="Kettle").pk

    def ids(self, client, query):
        response = client.get(LIST + query)
        assert response.status_code == 200, response.json()
        return [p["id"] for p in response.json()["results"]]

    def test_sku_any_case(self, api_client, catalog):
        shirt_id, _ = catalog
        assert self.ids(api_client, "?sku=tsh-red-s") == [shirt_id]
        assert self.ids(api_client, "?sku=TSH-RED") == []

    def test_every_option_must_match_one_variant(self, api_client, catalog):
        shirt_id, _ = catalog
        assert self.ids(api_client, "?option=Size:M") == [shirt_id]
        assert self.ids(api_client, "?option=size:m&option=colour:black") == [shirt_id]
        # M exists and Red exists, but no single variant is both
        assert self.ids(api_client, "?option=Size:M&option=Colour:Red") == []

    @pytest.mark.parametrize("value", ["Size", "Size:", ":M", "x" * 200])
    def test_a_malformed_option_is_400(self, api_client, catalog, value):
        response = api_client.get(LIST, {"option": value})
        assert response.status_code == 400 and "option" in response.json()


class TestCartWithVariants:
    def test_add_by_variant_and_the_order_line_keeps_its_sku_and_options(self, auth_client, user):
        product = product_with_sizes(price=Decimal("200.00"))
        medium = Variant.objects.get(product=product, sku__endswith="-M")
        response = auth_client.post(CART_ADD, {"variant_id": medium.pk, "quantity": 2})
        assert response.status_code == 201
        [line] = response.json()["items"]
        assert (line["variant"]["sku"], line["variant"]["options"], line["line_total"]) == (
            medium.sku,
            {"Size": "M"},
            "400.00",
        )
        order, _ = order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk)
        [item] = order.items.all()
        assert (item.variant_id, item.sku, item.variant_options, item.product_title) == (
            medium.pk,
            medium.sku,
            {"Size": "M"},
            product.title,
        )
        medium.refresh_from_db()
        assert medium.stock == 3
        assert Variant.objects.get(product=product, sku__endswith="-S").stock == 5  # siblings untouched
        assert_the_books_balance()

    def test_a_product_with_several_variants_needs_one_named(self, auth_client):
        product = product_with_sizes()
        response = auth_client.post(CART_ADD, {"product_id": product.pk})
        assert (response.status_code, response.json()["code"]) == (400, "variant_required")

    @pytest.mark.parametrize("body", [{}, {"variant_id": 1, "product_id": 1}])
    def test_exactly_one_of_variant_id_and_product_id(self, auth_client, body):
        assert auth_client.post(CART_ADD, body, format="json").status_code == 400

    def test_an_inactive_variant_cannot_be_added(self, auth_client, user):
        product = product_with_sizes()
        small = Variant.objects.get(product=product, sku__endswith="-S")
        Variant.objects.filter(pk=small.pk).update(is_active=False)
        response = auth_client.post(CART_ADD, {"variant_id": small.pk})
        assert response.status_code == 400 and "variant_id" in response.json()
