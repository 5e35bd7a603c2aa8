"""`chat export`: Markdown and HTML without Qt, PDF with Qt; hostile text stays plain text."""

from __future__ import annotations

import base64
import html.parser
import json
import subprocess
import sys
import time
from pathlib import Path

from presto_desktop.cli import main
from presto_desktop.cli_export import split_export
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversation_export import md_escape
from presto_desktop.core.conversation_history import ConversationHistory
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths

HOSTILE = ('<img src=file:///etc/passwd> **bold** ![x](file:///etc/passwd) <script>alert(1)'
           '</script> [link](javascript:alert(1)) &amp; `code` | a | b |\n# heading\n- item\n'
           '1. one\n> quote\n---\n<a href="https://evil.example">x</a>')
CHART = {"type": "bar", "title": "Spend <b>by</b> month <img src=file:///etc/passwd>",
         "unit": "$", "points": [{"label": "Jan <img src=x onerror=alert(1)>", "value": 120.5},
                                 {"label": "Feb ![y](file:///etc/hosts)", "value": 80}]}


def seed(data_dir: Path) -> ConversationHistory:
    """banking: a past conversation with a chart, the current one hostile (and its title)."""
    store = ConversationStore(AppPaths.resolve(data_dir))
    history = ConversationHistory(store)
    at = time.time() - 3600
    store.save("banking", [ChatMessage("user", "Show my spending", at=at),
                           ChatMessage("assistant", "Here it is.",
                                       (ToolCall("show_chart", CHART),
                                        ToolCall("show_metrics", {"metrics": [
                                            {"label": "Balance <i>", "value": 1234.5,
                                             "unit": "$"}]})), at=at + 1)])
    history.start_new("banking")
    store.save("banking", [ChatMessage("user", HOSTILE, at=at + 10),
                           ChatMessage("assistant", "Echo: " + HOSTILE, status="stopped",
                                       at=at + 11)])
    current = history.list_conversations("banking")[0]
    history.rename("banking", current.id, '<img src=file:///etc/passwd> "quoted" ![t](x)')
    return history


def export(capsys, data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "chat", "export", "--mode", "banking", *args])
    out, err = capsys.readouterr()
    return code, out, err


class Tags(html.parser.HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_split_export_only_takes_chat_export_with_arguments() -> None:
    assert split_export(["chat", "export", "out.md"]) == ["out.md"]
    assert split_export(["--data-dir", "D", "chat", "export", "--format", "md", "x"]) == [
        "--data-dir", "D", "--format", "md", "x"]
    assert split_export(["chat", "export"]) is None  # asks the assistant "export"
    assert split_export(["chat", "--", "export"]) is None
    assert split_export(["chat", "export me a report"]) is None
    assert split_export(["modes", "export", "banking", "x"]) is None


def test_html_export_escapes_everything_and_embeds_charts_as_png(capsys, data_dir, tmp_path):
    seed(data_dir)
    out = tmp_path / "current.html"
    assert export(capsys, data_dir, "--format", "html", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert names <= {"html", "head", "meta", "title", "style", "body", "div", "h1", "p", "span",
                     "img", "table", "tr", "th", "td"}, names
    assert "script" not in names and "a" not in names
    # The hostile one has no chart (the header's emblem is the page's only image).
    assert [a.get("class") for t, a in parsed.tags if t == "img"] == ["emblem"]
    text = "".join(parsed.text)
    assert "<img src=file:///etc/passwd> **bold** ![x](file:///etc/passwd)" in text
    assert '<a href="https://evil.example">x</a>' in text
    assert "Content-Security-Policy" in page and "img-src data:" in page

    out2 = tmp_path / "past.html"
    assert export(capsys, data_dir, "--conversation", "2", str(out2))[0] == 0  # by suffix
    parsed = Tags()
    parsed.feed(out2.read_text(encoding="utf-8"))
    (img,) = [attrs for tag, attrs in parsed.tags if tag == "img" and attrs.get("class") != "emblem"]
    src = img["src"] or ""
    assert src.startswith("data:image/png;base64,")
    png = base64.b64decode(src.split(",", 1)[1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert img["alt"] == "Chart (bar): " + CHART["title"]  # an attribute, quoted, still text
    text = "".join(parsed.text)
    assert "Jan <img src=x onerror=alert(1)>" in text and "Balance <i>" in text


def test_markdown_export_escapes_markup(capsys, data_dir, tmp_path):
    history = seed(data_dir)
    out = tmp_path / "current.md"
    code, printed, _ = export(capsys, data_dir, str(out))
    assert code == 0 and printed.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert "<img" not in text.replace("\\<img", "")  # every < is escaped
    assert "![" not in text.replace("!\\[", "")  # no image syntax left
    assert "](" not in text.replace("\\](", "")  # no link syntax left
    assert "\n# heading" not in text and "\n- item" not in text and "\n1. one" not in text
    past = history.list_conversations("banking")[1].id
    out2 = tmp_path / "past.md"
    assert export(capsys, data_dir, "--conversation", past, str(out2))[0] == 0
    table = out2.read_text(encoding="utf-8")
    assert "| Jan \\<img src=x onerror=alert(1)\\> | 120.50 $ |" in table
    assert "Feb !\\[y\\](file:///etc/hosts)" in table


def test_markdown_escape_round_trips_through_a_commonmark_renderer(qapp):
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setMarkdown(md_escape(HOSTILE))
    assert doc.toPlainText().split("\n") == HOSTILE.split("\n")
    rendered = doc.toHtml()
    assert "<img" not in rendered and "<a " not in rendered and "<h1" not in rendered
    assert "<li" not in rendered and "font-weight:700" not in rendered  # no list, no bold


def test_bad_requests_are_one_line_errors(capsys, data_dir, tmp_path):
    seed(data_dir)
    (tmp_path / "there.md").write_text("keep me", encoding="utf-8")
    cases = [(["--conversation", "9", str(tmp_path / "a.md")], "has 2"),
             (["--conversation", "nope", str(tmp_path / "a.md")], "no conversation"),
             ([str(tmp_path / "a.txt")], "--format"),
             ([str(tmp_path / "there.md")], "--force")]
    for args, words in cases:
        code, _, err = export(capsys, data_dir, *args)
        assert code == 1 and words in err and err.count("\n") == 1, err
    assert (tmp_path / "there.md").read_text(encoding="utf-8") == "keep me"
    code, _, err = main(["--data-dir", str(data_dir), "chat", "export", "--mode", "insurance",
                         str(tmp_path / "b.md")]), *capsys.readouterr()
    assert code == 1 and "no conversations" in err


def test_markdown_and_html_export_import_no_qt(data_dir, tmp_path):
    seed(data_dir)
    script = (
        "import sys; from presto_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'chat', 'export', '--mode', 'banking', "
        f"'--conversation', '2', {str(tmp_path / 'a.html')!r}]) == 0\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'chat', 'export', '--mode', 'banking', "
        f"{str(tmp_path / 'a.md')!r}]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.html").exists() and (tmp_path / "a.md").exists()


def test_pdf_export_prints_with_qt_and_loads_no_file(qapp, capsys, data_dir, tmp_path):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPdf import QPdfDocument

    from presto_desktop.ui.common.pdf import SealedDocument

    seed(data_dir)
    for which in ("1", "2"):
        out = tmp_path / f"c{which}.pdf"
        assert export(capsys, data_dir, "--conversation", which, "--format", "pdf", str(out))[0] == 0
        assert out.read_bytes().startswith(b"%PDF")
        pdf = QPdfDocument()
        pdf.load(str(out))
        assert pdf.pageCount() >= 1
        page = pdf.getAllText(0).text()
        assert "Show my spending" in page or "<img src=file:///etc/passwd>" in page
    sealed = SealedDocument({"chart-1.png": b"not used"})
    kind = QTextDocument.ResourceType.ImageResource.value
    assert sealed.loadResource(kind, QUrl("file:///etc/passwd")) is None
    assert sealed.loadResource(kind, QUrl("https://example.com/x.png")) is None


def test_conversations_list_numbers_are_what_export_takes(capsys, data_dir, tmp_path):
    """`conversations list` prints per mode the N of `chat export --conversation N`."""
    seed(data_dir)
    store = ConversationStore(AppPaths.resolve(data_dir))
    store.save("insurance", [ChatMessage("user", "Is hail covered?", at=time.time())])
    assert main(["--data-dir", str(data_dir), "conversations", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    numbers = [(line.split()[1], line.split()[2]) if line.startswith("*") else
               (line.split()[0], line.split()[1]) for line in lines]
    assert numbers == [("banking", "1"), ("banking", "2"), ("insurance", "1")]
    assert lines[0].startswith("* banking") and lines[1].endswith("Show my spending")
    assert main(["--data-dir", str(data_dir), "conversations", "list", "--mode", "banking",
                 "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["number"], row["current"]) for row in listed] == [(1, True), (2, False)]
    for row in listed:
        out = tmp_path / f"n{row['number']}.md"
        code, _out, err = export(capsys, data_dir, "--conversation", str(row["number"]), str(out))
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert ("Show my spending" in text) is (row["number"] == 2)
        by_id = tmp_path / f"id{row['number']}.md"
        assert export(capsys, data_dir, "--conversation", row["id"], str(by_id))[0] == 0
        # the same conversation either way (line 3 says when it was exported)
        assert by_id.read_text(encoding="utf-8").splitlines()[3:] == text.splitlines()[3:]
