import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from conftest import services_required

pytestmark = pytest.mark.django_db


class TestHealth:
    def test_liveness(self, api_client):
        response = api_client.get(reverse("health"))
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_readiness_checks_every_dependency(self, api_client, settings):
        response = api_client.get(reverse("health-ready"))
        assert response.status_code == 200, response.json()
        checks = response.json()["checks"]
        assert checks["database"] == "ok" and checks["cache"] == "ok"
        if not settings.CELERY_BROKER_URL.startswith("memory://"):
            assert checks["broker"] == "ok"
        else:
            assert not services_required(), "CI must check readiness against RabbitMQ"

    def test_readiness_names_the_broker_that_is_down(self, api_client, settings):
        # A real connection attempt to a port where nothing listens.
        settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"
        response = api_client.get(reverse("health-ready"))
        assert response.status_code == 503
        assert response.json()["failing"] == ["broker"]
        assert response.json()["checks"]["database"] == "ok"


class TestApiDocs:
    def test_schema_validates_without_warnings(self, tmp_path):
        out = tmp_path / "schema.yml"
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
        schema = yaml.safe_load(out.read_text())
        assert schema["openapi"].startswith("3.")
        for path in ["/api/auth/login/", "/api/products/", "/api/products/{id}/", "/api/categories/"]:
            assert path in schema["paths"]
        params = {p["name"] for p in schema["paths"]["/api/products/"]["get"]["parameters"]}
        assert {
            "category__id",
            "category__slug",
            "min_price",
            "max_price",
            "in_stock",
            "search",
            "ordering",
            "page",
            "page_size",
        } <= params

    def test_schema_endpoint_is_public(self, api_client):
        response = api_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200

    @pytest.mark.parametrize("name", ["swagger-ui", "redoc"])
    def test_doc_pages_load_assets_from_this_server_only(self, api_client, name):
        response = api_client.get(reverse(name))
        assert response.status_code == 200
        html = response.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, "the page should reference its scripts"
        assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources
        for source in sources:
            if source.startswith("/static/"):
                assert api_client.get(source).status_code == 200, source


def test_the_root_is_a_page_that_links_the_docs_the_admin_and_the_health_check(client, settings):
    response = client.get("/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    links = re.findall(r'href="([^"]+)"', response.content.decode())
    assert {reverse("swagger-ui"), reverse("redoc"), reverse("admin:index"), reverse("health")} <= set(links)
    assert settings.SHOP_NAME in response.content.decode()
    for link in links:
        assert client.get(link).status_code in (200, 302), link  # the admin sends to its login
