"""ChatModel + ChatHistoryView: rows, keys, transient notices, O(1) append, restyle without relayout."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.models import PALETTE_ROLES
from presto_desktop.ui.chat.delegate import ChatDelegate
from presto_desktop.ui.chat.model import ChatModel
from presto_desktop.ui.chat.view import ChatHistoryView
from presto_desktop.ui.theme.colors import ThemeColors


def _colors(seed: int) -> ThemeColors:
    return ThemeColors({r: QColor.fromHsv((seed * 40 + i * 20) % 360, 120, 200) for i, r in enumerate(PALETTE_ROLES)}, False)


def _messages(n: int) -> list[ChatMessage]:
    return [
        ChatMessage("user" if i % 2 == 0 else "assistant", f"Message {i} with **markdown** " * (1 + i % 3))
        for i in range(n)
    ]


def test_rows_roles_and_keys(qapp):
    model = ChatModel()
    model.set_messages(_messages(3))
    assert model.rowCount() == 3
    index = model.index(1)
    assert index.data(ChatModel.SenderRole) == "assistant"
    assert index.data(Qt.ItemDataRole.DisplayRole).startswith("Message 1")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Assistant: Message 1")
    key = model.key(2)
    model.remove_last()
    model.append(ChatMessage("assistant", "new"))
    assert model.key(2) != key and model.message(2).content == "new"


def test_a_conversation_shown_again_keeps_its_keys(qapp):
    import dataclasses

    model = ChatModel()
    first = _messages(4)
    model.set_messages(first)
    keys = list(model.all_keys())
    model.set_messages(_messages(2))  # another mode's conversation
    assert not set(model.all_keys()) & set(keys)
    reloaded = [dataclasses.replace(m) for m in first]  # read again from its file: same ids
    reloaded[3] = dataclasses.replace(first[3], content="edited")  # same id, other text
    model.set_messages(reloaded)
    assert model.all_keys()[:3] == keys[:3]  # the delegate's documents still fit these rows
    assert model.key(3) not in keys


def test_transient_rows_are_not_messages(qapp):
    model = ChatModel()
    model.append(ChatMessage("user", "q"))
    model.append(ChatMessage("assistant", "oops", status="error"), transient=True)
    assert model.messages() == [ChatMessage("user", "q")]
    assert model.drop_transient() == 1 and model.rowCount() == 1
    assert model.remove_last() == ChatMessage("user", "q")
    assert model.remove_last() is None


def _view(qtbot, n: int) -> tuple[ChatHistoryView, ChatModel, ChatDelegate]:
    model, delegate, view = ChatModel(), ChatDelegate(_colors(1)), ChatHistoryView()
    qtbot.addWidget(view)
    view.setItemDelegate(delegate)
    view.setModel(model)
    view.resize(480, 600)
    view.show()
    model.set_messages(_messages(n))
    view.repaint()
    return view, model, delegate


def test_append_does_not_measure_every_row(qtbot):
    view, model, delegate = _view(qtbot, 5000)
    built = delegate.documents_built
    assert built < 60  # only visible rows were laid out exactly
    model.append(ChatMessage("user", "one more"))
    view.repaint()
    assert delegate.documents_built - built < 10
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # follows the newest message
    last = model.index(model.rowCount() - 1)
    assert view.indexAt(view.visualRect(last).center()) == last


def test_restyle_only_repaints(qtbot):
    view, _model, delegate = _view(qtbot, 2000)
    heights = list(view._heights)
    built = delegate.documents_built
    delegate.set_colors(_colors(7))
    view.repaint()
    assert delegate.documents_built == built
    assert view._heights == heights


def test_bubbles_use_palette_colours(qtbot):
    view, _model, delegate = _view(qtbot, 2)
    colors = _colors(3)
    delegate.set_colors(colors)
    image = view.viewport().grab().toImage()
    rgbs = {image.pixelColor(x, y).rgb() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert colors["user_bubble"].rgb() in rgbs
    assert colors["assistant_bubble"].rgb() in rgbs


def test_keyboard_navigation_and_remove(qtbot):
    view, model, _delegate = _view(qtbot, 20)
    view.setFocus()
    view.setCurrentIndex(model.index(19))
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 18
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    assert view.visualRect(model.index(0)).top() >= 0
    model.remove_last()
    assert len(view._heights) == 19 == model.rowCount()


def test_rows_painted_again_are_copied_from_a_pixmap(qtbot):
    """A row's first paint draws it; its second draws it into a pixmap; later ones copy that.
    New colours or a selection start again for the rows they change."""
    view, model, delegate = _view(qtbot, 40)
    qtbot.waitUntil(lambda: delegate.rows_drawn > 0)  # the first frame: drawn directly
    visible = delegate.rows_drawn

    def drawn_by_repaint() -> int:
        before = delegate.rows_drawn
        view.viewport().repaint()
        return delegate.rows_drawn - before

    assert drawn_by_repaint() == visible  # the second paint: into pixmaps
    assert drawn_by_repaint() == 0  # then copied
    model.append(ChatMessage("user", "one more"))
    assert 1 <= drawn_by_repaint() <= 2  # the new row (and one scrolled in)
    before = view.viewport().grab().toImage()
    delegate.set_colors(_colors(7))
    assert drawn_by_repaint() >= visible - 1  # drawn again in the new colours
    assert view.viewport().grab().toImage() != before
    drawn_by_repaint()
    assert drawn_by_repaint() == 0
    last = model.index(model.rowCount() - 1)
    view.setCurrentIndex(last)
    view.selectionModel().select(last, view.selectionModel().SelectionFlag.ClearAndSelect)
    assert drawn_by_repaint() == 1  # only the selected row has a new look


def test_the_windows_activation_does_not_repaint_rows_that_look_the_same(qtbot):
    """A dialog opening (the window deactivated) repainted every row; not when the palette's
    active and inactive colours are one (the theme's always are)."""
    view, _model, _delegate = _view(qtbot, 40)
    paints = []

    class Count(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.append(watched)
            return False

    counter = Count()
    view.viewport().installEventFilter(counter)
    same, differs = QPalette(view.palette()), QPalette(view.palette())
    for role in QPalette.ColorRole:
        if role not in (QPalette.ColorRole.NoRole, QPalette.ColorRole.NColorRoles):
            same.setColor(QPalette.ColorGroup.Inactive, role,
                          same.color(QPalette.ColorGroup.Active, role))
    differs.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("#123456"))
    for palette, repainted in ((same, False), (differs, True)):
        view.setPalette(palette)
        qtbot.wait(20)
        paints.clear()
        for kind in (QEvent.Type.WindowDeactivate, QEvent.Type.WindowActivate):
            QApplication.sendEvent(view.viewport(), QEvent(kind))
        qtbot.wait(20)
        assert bool(paints) == repainted


def test_drawn_rows_are_capped(qtbot, monkeypatch):
    """Kept pixmaps stay under the pixel cap: the least recently painted go first."""
    from presto_desktop.ui.chat import row_pixmaps

    monkeypatch.setattr(row_pixmaps, "PIXMAP_CACHE_PIXELS", 480 * 200)
    view, model, delegate = _view(qtbot, 200)
    qtbot.waitUntil(lambda: delegate.rows_drawn > 0)
    for value in range(0, view.verticalScrollBar().maximum(), 300):
        view.verticalScrollBar().setValue(value)
        view.viewport().repaint()
        view.viewport().repaint()  # a row's second paint keeps it
    assert 0 < delegate.kept.pixels <= 480 * 200 or len(delegate.kept) == 1


def test_a_held_view_draws_its_rows_ahead_one_a_call(qtbot):
    """While a restyle holds the view's repaint, each draw_ahead draws one visible row in the
    new colours into its pixmap; the repaint then copies every one of them."""
    view, _model, delegate = _view(qtbot, 40)
    qtbot.waitUntil(lambda: delegate.rows_drawn > 0)
    visible = len(view._visible_rows())
    view.setUpdatesEnabled(False)  # the restyle's hold on the chat history
    delegate.set_colors(_colors(7))
    drawn = delegate.rows_drawn
    calls = 1
    while view.draw_ahead():
        assert delegate.rows_drawn == drawn + calls  # one row a call
        calls += 1
    assert calls == visible and delegate.rows_drawn == drawn + visible
    assert not view.draw_ahead()  # nothing left: nothing drawn
    assert delegate.rows_drawn == drawn + visible
    view.setUpdatesEnabled(True)
    view.viewport().repaint()
    assert delegate.rows_drawn == drawn + visible  # copied, none drawn in the repaint


def test_a_view_not_held_draws_nothing_ahead(qtbot):
    view, _model, delegate = _view(qtbot, 40)
    qtbot.waitUntil(lambda: delegate.rows_drawn > 0)
    delegate.set_colors(_colors(7))
    view.setStyleSheet("QListView { background: transparent; }")
    assert not view.draw_ahead()
    qtbot.wait(50)
    assert len(delegate.kept) == 0  # it repaints at once: each row's first paint draws it


def test_the_pixel_cap_counts_device_pixels(qapp, monkeypatch):
    """At a pixel ratio of 2 a kept row holds four times its logical size, and counts so."""
    from PySide6.QtGui import QPixmap

    from presto_desktop.ui.chat import row_pixmaps

    monkeypatch.setattr(row_pixmaps, "PIXMAP_CACHE_PIXELS", 3 * 400 * 100 * 4)
    kept = row_pixmaps.RowPixmaps()
    for key in range(5):
        pixmap = QPixmap(800, 200)  # a 400 x 100 row drawn at a pixel ratio of 2
        pixmap.setDevicePixelRatio(2.0)
        kept.keep((key, 400, 100, "font", False, 1, 2.0), pixmap)
    assert len(kept) == 3 and kept.pixels == 3 * 800 * 200
    assert kept.get((0, 400, 100, "font", False, 1, 2.0)) is None  # the oldest went first
