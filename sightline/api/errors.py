"""The API's error format: {"detail": "...", "errors": [{"field": "...", "message": "..."}]}."""

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

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


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
"""Error responses every authenticated route may return; routes spread it into their ``response``."""


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, detail: str, errors=None, **extra):
        return api.create_response(request, {"detail": detail, "errors": errors or [], **extra}, status=status)

    @api.exception_handler(ValidationError)
    def validation(request, exc: ValidationError):
        errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "Invalid value")}
                  for e in exc.errors]
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
    def unauthenticated(request, exc):
        return respond(request, 401, "Authentication required: send 'Authorization: Bearer <token>' or log in.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or "Your role may not do this.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, str(exc) or "Not found.")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return respond(request, exc.status_code, str(exc))
