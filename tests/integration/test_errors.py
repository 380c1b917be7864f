"""Errors: RFC 9457 problem documents for the API, friendly pages for people, never a trace."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient

from ckhub.runtime import Runtime


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text


def test_unknown_api_path_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["status"] == 404 and body["type"].startswith("urn:ckhub:problem:")
    assert body["instance"] == "/api/v1/nothing-here"


def test_invalid_api_input_names_the_fields(client: TestClient, runtime: Runtime) -> None:
    response = client.post("/api/v1/tokens", json={}, headers={"Authorization": "Bearer x"})
    assert response.status_code == 401  # auth is checked before the body is trusted


def test_unexpected_errors_show_an_incident_not_a_trace(runtime: Runtime) -> None:
    from ckhub.app import create_app

    app = create_app(runtime=runtime)
    boom = APIRouter()

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.include_router(boom)
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/boom")
    assert page.status_code == 500
    assert "hunter2" not in page.text and "Traceback" not in page.text
    assert "incident" in page.text
    api = client.get("/boom", headers={"Accept": "application/json"})
    assert api.json()["code"] == "internal-error"
    assert "hunter2" not in api.text


def test_security_headers_on_every_page(client: TestClient) -> None:
    response = client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "HttpOnly" in response.headers["set-cookie"]


def test_health_check_reports_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in spec["paths"] and "/api/v1/jobs/{job_id}" in spec["paths"]
    assert not any(path.startswith("/admin") for path in spec["paths"])
    docs = client.get("/api/v1/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "http" not in docs.split("<body>")[1].replace("data-openapi-url", "")
