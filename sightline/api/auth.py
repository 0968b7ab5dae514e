"""API authentication: a bearer token, or the browser session with its CSRF token."""

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from sightline.accounts.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The logged-in session; ninja enforces CSRF on unsafe methods for cookie auth."""

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


AUTH = [BearerToken(), BrowserSession()]
