"""The small error vocabulary every interface maps once (API handler, page helpers)."""

from django.core.exceptions import PermissionDenied  # noqa: F401  (re-exported for services)


class ApplicationError(Exception):
    """A business rule refused the action. `message` is translated and shown to the user."""

    def __init__(self, message, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidTransition(ApplicationError):
    """A step the workflow refuses: not in its table, or a guard says not now."""


class StepNotAllowed(InvalidTransition, PermissionDenied):
    """The actor may not take this step: one refusal type for services (InvalidTransition),
    still a 403 for pages and the API (PermissionDenied)."""


class ImportFileError(ApplicationError):
    """The uploaded file cannot be read as a roster at all (wrong type, empty, too big …)."""
