"""Errors the app reports to people: each carries a one-line, human message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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


@contextmanager
def one_line_file_errors(origin: str, error: type[PrestoError]) -> Iterator[None]:
    """Whatever a parser raises inside (deep nesting, a huge number, the unforeseen) becomes
    one `error` line naming `origin`: a bad file, never an exception of another type."""
    try:
        yield
    except error:
        raise
    except RecursionError:
        raise error(f"{origin}: JSON is nested too deeply") from None
    except MemoryError:
        raise error(f"{origin}: too large to read") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file, not a crash
        detail = " ".join(str(exc).split())[:120]
        raise error(f"{origin}: unreadable ({type(exc).__name__}: {detail})") from None
