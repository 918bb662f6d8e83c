"""The address an order keeps: one typed copy, its keys named once."""

import pytest

from addresses.snapshots import ADDRESS_SNAPSHOT_FIELDS, AddressSnapshot
from addresses.tests.factories import AddressFactory


@pytest.mark.django_db
def test_an_address_is_copied_field_by_field_and_read_back_the_same(user):
    address = AddressFactory(user=user, full_name="ሀና ተስፋዬ", line2="", region="Oromia", city="Adama")
    snapshot = AddressSnapshot.from_address(address)
    assert snapshot.as_dict() == {name: str(getattr(address, name)) for name in ADDRESS_SNAPSHOT_FIELDS}
    assert AddressSnapshot.from_dict(snapshot.as_dict()) == snapshot


def test_a_stored_copy_missing_a_key_reads_it_as_empty():
    snapshot = AddressSnapshot.from_dict({"full_name": "Abebe", "phone": "0911223344", "line1": "Bole", "line2": None})
    assert (snapshot.line2, snapshot.region, snapshot.country) == ("", "", "")


def test_its_lines_are_what_a_label_prints():
    snapshot = AddressSnapshot(full_name="Abebe", phone="0911223344", line1="Bole Road ", city="Addis Ababa")
    assert snapshot.lines() == ["Abebe", "0911223344", "Bole Road", "Addis Ababa", "ET"]
