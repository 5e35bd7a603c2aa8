"""A conversation as Markdown or HTML (charts as PNG), for `chat export` and the window (no Qt).

Every string from a conversation or a mode is untrusted: in HTML it is escaped (it can never
become markup, and the page's Content-Security-Policy loads nothing but its own data: images);
in Markdown every character that could start markup (emphasis, links, images, raw HTML,
headings, lists, tables) is backslash-escaped, so it reads back as the same plain text.
PDF is the HTML printed by Qt (ui/common/pdf.py). HTML and PDF show the mode's mark (drawn
SVG, logo or generated mark, embedded as a data: URI) beside the company name; Markdown
references nothing outside itself, so it carries no mark.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.models import Chart, Metric

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
TABLE_ROWS = 50  # a chart's data table shows this many rows, then says how many more
ROLE_NAMES = {"user": "You", "assistant": "Assistant"}
STATUS_NOTES = {"stopped": "stopped by the user", "incomplete": "cut off",
                "error": "the reply failed"}
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d{1,9}(?=[.)](?:\s|$)))")
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


class ExportError(PrestoError):
    """The conversation could not be exported (unknown format, nothing to export)."""


@dataclass(frozen=True)
class Transcript:
    """What an export shows: the conversation, its title and its mode's name and colours."""

    title: str
    company: str
    industry: str
    roles: Mapping[str, str]  # the mode's light palette roles (#rrggbb)
    messages: Sequence[ChatMessage]
    exported_at: float
    # The mode's mark as the header shows it (media type, bytes); HTML and PDF only.
    mark: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class Figure:
    """A chart or KPI update a message's tool call carried (validated), or why not."""

    chart: Chart | None = None
    metrics: tuple[Metric, ...] = ()
    problem: str = ""


def format_of(path: Path, given: str | None = None) -> str:
    """The export format: `given`, else from OUT's suffix (md, html or pdf)."""
    if given:
        if given not in ("md", "html", "pdf"):
            raise ExportError(f"unknown format {given!r}: use md, html or pdf")
        return given
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise ExportError(f"cannot tell the format of {path.name!r}: give --format md|html|pdf")
    return found


def figures(message: ChatMessage) -> Iterator[Figure]:
    """The charts and KPI updates of a message's tool calls; a bad one says so."""
    for call in message.tool_calls:
        try:
            if call.name == "show_chart":
                yield Figure(chart=Chart.model_validate(call.arguments))
            elif call.name == "show_metrics":
                raw = call.arguments.get("metrics", [])
                yield Figure(metrics=tuple(Metric.model_validate(m) for m in raw[:16]))
        except (ValidationError, AttributeError, TypeError):
            yield Figure(problem="(a chart that could not be read)")


def when(stamp: float) -> str:
    """A message's time, in local time."""
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp > 0 else ""


def value_text(value: float, unit: str = "") -> str:
    """A number with its unit: 1,250 $ or 3.5 %."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    return f"{text} {unit}".strip()


# -- Markdown ---------------------------------------------------------------------------------
def md_escape(text: str) -> str:
    """Untrusted text as Markdown that renders as exactly that text (lines kept)."""
    lines = [_md_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = []
    for index, line in enumerate(lines):
        follows = index + 1 < len(lines) and lines[index + 1].strip()
        out.append(line + ("\\" if line.strip() and follows else ""))  # a hard line break
    return "\n".join(out)


def _md_line(line: str) -> str:
    if not line.strip():
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", line)
    # A list, heading underline or quote marker at the start of a line.
    match = _MD_LINE_START.match(escaped)
    if match is None:
        return escaped
    head, marker = match.group(1), match.group(2)
    if marker.isdigit():
        after = escaped[match.end()]
        return f"{head}{marker}\\{after}{escaped[match.end() + 1:]}"
    return f"{head}\\{marker}{escaped[match.end():]}"


def _md_cell(text: str) -> str:
    return md_escape(" ".join(text.split())).replace("\\\n", " ") or " "


def _md_table(header: tuple[str, str], rows: list[tuple[str, str]]) -> list[str]:
    lines = [f"| {_md_cell(header[0])} | {_md_cell(header[1])} |", "| --- | ---: |"]
    lines += [f"| {_md_cell(a)} | {_md_cell(b)} |" for a, b in rows[:TABLE_ROWS]]
    if len(rows) > TABLE_ROWS:
        lines.append(f"| … and {len(rows) - TABLE_ROWS} more | |")
    return lines


def _chart_rows(chart: Chart) -> list[tuple[str, str]]:
    return [(p.label, value_text(p.value, chart.unit)) for p in chart.points]


def to_markdown(doc: Transcript) -> str:
    """The conversation as Markdown: a heading per turn, charts and KPIs as tables."""
    lines = [f"# {md_escape(doc.title)}", "",
             f"{md_escape(doc.company)} · {md_escape(doc.industry)} · exported "
             f"{when(doc.exported_at)}", ""]
    for message in doc.messages:
        role = ROLE_NAMES.get(message.role, message.role)
        note = STATUS_NOTES.get(message.status, "")
        lines += ["---", "", f"**{role}** · {when(message.at)}" + (f" · *{note}*" if note else ""),
                  "", md_escape(message.content), ""]
        for figure in figures(message):
            if figure.chart is not None:
                lines += [f"*Chart ({figure.chart.type}): {md_escape(figure.chart.title)}*", "",
                          *_md_table(("Label", "Value"), _chart_rows(figure.chart)), ""]
            elif figure.metrics:
                rows = [(m.label, value_text(m.value, m.unit)) for m in figure.metrics]
                lines += ["*Key figures*", "", *_md_table(("Metric", "Value"), rows), ""]
            elif figure.problem:
                lines += [f"*{md_escape(figure.problem)}*", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- HTML -------------------------------------------------------------------------------------
def esc(text: str) -> str:
    """Untrusted text for HTML: always text, never markup (quotes too, for attributes)."""
    return html.escape(text, quote=True)


def data_uri(_index: int, png: bytes) -> str:
    """A PNG as a data: URI (HTML files carry their charts)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def mark_uri(media_type: str, data: bytes) -> str:
    """The mode's mark as a data: URI (the page's CSP allows only its own images)."""
    return f"data:{media_type};base64," + base64.b64encode(data).decode("ascii")


def _html_mark(doc: Transcript, mark_src: Callable[[str, bytes], str]) -> str:
    """The header's line with the mode's mark beside the company name."""
    company = f'<span class="company">{esc(doc.company)}</span>'
    if doc.mark is None:
        return f'<p class="brand">{company}</p>'
    media_type, data = doc.mark
    if media_type not in ("image/png", "image/jpeg", "image/svg+xml"):
        return f'<p class="brand">{company}</p>'
    if media_type == "image/svg+xml":
        from presto_desktop.core.logo_svg import LogoError, sanitise_svg

        try:
            data = sanitise_svg(data, "mark")  # a stored logo was checked; checked again here
        except LogoError:
            return f'<p class="brand">{company}</p>'
    return (f'<p class="brand"><img class="emblem" src="{esc(mark_src(media_type, data))}" '
            f'alt="" width="40" height="40"> {company}</p>')


def stylesheet(roles: Mapping[str, str]) -> str:
    """The export's CSS (resources/qss/export_html.css) in the mode's colours."""
    from presto_desktop.core.paths import resource_path

    template = resource_path("qss", "export_html.css").read_text(encoding="utf-8")
    template = re.sub(r"/\*.*?\*/\s*", "", template, flags=re.DOTALL)  # notes for us, not the reader
    return _PLACEHOLDER.sub(lambda m: roles.get(m.group(1), m.group(0)), template)


def _html_table(header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in rows[:TABLE_ROWS])
    if len(rows) > TABLE_ROWS:
        body += f"<tr><td colspan=\"2\">… and {len(rows) - TABLE_ROWS} more</td></tr>"
    return (f"<table><tr><th>{esc(header[0])}</th><th>{esc(header[1])}</th></tr>"
            f"{body}</table>")


def _html_figure(figure: Figure, index: int, doc: Transcript,
                 image_src: Callable[[int, bytes], str], width: int) -> str:
    # Plain divs and tables: Qt's rich text (the PDF) knows no <figure> or <section>.
    if figure.chart is not None:
        from presto_desktop.core.chart_png import SIZE, render_chart_png

        chart = figure.chart
        png = render_chart_png(chart, doc.roles)
        caption = esc(f"Chart ({chart.type}): {chart.title}")
        return (f'<div class="figure"><img src="{esc(image_src(index, png))}" alt="{caption}" '
                f'width="{width}" height="{width * SIZE[1] // SIZE[0]}"><div class="caption">{caption}</div>'
                f"{_html_table(('Label', 'Value'), _chart_rows(chart))}</div>")
    if figure.metrics:
        rows = [(m.label, value_text(m.value, m.unit)) for m in figure.metrics]
        return (f'<div class="figure"><div class="caption">Key figures</div>'
                f"{_html_table(('Metric', 'Value'), rows)}</div>")
    return f'<p class="status">{esc(figure.problem)}</p>'


def to_html(doc: Transcript, *, image_src: Callable[[int, bytes], str] = data_uri,
            image_width: int = 640, mark_src: Callable[[str, bytes], str] = mark_uri) -> str:
    """The conversation as one HTML page; `image_src(n, png)` names the n-th chart's image,
    `mark_src(media_type, data)` the mode's mark."""
    parts: list[str] = []
    count = 0
    for message in doc.messages:
        role = message.role if message.role in ROLE_NAMES else "assistant"
        note = STATUS_NOTES.get(message.status, "")
        parts.append(f'<div class="message {role}">'
                     f'<div><span class="who">{esc(ROLE_NAMES[role])}</span> '
                     f'<span class="when">{esc(when(message.at))}</span>'
                     + (f' <span class="status">({esc(note)})</span>' if note else "")
                     + f'</div><div class="text">{esc(message.content)}</div>')
        for figure in figures(message):
            count += 1
            parts.append(_html_figure(figure, count, doc, image_src, image_width))
        parts.append("</div>")
    meta = f"{doc.company} · {doc.industry} · exported {when(doc.exported_at)}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(doc.title)}</title><style>{stylesheet(doc.roles)}</style></head>"
            f'<body><div class="header">{_html_mark(doc, mark_src)}<h1>{esc(doc.title)}</h1>'
            f'<p class="meta">{esc(meta)}</p>'
            f"</div>{''.join(parts)}</body></html>\n")


def transcript_of(messages: Sequence[ChatMessage], *, title: str, mode: Any,
                  exported_at: float, mark: tuple[str, bytes] | None = None) -> Transcript:
    """A Transcript of `messages` in `mode` (a core.models.Mode); `mark` is the generated mark
    the window shows, else the mode's logo, embedded mark or drawn emblem is used."""
    from presto_desktop.core.brand_mark import compact, shown_mark

    roles = mode.palette.light.model_dump()
    return Transcript(title=title or "Conversation", company=mode.company_name,
                      industry=mode.industry, roles=roles, messages=list(messages),
                      exported_at=exported_at, mark=compact(mark) or shown_mark(mode, roles))


__all__ = ["FORMATS", "ExportError", "Transcript", "data_uri", "esc", "format_of", "mark_uri",
           "md_escape", "to_html", "to_markdown", "transcript_of"]
