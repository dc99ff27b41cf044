from fastapi.testclient import TestClient

from payment_service.app import app


def test_health_answers_ok():
    client = TestClient(app)
    assert client.get("/healthz").json() == {"status": "ok"}
