"""The hero backdrop behind the dashboard (core/hero.py's colours and pattern), as pixels.

Its colours (core/hero.py) and pixels are made on a worker thread, into a QImage once per
picture, size and device-pixel ratio (QPainter on a QImage is thread-safe; no QPixmap
there), cached, and only drawn by the paint path: a restyle or a switch costs the GUI thread
one submit, and the image appears with one repaint when it is ready (the plain background
until then, so a picture in the old colours never shows). A resize shows the last picture
scaled until the new size is done.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QWidget

from presto_desktop.core.hero import Hero, hero_for

Source = tuple[str, tuple[tuple[str, str], ...]]  # company, palette roles
Key = tuple[str, tuple[tuple[str, str], ...], int, int, float]
CACHED = 4  # pictures kept (one full-size picture is a few MB)
FADE_TO = 0.62  # share of the height over which the pattern fades out, from the top


class Backdropped(Protocol):
    """A widget that paints a backdrop under its children (ui/dashboard/panel.py)."""

    def set_backdrop(self, paint: Callable[[QPainter], None] | None) -> None:
        """Paint with `paint` after the background, or nothing (None)."""
        ...


def _tile_path(pattern: str, t: float) -> QPainterPath:
    """One repeat of `pattern` in a `t` x `t` tile."""
    path = QPainterPath()
    if pattern == "dots":
        path.addEllipse(QPointF(t / 2, t / 2), 1.8, 1.8)
    elif pattern == "grid":
        path.moveTo(0, 0.5)
        path.lineTo(t, 0.5)
        path.moveTo(0.5, 0)
        path.lineTo(0.5, t)
    elif pattern == "diagonals":
        path.moveTo(0, t)
        path.lineTo(t, 0)
    elif pattern == "rings":
        path.addEllipse(QPointF(t / 2, t / 2), t * 0.32, t * 0.32)
    elif pattern == "hexagons":
        corners = [QPointF(t / 2 + t * 0.3 * math.cos(math.radians(60 * k + 30)),
                           t / 2 + t * 0.3 * math.sin(math.radians(60 * k + 30)))
                   for k in range(7)]
        path.addPolygon(corners)
    else:  # chevrons
        path.moveTo(0, t * 0.62)
        path.lineTo(t / 2, t * 0.38)
        path.lineTo(t, t * 0.62)
    return path


def _pattern_layer(hero: Hero, width: int, height: int, ratio: float) -> QImage:
    """The pattern in the hero's ink over the whole picture, fading out downwards."""
    tile_px = max(4, round(hero.tile * ratio))
    tile = QImage(tile_px, tile_px, QImage.Format.Format_ARGB32_Premultiplied)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(ratio, ratio)
    pen = QPen(QColor(hero.ink), 1.3)
    painter.setPen(pen)
    painter.setBrush(QColor(hero.ink) if hero.pattern == "dots" else Qt.BrushStyle.NoBrush)
    painter.drawPath(_tile_path(hero.pattern, hero.tile))
    painter.end()
    layer = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    layer.fill(Qt.GlobalColor.transparent)
    painter = QPainter(layer)
    brush = QBrush(tile)
    brush.setTransform(QTransform.fromTranslate(hero.offset * ratio, hero.offset * ratio))
    painter.fillRect(layer.rect(), brush)
    fade = QLinearGradient(0, 0, 0, height * FADE_TO)
    clear = QColor(hero.ink)
    clear.setAlpha(0)
    fade.setColorAt(0, QColor(hero.ink))  # only the alpha counts (DestinationIn)
    fade.setColorAt(1, clear)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
    painter.fillRect(layer.rect(), fade)
    painter.end()
    return layer


def render_hero(hero: Hero, width: int, height: int, ratio: float) -> QImage:
    """The backdrop `width` x `height` logical pixels at `ratio` (any thread)."""
    pixels_w, pixels_h = max(1, round(width * ratio)), max(1, round(height * ratio))
    image = QImage(pixels_w, pixels_h, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    rad = math.radians(hero.angle)
    reach = pixels_w * abs(math.cos(rad)) + pixels_h * abs(math.sin(rad))
    gradient = QLinearGradient(0, 0, reach * math.cos(rad), reach * math.sin(rad))
    gradient.setColorAt(0, QColor(hero.top))
    gradient.setColorAt(1, QColor(hero.bottom))
    painter.fillRect(image.rect(), gradient)
    if hero.ink not in (hero.top, hero.bottom) or hero.top != hero.bottom:
        painter.drawImage(0, 0, _pattern_layer(hero, pixels_w, pixels_h, ratio))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


class HeroBackdrop(QObject):
    """Keeps `widget`'s backdrop in the current mode's colours and size, off the paint path.

    The picture is asked for by the first paint that needs it (after a switch: the restyled
    frame), so its ~4 ms of rendering never competes with the restyle itself.
    """

    rendered = Signal(object, object)  # (Key, QImage), from the worker

    def __init__(self, widget: QWidget, target: Backdropped) -> None:
        super().__init__(widget)
        self._widget, self._target = widget, target
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="presto-hero")
        # Its thread starts now, with the window: started at the first paint that wants a
        # picture, the loop waited 28 ms for it to take the GIL from start-up's workers.
        self._worker.submit(int)
        self._cache: OrderedDict[Key, QImage] = OrderedDict()
        self._source: Source | None = None
        self._wanted: Key | None = None
        self._last: QImage | None = None  # the picture shown, for a resize in progress
        self.rendered.connect(self._arrived)
        widget.destroyed.connect(lambda: self._worker.shutdown(wait=False))

    @property
    def hero(self) -> Hero | None:
        """The picture wanted now (None: imagery off)."""
        return None if self._source is None else hero_for(self._source[0], dict(self._source[1]))

    def show(self, company: str | None, roles: Mapping[str, str] | None) -> None:
        """Draw `company`'s backdrop in `roles`; None for either turns the imagery off."""
        source = None if company is None or roles is None else _source_of(company, roles)
        if source == self._source:
            return
        self._source, self._last, self._wanted = source, None, None
        self._target.set_backdrop(None if source is None else self.paint)

    def ready(self, company: str, roles: Mapping[str, str]) -> bool:
        """Whether `company`'s picture in `roles`, at the widget's size, is rendered already."""
        return self._key(_source_of(company, roles)) in self._cache

    def current(self) -> QImage | None:
        """The finished picture for the current colours and size, if there is one."""
        return None if self._wanted is None else self._cache.get(self._wanted)

    def _key(self, source: Source | None = None) -> Key | None:
        """The picture's key for `source` (the one shown if None) at the widget's size."""
        widget, source = self._widget, source or self._source
        if source is None or widget.width() < 1:
            return None
        return (*source, widget.width(), widget.height(), widget.devicePixelRatioF())

    def _request(self, key: Key) -> None:
        self._wanted = key
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            # Rendered once the paint that asks for it is over: started during it, the render's
            # Python took the GIL from the rest of the window's repaint (the first full one
            # after start-up: 19-26 ms, twice its own CPU, measured).
            QTimer.singleShot(0, self, lambda: self._start(key))

    def _start(self, key: Key) -> None:
        if key == self._wanted and key not in self._cache:
            self._worker.submit(self._render, key)

    def _render(self, key: Key) -> None:
        """On the worker: the colours and picture, unless another one is wanted by now."""
        if key == self._wanted:
            company, roles, width, height, ratio = key
            self.rendered.emit(key, render_hero(hero_for(company, dict(roles)), width, height,
                                                ratio))

    def _arrived(self, key: Key, image: QImage) -> None:
        self._cache[key] = image
        while len(self._cache) > CACHED:
            self._cache.popitem(last=False)
        if key == self._wanted:
            self._widget.update()

    def paint(self, painter: QPainter) -> None:
        """Draw the picture (the last one scaled while a new size renders), or ask for it."""
        key = self._key()
        if key is not None and key != self._wanted:
            self._request(key)
        image = self.current()
        if image is not None:
            self._last = image
            painter.drawImage(0, 0, image)
        elif self._last is not None:
            painter.drawImage(QRectF(self._widget.rect()), self._last)


def _source_of(company: str, roles: Mapping[str, str]) -> Source:
    """What a picture is drawn from: the company (its pattern) and the colour roles."""
    return company, tuple(sorted(roles.items()))
