"""The live server that the tests over real HTTP talk to (the Chapa sandbox's callbacks and
webhooks, the browser) answers as the shop's workers do, on the embedded default too: on a
connection of its own, reading what is committed while someone else writes."""

import pytest
import requests
from django.db import transaction
from django.urls import reverse

from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_reads_what_is_committed_while_the_test_writes(live_server):
    # given a product the test has written but not committed yet
    with transaction.atomic():
        product = ProductFactory()
        # when the live server is asked for it
        response = requests.get(live_server.url + reverse("products:detail", args=[product.pk]), timeout=30)
    # then it answers from what is committed, as the shop would (SQLite's in-memory test
    # database refused the read of a table written meanwhile: 503, "database table is locked")
    assert response.status_code == 404
