"""Logging set-up: a rotating file in the log folder, with API keys masked everywhere."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler

from presto_desktop.core.paths import AppPaths

LOG_FILE = "presto-desktop.log"
MASK = "[redacted]"
# sk-..., sk-proj-..., Bearer tokens, api-key / x-api-key / api_key=... values, Azure-style
# 32-hex keys after "key". Generous on purpose: a masked non-key costs nothing.
_PATTERNS = (
    re.compile(r"()\bsk-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=\-]{8,}"),
    re.compile(r"(?i)(\b(?:x-)?api[-_]?key[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&]{6,}"),
    re.compile(r"(?i)(\bkey[\"']?\s*[:=]\s*[\"']?)[A-Fa-f0-9]{32}\b"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with anything that looks like an API key (and each of `secrets`) masked."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks API keys in every record's final message (arguments included)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = {s for s in secrets if s}

    def add_secret(self, secret: str) -> None:
        """Also mask this exact value (e.g. the configured key)."""
        if secret:
            self._secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the record
            message = str(record.msg)
        clean = redact(message, self._secrets)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        record.exc_info = None if record.exc_text else record.exc_info
        record.msg, record.args = clean, None
        return True


class QuietRotatingFileHandler(RotatingFileHandler):
    """A rotating log file that, when writing fails (disk full, file gone), says so once.

    The standard handler prints "--- Logging error ---" and a traceback for every record,
    which floods the terminal exactly when the disk is full.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.failures = 0

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """Report the first failure as one line on stderr; count and drop the rest."""
        self.failures += 1
        if self.failures > 1 or not logging.raiseExceptions:
            return
        exc = sys.exc_info()[1]
        reason = getattr(exc, "strerror", None) or (type(exc).__name__ if exc else "unknown error")
        try:
            sys.stderr.write(f"presto-desktop: cannot write the log file {self.baseFilename} "
                             f"({reason}); messages that cannot be written are dropped\n")
        except Exception:  # noqa: BLE001 - stderr may be gone too; nothing else to try
            pass


def setup_logging(
    paths: AppPaths, *, level: int = logging.INFO, secrets: Iterable[str] = ()
) -> RedactingFilter:
    """Log to `<log dir>/presto-desktop.log` (rotating); returns the filter to add secrets to."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    redactor = RedactingFilter(secrets)
    handler = QuietRotatingFileHandler(
        paths.log_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # On the handler, so records from every logger (openai, httpx too) pass through it.
    handler.addFilter(redactor)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_presto", False)]:
        root.removeHandler(old)
        old.close()
    handler._presto = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return redactor
