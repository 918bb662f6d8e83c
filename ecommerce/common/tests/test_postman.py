import json
from pathlib import Path

from django.conf import settings

from ecommerce.common.postman import build

COLLECTION = Path(settings.BASE_DIR) / "docs" / "postman_collection.json"


def test_committed_collection_matches_the_schema():
    committed = json.loads(COLLECTION.read_text())
    assert committed == build(), (
        "docs/postman_collection.json is out of date: python -m ecommerce.common.postman > docs/postman_collection.json"
    )


def test_collection_covers_every_api_operation_and_keeps_the_login_token():
    collection = build()
    names = {item["name"] for folder in collection["item"] for item in folder["item"]}
    assert {
        "POST /api/auth/login/",
        "POST /api/orders/create/",
        "POST /api/payments/webhook/",
        "GET /api/products/{id}/",
        "PATCH /api/orders/{order_id}/update_status/",
    } <= names
    assert len(names) >= 50
    login = next(
        item for folder in collection["item"] for item in folder["item"] if item["name"] == "POST /api/auth/login/"
    )
    assert "  pm.collectionVariables.set('accessToken', body.access);" in login["event"][0]["script"]["exec"]
    assert login["request"]["auth"] == {"type": "noauth"}
    assert json.loads(login["request"]["body"]["raw"]) == {"username": "string", "password": "string"}
    assert collection["auth"]["bearer"][0]["value"] == "{{accessToken}}"
