"""drf-spectacular post-processing: document the error answers every endpoint really gives.

DRF answers 400 for bad input, 401 for a missing or bad token, 403 when not allowed, 404 for
what does not exist or belongs to someone else, 429 when throttled, all in one JSON shape.
Listing them keeps the schema true to the server (schemathesis checks that it is).
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for errors about the whole request (with a stable `code` where a client "
    "must branch), or one list of messages per invalid field.",
    # No `properties`: a field named `code` or `detail` may carry its list of messages.
    "additionalProperties": True,
}
COMMON = {
    "400": "Invalid input.",
    "401": "Missing, invalid or expired token.",
    "403": "Not allowed.",
    "404": "Not found, or not yours.",
    "405": "Method not allowed.",
    "415": "The body is not JSON.",
    "429": "Too many requests; see the Retry-After header.",
    "503": "The database is unreachable; nothing was changed (see Retry-After).",
}
EXTRA = {
    "/api/categories/{id}/": {"409": "Still referenced (a category with products)."},
    "/api/products/{id}/": {"409": "Still referenced."},
    "/api/coupons/{id}/": {"409": "Used by orders: deactivate it instead."},
    "/api/cart/add/": {"409": "Not enough stock (`insufficient_stock`, with `lines`)."},
    "/api/cart/items/{id}/": {"409": "Not enough stock (`insufficient_stock`, with `lines`)."},
    "/api/orders/create/": {
        "409": "Not enough stock (`insufficient_stock`, with `lines`), or a reused Idempotency-Key."
    },
    "/api/payments/initiate/": {
        "409": "The payment is being opened right now.",
        "502": "The payment gateway failed; nothing was paid.",
    },
    "/api/payments/verify/{payment_id}/": {"502": "The payment gateway failed; nothing changed."},
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in {**COMMON, **EXTRA.get(path, {})}.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result


def add_request_examples(result, generator, request, public):
    """Swagger UI samples a request body's integer at its `maximum`: an id of 2**63 - 1 (which
    JavaScript shows as 9223372036854776000), a quantity of 10000, all refused when tried. Each
    such integer of a request body gets an example that is taken: its default, or 1 within its
    bounds (ids and quantities start at 1)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):  # what clients send (COMPONENT_SPLIT_REQUEST)
            continue
        for spec in component.get("properties", {}).values():
            if spec.get("type") == "integer" and "maximum" in spec:
                one = min(max(1, spec.get("minimum", 1)), spec["maximum"])
                spec.setdefault("example", spec.get("default", one))
    return result
