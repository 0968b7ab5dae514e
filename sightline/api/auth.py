"""API authentication: a bearer token, or the browser session with its CSRF token.

A request without credentials, with a wrong or revoked token, or with the session of a user who was
deactivated or deleted gets 401. Session requests with unsafe methods must carry the CSRF token
(``X-CSRFToken`` header) like any form of the site; bearer-token requests need none, since a browser
never sends that header on its own.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from sightline.accounts.services import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token.strip()) if token.strip() else None
        if user is None:
            # A token was sent but is not valid: do not fall back to a session.
            raise AuthenticationError(
                message="This API token is not valid (wrong, revoked or its user is inactive)."
            )
        request.user = user
        return user


class BrowserSession(APIKeyCookie):
    """The logged-in session. CSRF is checked only once the session is known to be authenticated, so an
    anonymous unsafe request is answered 401 rather than with a CSRF failure."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF check failed: session requests must send the X-CSRFToken header (or use a token)."
            )
        return user

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ does the work
        return None


AUTH = [BearerToken(), BrowserSession()]
