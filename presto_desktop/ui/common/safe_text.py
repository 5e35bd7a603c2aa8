"""Untrusted text for Qt places that guess rich text (tooltips, message boxes, buttons)."""

from __future__ import annotations

import html

# QToolTip renders anything Qt::mightBeRichText() accepts, so `<img src=file:///...>` in a
# tooltip loads a local file. Wrapping the escaped text in one paragraph makes Qt treat the
# tooltip as rich text whose only content is the literal characters.
_WRAP = '<p style="white-space:pre-wrap">{}</p>'


def tooltip(text: str) -> str:
    """A tooltip that shows `text` literally (markup escaped); '' stays '' (no tooltip)."""
    if not text:
        return ""
    return _WRAP.format(html.escape(text, quote=False))


def button_text(text: str) -> str:
    """Button text shown literally: '&' would otherwise start a keyboard mnemonic."""
    return text.replace("&", "&&")
