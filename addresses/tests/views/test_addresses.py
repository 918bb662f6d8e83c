import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from addresses.models import Address
from addresses.regions import REGION_UNKNOWN
from addresses.services import MAX_ADDRESSES_PER_USER, TOO_MANY_ADDRESSES
from addresses.tests.factories import AddressFactory
from ecommerce.common.validators import PHONE_INVALID

pytestmark = pytest.mark.django_db

LIST = reverse("addresses:list")


def detail(pk):
    return reverse("addresses:detail", args=[pk])


def payload(**overrides):
    return {
        "address_type": "shipping",
        "full_name": "Almaz Kebede",
        "phone": "0911234567",
        "line1": "Bole Road, House 12",
        "city": "Addis Ababa",
        **overrides,
    }


class TestAddressAccess:
    def test_anonymous_is_401(self, api_client):
        assert api_client.get(LIST).status_code == 401
        assert api_client.post(LIST, payload()).status_code == 401

    def test_list_shows_only_own_addresses(self, auth_client, user, other_user):
        mine = AddressFactory(user=user)
        AddressFactory(user=other_user)
        body = auth_client.get(LIST).json()
        assert body["count"] == 1
        assert body["results"][0]["id"] == mine.pk

    @pytest.mark.parametrize("method", ["get", "patch", "delete"])
    def test_other_users_address_is_404(self, auth_client, other_user, method):
        theirs = AddressFactory(user=other_user, city="Hawassa")
        response = getattr(auth_client, method)(detail(theirs.pk), {"city": "Mekelle"})
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.city == "Hawassa"

    def test_staff_do_not_see_customers_addresses_here(self, staff_client, user):
        AddressFactory(user=user)
        assert staff_client.get(LIST).json()["count"] == 0


class TestAddressCreate:
    def test_create_with_defaults(self, auth_client, user):
        response = auth_client.post(LIST, payload(phone="+251 911-234-567"))
        assert response.status_code == 201
        body = response.json()
        assert body == {
            "id": body["id"],
            "address_type": "shipping",
            "full_name": "Almaz Kebede",
            "phone": "0911234567",
            "line1": "Bole Road, House 12",
            "line2": "",
            "city": "Addis Ababa",
            "region": "",
            "postal_code": "",
            "country": "ET",
            "is_default": True,  # the first shipping address becomes the default
            "created_at": body["created_at"],
        }
        assert Address.objects.get(pk=body["id"]).user == user

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("0911234567", "0911234567"),
            ("0711234567", "0711234567"),
            ("+251911234567", "0911234567"),
            ("251711234567", "0711234567"),
            ("+251 7 1123 4567", "0711234567"),
        ],
    )
    def test_ethiopian_phone_forms_are_normalised(self, auth_client, given, stored):
        assert auth_client.post(LIST, payload(phone=given)).json()["phone"] == stored

    @pytest.mark.parametrize("phone", ["0811234567", "091123456", "09112345678", "+251811234567", "+1 555 0100", "abc"])
    def test_bad_ethiopian_phone_is_400(self, auth_client, phone):
        response = auth_client.post(LIST, payload(phone=phone))
        assert response.status_code == 400
        assert response.json() == {"phone": [PHONE_INVALID]}
        assert not Address.objects.exists()

    def test_foreign_address_takes_an_international_phone(self, auth_client):
        response = auth_client.post(LIST, payload(country="KE", phone="+254 712 345678"))
        assert response.status_code == 201
        assert (response.json()["country"], response.json()["phone"]) == ("KE", "+254712345678")

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("country", "XX"),
            ("country", "Narnia"),
            ("address_type", "home"),
            ("full_name", ""),
            ("line1", "x" * 201),
            ("city", ""),
        ],
    )
    def test_bad_values_are_400(self, auth_client, field, value):
        response = auth_client.post(LIST, payload(**{field: value}))
        assert response.status_code == 400
        assert field in response.json()

    def test_missing_required_fields(self, auth_client):
        response = auth_client.post(LIST, {})
        assert response.status_code == 400
        assert set(response.json()) == {"full_name", "phone", "line1", "city"}

    def test_limit_per_user(self, auth_client, user):
        AddressFactory.create_batch(MAX_ADDRESSES_PER_USER, user=user)
        response = auth_client.post(LIST, payload())
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [TOO_MANY_ADDRESSES]}


class TestDefaults:
    def test_new_default_unsets_the_old_one_of_the_same_type_only(self, auth_client, user):
        old_shipping = AddressFactory(user=user, is_default=True)
        billing = AddressFactory(user=user, address_type="billing", is_default=True)
        response = auth_client.post(LIST, payload(is_default=True))
        assert response.json()["is_default"] is True
        old_shipping.refresh_from_db()
        billing.refresh_from_db()
        assert not old_shipping.is_default
        assert billing.is_default

    def test_second_address_is_not_default_unless_asked(self, auth_client, user):
        AddressFactory(user=user, is_default=True)
        assert auth_client.post(LIST, payload()).json()["is_default"] is False

    def test_patch_makes_default(self, auth_client, user):
        first = AddressFactory(user=user, is_default=True)
        second = AddressFactory(user=user)
        response = auth_client.patch(detail(second.pk), {"is_default": True})
        assert response.status_code == 200 and response.json()["is_default"]
        first.refresh_from_db()
        assert not first.is_default

    def test_moving_a_default_to_the_other_type_takes_over_that_default(self, auth_client, user):
        shipping = AddressFactory(user=user, is_default=True)
        billing = AddressFactory(user=user, address_type="billing", is_default=True)
        response = auth_client.patch(detail(shipping.pk), {"address_type": "billing"})
        assert response.status_code == 200
        billing.refresh_from_db()
        assert not billing.is_default
        assert Address.objects.filter(user=user, address_type="billing", is_default=True).get().pk == shipping.pk

    def test_update_and_delete(self, auth_client, user):
        address = AddressFactory(user=user)
        response = auth_client.patch(detail(address.pk), {"city": "Bahir Dar", "phone": "+251711000000"})
        assert response.status_code == 200
        assert (response.json()["city"], response.json()["phone"]) == ("Bahir Dar", "0711000000")
        assert auth_client.delete(detail(address.pk)).status_code == 204
        assert not Address.objects.filter(pk=address.pk).exists()

    def test_changing_country_revalidates_the_phone(self, auth_client, user):
        address = AddressFactory(user=user)
        response = auth_client.patch(detail(address.pk), {"country": "US"})
        assert response.status_code == 400
        assert "phone" in response.json()


class TestAddressConstraints:
    def test_database_allows_one_default_per_user_and_type(self, user):
        AddressFactory(user=user, is_default=True)
        AddressFactory(user=user, address_type="billing", is_default=True)
        AddressFactory(user=user, is_default=False)
        with pytest.raises(IntegrityError), transaction.atomic():
            Address.objects.create(
                user=user,
                address_type="shipping",
                full_name="x",
                phone="0911000000",
                line1="x",
                city="x",
                is_default=True,
            )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_addresses_get_exactly_one_default(postgres):
    from conftest import client_for
    from ecommerce.common.tests.concurrency import run_concurrently
    from users.tests.factories import UserFactory

    user = UserFactory()

    def create():
        return client_for(user).post(LIST, payload(), format="json").status_code

    assert run_concurrently([create for _ in range(6)]) == [201] * 6
    assert Address.objects.filter(user=user, is_default=True).count() == 1


class TestEthiopianRegion:
    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("  addis ababa ", "Addis Ababa"),
            ("OROMIA", "Oromia"),
            ("south west ethiopia peoples'", "South West Ethiopia Peoples'"),
            ("", ""),
        ],
    )
    def test_stored_in_canonical_spelling(self, auth_client, given, stored):
        response = auth_client.post(LIST, payload(region=given))
        assert response.status_code == 201, response.json()
        assert response.json()["region"] == stored

    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("አዲስ አበባ", "Addis Ababa"),
            ("አፋር", "Afar"),
            ("አማራ", "Amhara"),
            ("ቤኒሻንጉል ጉሙዝ", "Benishangul-Gumuz"),
            ("ማዕከላዊ ኢትዮጵያ", "Central Ethiopia"),
            ("ድሬ ዳዋ", "Dire Dawa"),
            ("ጋምቤላ", "Gambela"),
            ("ሐረሪ", "Harari"),
            ("ኦሮሚያ", "Oromia"),
            ("ሲዳማ", "Sidama"),
            ("ሶማሌ", "Somali"),
            ("ደቡብ ኢትዮጵያ", "South Ethiopia"),
            ("ደቡብ ምዕራብ ኢትዮጵያ ሕዝቦች", "South West Ethiopia Peoples'"),
            ("ትግራይ", "Tigray"),
            # the spellings that sound alike, spacing and the word space
            ("ሀረሪ", "Harari"),
            ("ኀረሪ", "Harari"),
            ("ማእከላዊ  ኢትዮጵያ", "Central Ethiopia"),
            ("ደቡብ ምእራብ ኢትዮጵያ ህዝቦች", "South West Ethiopia Peoples'"),
            (" ድሬዳዋ ", "Dire Dawa"),
            ("አዲስ፡አበባ", "Addis Ababa"),
        ],
    )
    def test_amharic_name_stored_in_english(self, auth_client, given, stored):
        response = auth_client.post(LIST, payload(region=given))
        assert response.status_code == 201, response.json()
        assert response.json()["region"] == stored
        assert Address.objects.get(pk=response.json()["id"]).region == stored

    def test_amharic_name_on_update(self, auth_client, user):
        address = AddressFactory(user=user, region="Amhara")
        response = auth_client.patch(detail(address.pk), {"region": "ትግራይ"})
        assert response.status_code == 200 and response.json()["region"] == "Tigray"

    def test_amharic_place_that_is_no_region_is_400(self, auth_client, user):
        response = auth_client.post(LIST, payload(region="ሸዋ"))
        assert response.status_code == 400
        assert response.json() == {"region": [REGION_UNKNOWN]}

    def test_unknown_region_is_400_and_nothing_is_written(self, auth_client, user):
        response = auth_client.post(LIST, payload(region="Shewa"))
        assert response.status_code == 400 and "region" in response.json()
        assert not Address.objects.filter(user=user).exists()

    def test_unknown_region_on_update_is_400(self, auth_client, user):
        address = Address.objects.get(pk=auth_client.post(LIST, payload(region="Amhara")).json()["id"])
        response = auth_client.patch(reverse("addresses:detail", args=[address.pk]), {"region": "Atlantis"})
        assert response.status_code == 400
        address.refresh_from_db()
        assert address.region == "Amhara"

    def test_a_bad_phone_and_a_bad_region_are_answered_together(self, auth_client, user):
        response = auth_client.post(LIST, payload(phone="abc", region="Shewa"))
        assert response.status_code == 400
        assert response.json() == {"phone": [PHONE_INVALID], "region": [REGION_UNKNOWN]}
        assert not Address.objects.filter(user=user).exists()

    def test_and_on_update(self, auth_client, user):
        address = AddressFactory(user=user, region="Amhara")
        response = auth_client.patch(detail(address.pk), {"phone": "abc", "region": "Atlantis"})
        assert response.status_code == 400
        assert response.json() == {"phone": [PHONE_INVALID], "region": [REGION_UNKNOWN]}

    def test_other_countries_keep_their_region(self, auth_client):
        response = auth_client.post(LIST, payload(country="KE", phone="+254712345678", region="Nairobi County"))
        assert response.status_code == 201 and response.json()["region"] == "Nairobi County"
