"""The API's error format: {"detail": "...", "errors": [{"field": "...", "message": "..."}]}."""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from sightline.lib.errors import DomainError, IllegalTransition, StaleVersion


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class TransitionErrorOut(ErrorOut):
    allowed: list[str] = []


class ConflictOut(ErrorOut):
    current_version: int | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}
"""Error responses every authenticated route may return; routes spread it into their ``response``."""


class MalformedBody(ValueError):
    """The request body is not JSON (or not UTF-8)."""


class JSONParser(Parser):
    """Ninja's parser, with a malformed body reported as a field error (422) rather than a bare 400."""

    def parse_body(self, request):
        try:
            return json.loads(request.body)
        except ValueError as exc:
            raise MalformedBody(f"The request body is not valid JSON ({exc}).") from exc


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "body"


def _message(error: dict) -> str:
    return str(error.get("msg") or "Invalid value").removeprefix("Value error, ")


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, detail: str, errors=None, **extra):
        return api.create_response(
            request, {"detail": detail, "errors": errors or [], **extra}, status=status
        )

    @api.exception_handler(ValidationError)
    def validation(request, exc: ValidationError):
        errors = [{"field": _field_name(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return respond(request, 422, f"Invalid input — {summary}", errors)

    @api.exception_handler(DjangoValidationError)
    def django_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [{"field": f, "message": m} for f, msgs in exc.message_dict.items() for m in msgs]
        else:
            errors = [{"field": "body", "message": m} for m in exc.messages]
        return respond(request, 422, "Invalid input — " + "; ".join(e["message"] for e in errors), errors)

    @api.exception_handler(IllegalTransition)
    def illegal(request, exc: IllegalTransition):
        return respond(request, 400, exc.message, exc.errors, allowed=exc.allowed)

    @api.exception_handler(StaleVersion)
    def stale(request, exc: StaleVersion):
        return respond(request, 409, exc.message, exc.errors, current_version=exc.current_version)

    @api.exception_handler(DomainError)
    def domain(request, exc: DomainError):
        return respond(request, exc.status, exc.message, exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = (
            exc.message
            if exc.message != "Unauthorized"
            else ("Authentication required: send 'Authorization: Bearer <token>' or log in.")
        )
        return respond(request, 401, message)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or "Your role may not do this.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, str(exc) or "Not found.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, MalformedBody):
            message = str(exc.__cause__)
            return respond(request, 422, message, [{"field": "body", "message": message}])
        return respond(request, exc.status_code, str(exc))
