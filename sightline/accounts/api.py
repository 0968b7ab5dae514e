"""API: exchange an email and password for a bearer token."""

from django.conf import settings
from django.contrib.auth import authenticate
from ninja import Router, Schema, Status

from sightline.accounts import services
from sightline.api.errors import ErrorOut
from sightline.api.schemas import Email, Input, text

router = Router(tags=["auth"])


class TokenIn(Input):
    email: Email
    password: text(min_length=1, max_length=4096)
    name: text(min_length=1, max_length=100) = "API token"


class TokenOut(Schema):
    token: str


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="token_create",
    summary="Create an API token",
)
def token_create(request, payload: TokenIn):
    """Create a bearer token. Send it as `Authorization: Bearer <token>`; it is shown only once.

    Failed attempts are throttled per email like the login page (429)."""
    email = payload.email.strip().lower()
    if services.login_throttled(email):
        minutes = max(settings.LOGIN_FAILURE_WINDOW_SECONDS // 60, 1)
        message = f"Too many failed attempts for this account. Wait {minutes} minutes and try again."
        return Status(429, {"detail": message})
    user = authenticate(request, username=email, password=payload.password)
    if user is None:
        services.login_failed(email)
        return Status(401, {"detail": "Email or password is wrong."})
    services.login_succeeded(email)
    return Status(201, {"token": services.token_create(user=user, name=payload.name)})
