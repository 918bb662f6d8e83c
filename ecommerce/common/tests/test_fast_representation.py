"""Output serializers declare their fields once, the DRF way, and the fast ones answer through a
plan made of that declaration (ecommerce.common.serializers.FastRepresentation)."""

import ast
import importlib
import inspect
import textwrap
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from ecommerce.common.serializers import ContextualField, FastRepresentation

MODULES = sorted(f"{path.parent.name}.serializers" for path in Path(settings.BASE_DIR).glob("*/serializers.py"))


def _serializers_in(module) -> list[type]:
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, serializers.BaseSerializer)
        and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("name", MODULES)
def test_no_serializer_module_spells_a_serializers_fields_again(name):
    """A dict written out with two or more of a serializer's field names is a second declaration
    of those fields (a hand-built answer): declare the field and let DRF or the plan show it."""
    module = importlib.import_module(name)
    declared = {serializer.__name__: set(serializer().fields) for serializer in _serializers_in(module)}
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            for serializer, fields in declared.items():
                assert len(keys & fields) < 2, f"{name}, line {node.lineno}: {serializer}'s {sorted(keys & fields)}"


@pytest.mark.parametrize("name", MODULES)
def test_no_serializer_builds_its_answer_by_hand(name):
    """A to_representation of a serializer's own may only add to DRF's (call super(), as the
    coupons' hiding of staff-only fields does); a fast serializer keeps its plan's."""
    module = importlib.import_module(name)
    for serializer in _serializers_in(module):
        if issubclass(serializer, FastRepresentation):
            assert {"to_representation", "represent"}.isdisjoint(vars(serializer)), serializer.__name__
        method = vars(serializer).get("to_representation")
        if method is not None:
            calls = ast.walk(ast.parse(textwrap.dedent(inspect.getsource(method))))
            assert any(isinstance(node, ast.Call) and getattr(node.func, "id", "") == "super" for node in calls), (
                f"{serializer.__name__}.to_representation builds its answer by hand"
            )


class Parcel(FastRepresentation, serializers.Serializer):
    carrier = serializers.CharField()
    url = serializers.URLField(default="")
    note = serializers.CharField(required=False)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    sent_at = serializers.DateTimeField()
    label = serializers.CharField(source="label_text")
    sender = serializers.CharField(source="sender.name", allow_null=True)


class Sender:
    name = "ጀበና Coffee"


class ParcelObject:
    carrier = "Ethiopost"
    url = "https://track.example/EP1"
    note = "Fragile"
    weight = Decimal("1.5")
    sent_at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    sender = Sender()

    def label_text(self):
        return "EP1"


@pytest.mark.parametrize(
    "parcel",
    [
        ParcelObject(),
        {"carrier": "Ethiopost", "sent_at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "label_text": "EP1"},
        {"carrier": "DHL", "url": "", "weight": None, "sent_at": None, "label_text": "D1", "sender": {"name": "Abebe"}},
    ],
    ids=["object", "dict with keys left out", "dict with nulls"],
)
def test_a_plan_shows_what_drf_shows_of_the_same_fields(parcel):
    # given an object (a method source DRF calls) or a dict (a default, a field left out, null)
    serializer = Parcel(context={})

    # then the plan's answer is DRF's own
    assert serializer.to_representation(parcel) == serializers.Serializer.to_representation(serializer, parcel)


class Greeting(ContextualField, serializers.CharField):
    def represent(self, value, context):
        return f"{value}, {context['name']}"


class Card(FastRepresentation, serializers.Serializer):
    text = Greeting()


class Deck(FastRepresentation, serializers.Serializer):
    cards = Card(many=True)
    top = Card()


def test_one_plan_serves_every_request_with_its_own_context():
    for name in ("Abebe", "Almaz"):
        shown = Deck({"cards": [{"text": "Selam"}], "top": {"text": "Hello"}}, context={"name": name}).data
        assert shown == {"cards": [{"text": f"Selam, {name}"}], "top": {"text": f"Hello, {name}"}}


class ReadsTheContextOnItself(serializers.CharField):
    def to_representation(self, value):
        return f"{value}, {self.context['name']}"


class Leaky(FastRepresentation, serializers.Serializer):
    text = ReadsTheContextOnItself()


def test_a_field_that_reads_the_context_on_itself_is_refused():
    """It would read the context of the serializer the shared plan was made from, not this answer's."""
    with pytest.raises(ImproperlyConfigured, match="represent"):
        Leaky({"text": "Selam"}, context={"name": "Abebe"}).data  # noqa: B018
