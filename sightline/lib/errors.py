"""Errors raised by services. Views turn them into messages; the API into its JSON error format."""


class DomainError(Exception):
    """A business rule refused the request (HTTP 400)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> list[dict[str, str]]:
        return [{"field": self.field, "message": self.message}] if self.field else []


class IllegalTransition(DomainError):
    """The item cannot move to the requested state from its current one (HTTP 400)."""

    def __init__(self, message: str, *, allowed: list[str]):
        super().__init__(message, field="to")
        self.allowed = allowed


class InvalidInput(DomainError):
    """A value is well-formed but not acceptable (HTTP 422), e.g. a reason that is too short."""

    status = 422


class StaleVersion(DomainError):
    """Somebody else changed the object since it was read (HTTP 409)."""

    status = 409

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message, field="version")
        self.current_version = current_version
