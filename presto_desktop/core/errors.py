"""Errors the app reports to people: each carries a one-line, human message."""


class PrestoError(Exception):
    """Base for every error shown to the user as one line."""


class ModeValidationError(PrestoError):
    """A mode file or payload failed validation; `problems` lists every problem found."""

    def __init__(self, message: str, problems: tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = problems or (message,)


class ModeNotFoundError(PrestoError):
    """No mode with that id exists."""


class StoreError(PrestoError):
    """The data directory could not be read or written."""


class ResourceError(PrestoError):
    """A bundled resource is missing or damaged."""


class EngineError(PrestoError):
    """An engine failed; `retryable` says whether Retry makes sense."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class DemoFileError(PrestoError):
    """A demo script or recording that cannot be used; the message names the file and why."""
