"""An untrusted SVG logo made safe: refused when it could run or fetch anything, else rewritten.

Refused (one line): a DOCTYPE or entities (billion laughs, external entities), scripts and
event handlers, links to anything but the file's own `#ids`, `data:` URIs, embedded images
and HTML, CSS `@import`. What is left is parsed and written out again by ElementTree, which
drops comments and processing instructions.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from presto_desktop.core.errors import PrestoError

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
MAX_ELEMENTS = 20_000
_SCRIPTED = {"script", "foreignobject", "handler", "listener", "iframe", "embed", "object",
             "audio", "video"}
_FETCHING = {"image", "feimage"}
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.I)
_ANY_URL = re.compile(r"url\(", re.I)
_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|rgb\(\s*(\d{1,3})[\s,]+(\d{1,3})"
                     r"[\s,]+(\d{1,3})\s*\)")

@cache
def _element_tree() -> ModuleType:
    """ElementTree, imported on the first logo (the window's first paint needs none)."""
    import xml.etree.ElementTree as element_tree

    element_tree.register_namespace("", SVG_NS)  # written back as plain <svg>, not <ns0:svg>
    return element_tree


class LogoError(PrestoError):
    """A logo that cannot be used; the message is one line naming why."""


def _local(name: str) -> str:
    """An element or attribute name without its namespace, lower-case."""
    return name.rsplit("}", 1)[-1].lower()


def _check_value(name: str, value: str) -> str | None:
    """Why an attribute may not stay, or None."""
    lowered = value.strip().lower()
    if name.startswith("on"):
        return "a script (an event handler)"
    if "javascript:" in lowered or "vbscript:" in lowered:
        return "a script (a javascript: link)"
    if "data:" in lowered:
        return "a data: URI"
    if name == "href" and not lowered.startswith("#"):
        return "an external reference"
    if _ANY_URL.search(value) and len(_ANY_URL.findall(value)) != len(_LOCAL_URL.findall(value)):
        return "an external reference (url())"
    if "@import" in lowered:
        return "an external reference (@import)"
    return None


def _problem(root: ET.Element) -> str | None:
    """The first reason the tree may not be shown, or None."""
    if _local(root.tag) != "svg":
        return "not an SVG document (the root element is not <svg>)"
    for count, element in enumerate(root.iter()):
        if count > MAX_ELEMENTS:
            return f"too many elements (more than {MAX_ELEMENTS:,})"
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in _SCRIPTED:
            return f"a script or embedded content (<{tag}>)"
        if tag in _FETCHING:
            return f"an embedded or linked image (<{tag}>)"
        if tag == "style" and (problem := _check_value("style", element.text or "")):
            return problem
        for name, value in element.attrib.items():
            if problem := _check_value(_local(name), value):
                return problem
    return None


def sanitise_svg(data: bytes, name: str = "logo") -> bytes:
    """The SVG rewritten without comments or processing instructions; LogoError if unsafe."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogoError(f"{name}: SVG is not UTF-8 text") from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise LogoError(f"{name}: SVG with a DOCTYPE or entities is refused")
    tree = _element_tree()
    try:
        root = tree.fromstring(text)
    except (tree.ParseError, RecursionError) as exc:
        raise LogoError(f"{name}: damaged SVG ({' '.join(str(exc).split())[:80]})") from None
    problem = _problem(root)
    if problem:
        raise LogoError(f"{name}: SVG with {problem} is refused")
    return tree.tostring(root, encoding="utf-8", xml_declaration=False)


def svg_colours(data: bytes) -> Counter[str]:
    """How often each colour ('#rrggbb') is written in a (sanitised) SVG."""
    counts: Counter[str] = Counter()
    for match in _COLOUR.finditer(data.decode("utf-8", "replace")):
        short, r, g, b = match.groups()
        if short is not None:
            hex6 = short if len(short) == 6 else "".join(ch * 2 for ch in short)
            counts[f"#{hex6.lower()}"] += 1
        elif max(int(r), int(g), int(b)) <= 255:
            counts[f"#{int(r):02x}{int(g):02x}{int(b):02x}"] += 1
    return counts


_MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def logo_problem(media_type: str, data: bytes) -> str | None:
    """Why stored logo bytes may not be shown (a shared mode file is untrusted), or None."""
    magic = _MAGIC.get(media_type)
    if magic is not None:
        kind = media_type.split("/")[1].upper()
        return None if data.startswith(magic) else f"the logo is not a {kind} image"
    try:
        sanitise_svg(data, "logo")
    except LogoError as exc:
        return str(exc)
    return None
