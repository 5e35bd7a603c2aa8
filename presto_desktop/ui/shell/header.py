"""The header: painted monogram, company name, tagline, library button, engine badge, Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.emblem import initials as initials
from presto_desktop.ui.common.safe_text import tooltip
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.emblems import (
    Mark,
    drawn_mark,
    mark_icon,
    mark_pixmap,
    mode_mark,
)
from presto_desktop.ui.theme.icons import icon_size, tinted_icon

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.session.replies import Origin

FIRST_FRAME_ICON = "sparkle"  # for a remembered first frame written before it knew the icon
WINDOW_ICON_DELAY_MS = 200
FADE_MS = 400  # a generated mark fades in over the drawn one
COMPANY_KEEP = 140  # px of the company name a narrow header still shows (then "…")


class Emblem(QWidget):
    """The mode's mark: its logo, or the emblem drawn from company, icon and palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emblem")
        self.setFixedSize(48, 48)
        self._text = "?"
        self._company = ""
        self._mode: Mode | None = None
        self._colors: ThemeColors | None = None
        self._mark: Mark | None = None
        self._window_mark: Mark | None = None
        self._start: tuple[str, str, str] = ("", "", "")  # the first frame's company, icon, layout
        # An image model's mark for one mode (ui/shell/generated_wiring.py), faded in over it.
        self._generated: tuple[str, Mark] | None = None
        self._fade = QVariantAnimation(self)
        self._fade.setStartValue(0.0)
        self._fade.setEndValue(1.0)
        self._fade.setDuration(FADE_MS)
        self._fade.valueChanged.connect(lambda _value: self.update())
        self.setAccessibleName("Company emblem")

    def set_company(self, company: str) -> None:
        """Show `company`'s drawn emblem (before its mode is known: the first frame)."""
        if self._mode is not None and self._mode.company_name != company:
            self._mode = None
        self._company = company
        self._text = initials(company)
        self.setAccessibleDescription(f"Monogram {self._text}")
        self._changed()

    def set_mode(self, mode: Mode) -> None:
        """Show `mode`'s logo or drawn emblem."""
        self._mode = mode
        self.set_company(mode.company_name)

    def set_generated(self, mode_id: str, mark: Mark | None) -> None:
        """Fade `mark` in over `mode_id`'s emblem (None: the drawn emblem or logo only)."""
        self._generated = None if mark is None else (mode_id, mark)
        self._fade.stop()
        if mark is not None:
            self._fade.start()
        self.update()

    def generated(self) -> Mark | None:
        """The image model's mark shown over the current mode's emblem, if any."""
        shown = self._generated
        return shown[1] if shown and self._mode and shown[0] == self._mode.id else None

    def set_start_emblem(self, company: str, icon: str, layout: str) -> None:
        """The remembered first frame's icon and layout for `company` (until the mode loads)."""
        self._start = (company, icon, layout)
        self._changed()

    def set_colors(self, colors: ThemeColors) -> None:
        """Redraw in the palette's colours."""
        self._colors = colors
        self._changed()

    def _changed(self) -> None:
        self._mark = None  # built when next painted: a switch only pays for what is shown
        self.update()

    def text(self) -> str:
        """The initials of the company shown."""
        return self._text

    def mark(self) -> Mark | None:
        """What is painted (None until there are colours to paint with)."""
        if self._mark is None and self._colors is not None:
            roles = {role: color.name() for role, color in self._colors.roles.items()}
            company, icon, layout = self._start
            known = company == self._company
            self._mark = (mode_mark(self._mode, roles) if self._mode is not None
                          else drawn_mark("", self._company,
                                          (known and icon) or FIRST_FRAME_ICON, roles,
                                          (known and layout) or None))
        return self._mark

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Paint the cached pixmap of the mark at this size and device-pixel ratio."""
        mark = self.mark()
        if mark is None:
            return
        painter = QPainter(self)
        ratio = self.devicePixelRatioF()
        painter.drawPixmap(0, 0, mark_pixmap(mark, self.width(), ratio))
        generated = self.generated()
        if generated is not None:
            painter.setOpacity(float(self._fade.currentValue() or 0.0)
                               if self._fade.state() == QVariantAnimation.State.Running else 1.0)
            painter.drawPixmap(0, 0, mark_pixmap(generated, self.width(), ratio))
        painter.end()
        shown = generated or mark  # the window icon is what the header shows
        if shown is not self._window_mark:
            self._window_mark = shown
            # The window icon's four sizes are rendered after the switch has been painted.
            QTimer.singleShot(WINDOW_ICON_DELAY_MS, self, self._set_window_icon)

    def _set_window_icon(self) -> None:
        if self._window_mark is not None:
            self.window().setWindowIcon(mark_icon(self._window_mark))


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit; the full text is its
    text() and, while cut, its tooltip (a glyph is never cut in half)."""

    def __init__(self, parent: QWidget | None = None, *, keep: int = 0) -> None:
        """`keep`: the width (px) the label keeps however narrow the header gets."""
        super().__init__(parent)
        self._keep = keep
        # Untrusted text: never rich text, never <img>.
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Shrinks to minimumSizeHint (an Ignored policy would let the layout take it all).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """At most `keep` wide (the rest elides), as tall as one line."""
        natural = super().minimumSizeHint()
        return QSize(min(self._keep, super().sizeHint().width()), natural.height())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        """Show `text` (elided to the width)."""
        super().setText(text)
        self._update_tooltip()

    def shown_text(self) -> str:
        """What is drawn: the text, elided with "…" to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             max(0, self.contentsRect().width()))

    def is_elided(self) -> bool:
        """Whether the text is cut to fit."""
        return self.shown_text() != self.text()

    def _update_tooltip(self) -> None:
        full = tooltip(self.text()) if self.is_elided() else ""
        if self.toolTip() != full:
            self.setToolTip(full)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """A new width elides differently."""
        super().resizeEvent(event)
        self._update_tooltip()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """A new font (QSS size) elides differently."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Draw the elided text in the styled font and colour."""
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))  # muted for the tagline
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
        painter.end()


# The engine badge's quiet note while a cached answer is on screen (honest, not loud).
ORIGIN_WORDS = {"cache": "cached", "prefetch": "fetched ahead"}
ORIGIN_NOTES = {"cache": "given", "prefetch": "fetched in the background"}


class Header(QFrame):
    """Top bar of the window; emits intents, renders the mode's identity as plain text."""

    library_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.emblem = Emblem(self)
        self.company = self._label("companyName", "Company name",
                                   ElidedLabel(self, keep=COMPANY_KEEP))
        self.tagline = self._label("tagline", "Tagline", ElidedLabel(self))
        self.engine = self._label("engineBadge", "Active engine", QLabel(self))
        self._engine_label = ""
        self.library_button = QPushButton("Modes", self)
        self.library_button.setObjectName("libraryButton")
        self.library_button.setAccessibleName("Mode library")
        self.library_button.setToolTip("Mode library (Ctrl+K)")
        self.library_button.clicked.connect(self.library_requested)
        self.settings_button = QPushButton("Settings", self)
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setAccessibleName("Settings")
        self.settings_button.setToolTip("Settings (Ctrl+,)")
        self.settings_button.clicked.connect(self.settings_requested)
        # The "More" menu's button (ui/shell/app_menu.py fills it). Shown from the first frame:
        # the composed app always fills the menu, and a button that appeared when it did
        # moved the chip and buttons beside it ~50 px, ~250 ms after the window showed.
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("moreButton")
        self.more_button.setAccessibleName("More")
        self.more_button.setToolTip("More")
        for button in (self.library_button, self.settings_button, self.more_button):
            button.setIconSize(icon_size(18))
            button.setCursor(Qt.CursorShape.PointingHandCursor)

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.company)
        titles.addWidget(self.tagline)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(12)
        row.addWidget(self.emblem)
        row.addLayout(titles, 1)
        row.addWidget(self.engine, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.library_button)
        row.addWidget(self.settings_button)
        row.addWidget(self.more_button)

    def _label(self, name: str, accessible: str, label: QLabel) -> QLabel:
        label.setObjectName(name)
        # Untrusted text: never rich text, never <img>.
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(accessible)
        if not isinstance(label, ElidedLabel):  # those keep a little width and elide the rest
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def set_mode(self, mode: Mode) -> None:
        """Show the mode's company, tagline and emblem."""
        self.show_identity(mode.company_name, mode.tagline)
        self.emblem.set_mode(mode)

    def show_identity(self, company: str, tagline: str) -> None:
        """Show a company name, its tagline and its monogram."""
        self.company.setText(company)
        self.tagline.setText(tagline)
        self.tagline.setVisible(bool(tagline))
        self.emblem.set_company(company)

    def set_engine_label(self, label: str) -> None:
        """Name the active engine, e.g. 'Offline' or the model."""
        self._engine_label = label
        self.engine.setText(label)
        self.engine.setToolTip(tooltip(f"Engine: {label}"))
        self.engine.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_reply_origin(self, origin: Origin) -> None:
        """Say, quietly, when the reply on screen comes from the cache (a session Origin)."""
        label = self._engine_label or self.engine.text()
        kind = origin.kind
        if kind not in ORIGIN_WORDS:
            self.set_engine_label(label)
            return
        minutes = int(origin.age_s // 60)
        when = "less than a minute ago" if minutes < 1 else f"{minutes} min ago"
        self.engine.setText(f"{label} · {ORIGIN_WORDS[kind]}")
        self.engine.setToolTip(tooltip(
            f"Engine: {label}. This answer was {ORIGIN_NOTES[kind]} {when} and is shown from "
            "the cache; Regenerate asks again."))

    def set_colors(self, colors: ThemeColors) -> None:
        """Repaint the emblem and tint the button icons."""
        self.emblem.set_colors(colors)
        self.library_button.setIcon(tinted_icon("library", colors["text"]))
        self.settings_button.setIcon(tinted_icon("settings", colors["text"]))
        self.more_button.setIcon(tinted_icon("more", colors["text"]))
