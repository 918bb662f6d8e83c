"""Addresses in Amharic: what the address book refuses, said in the customer's language."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}
ADDRESS = {"full_name": "አልማዝ ከበደ", "line1": "Bole Road, House 12", "city": "Nairobi", "country": "KE"}


def test_a_phone_abroad_and_a_country_code_are_refused_in_amharic(auth_client):
    with translation.override("am"):
        phone = auth_client.post(reverse("addresses:list"), {**ADDRESS, "phone": "0712"}, **AMHARIC)
        country = auth_client.post(
            reverse("addresses:list"), {**ADDRESS, "phone": "+254712345678", "country": "Kenya"}, **AMHARIC
        )

    assert phone.json() == {"phone": ["ስልክ ቁጥሩን በዓለም አቀፍ ቅርጽ ያስገቡ፤ ለምሳሌ +442071234567።"]}
    assert country.json() == {"country": ["«Kenya» የአገር ኮድ አይደለም፤ የISO 3166-1 alpha-2 ኮዱን ይላኩ፣ ለምሳሌ ET።"]}


def test_an_unknown_region_is_refused_in_amharic_with_the_names_to_send(auth_client):
    with translation.override("am"):
        response = auth_client.post(
            reverse("addresses:list"), {**ADDRESS, "phone": "0911234567", "country": "ET", "region": "Shewa"}, **AMHARIC
        )

    [message] = response.json()["region"]
    assert message.startswith("ከኢትዮጵያ ክልሎች ወይም ቻርተርድ ከተሞች አንዱን ያስገቡ፦ Addis Ababa, Afar,")
