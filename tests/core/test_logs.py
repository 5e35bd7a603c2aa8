"""Log redaction: nothing that looks like an API key reaches the log file."""

from __future__ import annotations

import logging

import pytest

from presto_desktop.core.logs import LOG_FILE, MASK, RedactingFilter, redact, setup_logging
from presto_desktop.core.paths import AppPaths


@pytest.mark.parametrize(
    "text",
    [
        "key sk-abcdefghijklmnop1234",
        "sk-proj-AbC_def-1234567890",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def",
        "api_key=zyxwvut98765",
        '{"api-key": "abcdef0123456789"}',
        "x-api-key: qwertyuiop",
        "azure key=0123456789abcdef0123456789abcdef",
    ],
)
def test_key_shapes_are_masked(text: str) -> None:
    clean = redact(text)
    assert MASK in clean
    for secret in ("abcdefghijklmnop", "AbC_def", "eyJhbGci", "zyxwvut", "abcdef0123",
                   "qwertyuiop", "0123456789abcdef0123"):
        assert secret not in clean


def test_configured_secret_is_masked_whatever_its_shape() -> None:
    assert redact("value plainsecret42 here", ["plainsecret42"]) == f"value {MASK} here"
    assert redact("ordinary words stay", ["x"]) == "ordinary words stay"


@pytest.fixture
def log_paths(tmp_path):
    paths = AppPaths.resolve(tmp_path)
    yield paths
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_presto", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)


def test_log_file_never_holds_a_key(log_paths) -> None:
    redactor = setup_logging(log_paths)
    redactor.add_secret("custom-secret-value")
    log = logging.getLogger("presto_desktop.test")
    log.info("calling with key %s", "sk-live-0123456789abcdef")
    log.warning("header %r", {"Authorization": "Bearer tok_0123456789"})
    log.error("custom %s", "custom-secret-value")
    try:
        raise ValueError("boom sk-inexception-0123456789")
    except ValueError:
        log.exception("failed")
    text = (log_paths.log_dir / LOG_FILE).read_text()
    assert "calling with key" in text and "Traceback" in text
    for secret in ("sk-live", "tok_0123456789", "custom-secret-value", "sk-inexception"):
        assert secret not in text


def test_filter_never_drops_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "bad %d format", ("s",), None)
    assert RedactingFilter().filter(record) is True
