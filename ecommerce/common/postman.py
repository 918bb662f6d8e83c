"""Build the Postman collection from the OpenAPI schema, so the two never disagree.

    python -m ecommerce.common.postman > docs/postman_collection.json

A test regenerates it and fails when the committed file is out of date.
"""

import json
import os
import sys

POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
# After "Log in", the tokens are kept in collection variables for every later request.
LOGIN_SCRIPT = [
    "const body = pm.response.json();",
    "if (pm.response.code === 200) {",
    "  pm.collectionVariables.set('accessToken', body.access);",
    "  pm.collectionVariables.set('refreshToken', body.refresh);",
    "}",
]


def _example(schema: dict, components: dict, depth: int = 0):
    """A plausible request body from a JSON schema (its example, default, or a placeholder)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if "oneOf" in schema or "allOf" in schema:
        return _example((schema.get("oneOf") or schema.get("allOf"))[0], components, depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {
            name: _example(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if not prop.get("readOnly")
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "decimal" or schema.get("pattern", "").startswith("^-?\\d"):
        return "100.00"
    return {"email": "customer@example.et", "uuid": "{{orderId}}", "date-time": "2026-01-01T00:00:00Z"}.get(
        schema.get("format"), "string"
    )


def _request(path: str, method: str, operation: dict, components: dict) -> dict:
    raw_path = path.replace("{", ":").replace("}", "")
    segments = [s for s in raw_path.split("/") if s]
    query = [
        {"key": p["name"], "value": "", "disabled": True, "description": p.get("description", "")}
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    ]
    variables = [{"key": p["name"], "value": ""} for p in operation.get("parameters", []) if p["in"] == "path"]
    request = {
        "method": method.upper(),
        "header": [{"key": "Accept", "value": "application/json"}],
        "url": {
            "raw": "{{baseUrl}}" + raw_path,
            "host": ["{{baseUrl}}"],
            "path": segments,
            "query": query,
            "variable": variables,
        },
        "description": operation.get("description") or operation.get("summary", ""),
    }
    if not operation.get("security") or {} in operation.get("security", []):
        request["auth"] = {"type": "noauth"}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        # The operation's own first example when it has one (cart/add: one id, never both).
        examples = [example["value"] for example in body.get("examples", {}).values()]
        request["body"] = {
            "mode": "raw",
            "raw": json.dumps(examples[0] if examples else _example(body["schema"], components), indent=2),
            "options": {"raw": {"language": "json"}},
        }
    form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if form:  # an upload: Postman picks the file, and sets the multipart Content-Type itself
        reference = form["schema"]["$ref"].rsplit("/", 1)[-1]
        fields = components[reference].get("properties", {})
        request["body"] = {
            "mode": "formdata",
            "formdata": [
                {"key": name, "type": "file", "src": []}
                if field.get("format") == "binary"
                else {"key": name, "type": "text", "value": ""}
                for name, field in fields.items()
            ],
        }
    return request


def collection_from_schema(schema: dict) -> dict:
    components = schema.get("components", {}).get("schemas", {})
    folders: dict[str, list] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            item = {"name": f"{method.upper()} {path}", "request": _request(path, method, operation, components)}
            if path == "/api/auth/login/":
                item["event"] = [{"listen": "test", "script": {"type": "text/javascript", "exec": LOGIN_SCRIPT}}]
            folders.setdefault(tag, []).append(item)
    return {
        "info": {
            "name": schema["info"]["title"],
            "description": schema["info"].get("description", ""),
            "version": schema["info"]["version"],
            "schema": POSTMAN_SCHEMA,
        },
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{accessToken}}", "type": "string"}]},
        "variable": [
            {"key": "baseUrl", "value": "http://127.0.0.1:8000"},
            {"key": "accessToken", "value": ""},
            {"key": "refreshToken", "value": ""},
            {"key": "orderId", "value": ""},
        ],
        "item": [{"name": tag, "item": items} for tag, items in sorted(folders.items())],
    }


def build() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return collection_from_schema(SchemaGenerator().get_schema(request=None, public=True))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecommerce.settings.local")
    import django

    django.setup()
    json.dump(build(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
