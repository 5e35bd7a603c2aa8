"""Hostile Markdown: no file is read, no link auto-opens, big or nested input falls back to text."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument

from presto_desktop.ui.chat import markdown
from presto_desktop.ui.chat.markdown import (
    MARKDOWN_FLAGS,
    SafeTextDocument,
    is_openable_link,
    markdown_allowed,
    open_link,
)


@pytest.fixture
def secret(tmp_path):
    """A regular file whose access time would move if anything read it."""
    path = tmp_path / "secret.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    # atime older than mtime, so even relatime mounts would update it on a read.
    os.utime(path, (1_000_000, 2_000_000))
    return path


@pytest.fixture
def fifo(tmp_path):
    """A FIFO: opening it for reading would block the test forever (pytest-timeout catches it)."""
    path = tmp_path / "trap.png"
    os.mkfifo(path)
    return path


def _lay_out(doc: QTextDocument) -> None:
    doc.setTextWidth(400)
    doc.size()
    doc.documentLayout().documentSize()


def _has_image(doc: QTextDocument) -> bool:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                return True
            it += 1
        block = block.next()
    return False


def _hostile(url: str) -> list[str]:
    return [
        f"![x]({url})",
        f'<img src="{url}">',
        f"[a]({url})",
        f"text ![inline]({url}) more\n\n| a |\n|---|\n| ![c]({url}) |",
        f"[![nested]({url})](https://example.com)",
        "[b](javascript:alert(1)) ![d](data:image/png;base64,AAAA) ![e](qrc:/x.png)",
    ]


def test_no_local_file_is_read(qapp, secret, fifo):
    before = os.stat(secret).st_atime_ns
    for path in (secret, fifo):
        url = QUrl.fromLocalFile(str(path)).toString()
        for text in _hostile(url):
            doc = SafeTextDocument()
            assert doc.set_safe_markdown(text)
            _lay_out(doc)
            assert not _has_image(doc)
    assert os.stat(secret).st_atime_ns == before


def test_load_resource_returns_placeholder_even_without_tidying(qapp, secret, fifo):
    """The loadResource override alone is the guarantee: raw setMarkdown, then layout."""
    before = os.stat(secret).st_atime_ns
    for path in (secret, fifo):
        url = QUrl.fromLocalFile(str(path))
        doc = SafeTextDocument()
        doc.setMarkdown(f"![x]({url.toString()}) and ![y]({url.toString()})", MARKDOWN_FLAGS)
        _lay_out(doc)
        assert doc.resource_requests >= 1  # Qt asked, and got the placeholder, for every image
        image = doc.resource(QTextDocument.ResourceType.ImageResource, url)
        assert image.width() == 1 and image.height() == 1
    assert os.stat(secret).st_atime_ns == before


def test_fifo_never_opened_by_html_image(qapp, fifo):
    """setHtml is never used by us, but even then the document asks loadResource, not the disk."""
    doc = SafeTextDocument()
    doc.setHtml(f'<img src="{QUrl.fromLocalFile(str(fifo)).toString()}">')
    _lay_out(doc)
    assert doc.resource_requests >= 1


def test_images_show_as_text_and_bad_links_are_not_links(qapp):
    doc = SafeTextDocument()
    doc.set_safe_markdown(
        "![x](file:///etc/passwd) [a](file:///etc/passwd) [b](javascript:alert(1)) "
        "[ok](https://example.com/p)"
    )
    assert markdown.IMAGE_TEXT in doc.toPlainText()
    anchors = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                anchors.append(fmt.anchorHref())
                assert not fmt.hasProperty(fmt.Property.ForegroundBrush)
            it += 1
        block = block.next()
    assert anchors == ["https://example.com/p"]


def test_html_stays_literal(qapp):
    doc = SafeTextDocument()
    doc.set_safe_markdown('<img src="file:///etc/passwd"> <b>bold</b>')
    assert '<img src="file:///etc/passwd">' in doc.toPlainText()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com", True),
        ("http://example.com/a?b=c", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("qrc:/x.png", False),
        ("ftp://example.com", False),
        ("mailto:a@b.c", False),
        ("/etc/passwd", False),
        ("https://", False),
        ("", False),
    ],
)
def test_link_policy(url, ok):
    assert is_openable_link(url) is ok


def test_open_link_only_opens_allowed(qapp, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert not open_link("file:///etc/passwd")
    assert not open_link("javascript:alert(1)")
    assert open_link("https://example.com")
    assert [u.toString() for u in opened] == ["https://example.com"]


def test_deeply_nested_falls_back_to_plain(qapp):
    quotes = "\n".join(("> " * k) + "| a | b |\n" + ("> " * k) + "|---|---|" for k in range(1, 31))
    lists = "\n".join("  " * k + "- | a | b |" for k in range(30))
    for text in (quotes, lists):
        assert not markdown_allowed(text)
        doc = SafeTextDocument()
        assert not doc.set_safe_markdown(text)
        _lay_out(doc)
        assert doc.rootFrame().childFrames() == []


def test_big_table_falls_back_to_plain(qapp):
    text = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 5000
    doc = SafeTextDocument()
    assert not doc.set_safe_markdown(text)
    _lay_out(doc)
    assert doc.rootFrame().childFrames() == []
    small = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 50
    assert markdown_allowed(small)


def test_one_megabyte_line_is_clipped_and_breakable(qapp):
    text = "x" * 1_000_000
    doc = SafeTextDocument()
    assert not doc.set_safe_markdown(text)
    _lay_out(doc)
    shown = doc.toPlainText()
    assert len(shown) < markdown.DISPLAY_LIMIT * 1.1
    assert "more characters not shown" in shown
    assert "\u200b" in shown  # long runs are broken so word wrap stays linear
