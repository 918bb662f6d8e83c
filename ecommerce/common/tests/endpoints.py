"""Every endpoint of the API, read from the URL conf and from the OpenAPI schema, so that the
tests that walk them (access matrix, bad-input battery) cover a new endpoint without being told."""

import uuid
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def api_endpoints() -> set[tuple[str, str]]:
    """(url name, method) for every view under /api/ and /health/, and /metrics."""
    found = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and route.startswith(("api/", "health/", "metrics")):
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                for method in METHODS:
                    if view is not None and hasattr(view, method):
                        found.add((name, method))

    walk(get_resolver().url_patterns, "", None)
    return found


def url_of(name: str, obj=None) -> str:
    """The URL of `name` for an object's id, or for a tuple of ids (a variant of a product)."""
    args = [] if obj is None else list(obj) if isinstance(obj, tuple) else [obj]
    return reverse(name, args=args)


@cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@cache
def schema_operations() -> dict[tuple[str, str], dict]:
    """{(url name, method): OpenAPI operation} for every operation in the schema."""
    operations = {}
    for path, methods in schema()["paths"].items():
        example = path
        for parameter in next(iter(methods.values())).get("parameters", []):
            if parameter["in"] == "path":
                value = str(uuid.uuid4()) if parameter["schema"].get("format") == "uuid" else "1"
                example = example.replace("{" + parameter["name"] + "}", value)
        name = resolve(example).view_name
        for method, operation in methods.items():
            operations[(name, method)] = operation
    return operations


def _resolved(node: dict) -> dict:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def json_body(operation: dict) -> dict | None:
    """The JSON schema of the operation's request body, or None when it takes none."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _resolved(content["schema"]) if content else None


def numeric_kind(field_schema: dict) -> str | None:
    """'integer' or 'decimal' for a number, however the schema writes it; None otherwise."""
    field_schema = _resolved(field_schema)
    if field_schema.get("type") == "integer":
        return "integer"
    if field_schema.get("type") == "number" or field_schema.get("format") == "decimal":
        return "decimal"
    return None
