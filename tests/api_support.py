"""Helpers for the API tests: clients authenticated with a bearer token or a browser session."""

import json

from django.test import Client

from sightline.accounts.services import token_create


class ApiClient:
    """A test client speaking JSON to /api/v1/ with a bearer token (or none)."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, data=None, **extra):
        body = data if isinstance(data, str | bytes) else json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(
            "/api/v1" + path, body, content_type="application/json", headers=self.headers, **extra
        )

    def get(self, path: str, params=None):
        return self.client.get("/api/v1" + path, params or {}, headers=self.headers)

    def post(self, path: str, data=None, **extra):
        return self._send("post", path, data, **extra)

    def patch(self, path: str, data=None, **extra):
        return self._send("patch", path, data, **extra)


def api_for(membership_or_user) -> ApiClient:
    """A client with a fresh API token of the member (or user)."""
    user = getattr(membership_or_user, "user", membership_or_user)
    return ApiClient(token_create(user=user))


def fields(response) -> list[str]:
    """The fields named by an error response."""
    return [e["field"] for e in response.json()["errors"]]
