"""ChatPanel: Enter sends, Shift+Enter newline, chips, Stop/Esc, copy, Ctrl+N, errors, live reply."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.panel import ChatPanel
from tests.ui.helpers import visible_chips


def _panel(qtbot) -> ChatPanel:
    panel = ChatPanel()
    qtbot.addWidget(panel)
    panel.resize(520, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)  # shortcuts need an active window
    return panel


def test_enter_sends_and_shift_enter_adds_a_line(qtbot):
    panel = _panel(qtbot)
    panel.composer.setFocus()
    qtbot.keyClicks(panel.composer, "first line")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(panel.composer, "second")
    assert panel.composer.toPlainText() == "first line\nsecond"
    with qtbot.waitSignal(panel.submitted) as blocker:
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert blocker.args == ["first line\nsecond"]
    assert panel.composer.toPlainText() == ""
    assert panel.model.message(0) == ChatMessage("user", "first line\nsecond")


def test_empty_or_busy_does_not_send(qtbot):
    panel = _panel(qtbot)
    with qtbot.assertNotEmitted(panel.submitted):
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
        panel.set_busy(True)
        qtbot.keyClicks(panel.composer, "hi")
        qtbot.keyClick(panel.composer, Qt.Key.Key_Return)
    assert panel.composer.toPlainText() == "hi"  # kept for later


def test_chips(qtbot):
    panel = _panel(qtbot)
    panel.set_suggestions(["What are your hours?", "Fish & <b>chips</b>", "x" * 200])
    assert len(panel.chips) == 3 and panel.chip_bar.isVisible()
    assert panel.chips[1].text() == "Fish && <b>chips</b>"  # & is literal, no mnemonic
    assert len(panel.chips[2].text()) <= 48
    with qtbot.waitSignal(panel.submitted) as blocker:
        qtbot.mouseClick(panel.chips[0], Qt.MouseButton.LeftButton)
    assert blocker.args == ["What are your hours?"]
    panel.set_busy(True)
    assert not panel.chips[0].isEnabled()
    panel.set_suggestions([])
    assert not panel.chip_bar.isVisible()


def test_new_prompts_relabel_the_chips_already_built(qtbot):
    """A mode switch relabels the chips (building and polishing new buttons cost ~2 ms)."""
    panel = _panel(qtbot)
    panel.set_suggestions(["Opening hours?", "x" * 200, "Gift cards?"])
    first = list(panel.chips)
    panel.set_suggestions(["Fish & chips?", "Prices?"])
    assert panel.chips == first[:2]
    assert [c.text() for c in panel.chips] == ["Fish && chips?", "Prices?"]
    assert panel.chips[1].toolTip() == ""  # the long prompt's tooltip went with it
    assert panel.chips[0].accessibleName() == "Suggested prompt: Fish & chips?"
    with qtbot.waitSignal(panel.submitted) as blocker:
        qtbot.mouseClick(panel.chips[1], Qt.MouseButton.LeftButton)
    assert blocker.args == ["Prices?"]
    panel.set_busy(True)
    panel.set_suggestions(["One?", "Two?", "Three?"])
    assert panel.chips[:2] == first[:2] and len(panel.chips) == 3
    assert not any(chip.isEnabled() for chip in panel.chips)  # a reply still streams


def test_send_becomes_stop_and_esc_stops(qtbot):
    panel = _panel(qtbot)
    assert panel.send_button.objectName() == "sendButton"
    panel.set_busy(True)
    assert panel.send_button.objectName() == "stopButton"
    assert panel.send_button.text() == "Stop"
    with qtbot.waitSignal(panel.stop_requested):
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    panel.composer.setFocus()
    with qtbot.waitSignal(panel.stop_requested):
        qtbot.keyClick(panel.composer, Qt.Key.Key_Escape)
    panel.view.setFocus()
    with qtbot.waitSignal(panel.stop_requested):
        qtbot.keyClick(panel.view, Qt.Key.Key_Escape)
    panel.set_busy(False)
    assert panel.send_button.objectName() == "sendButton"
    with qtbot.assertNotEmitted(panel.stop_requested):
        qtbot.keyClick(panel.composer, Qt.Key.Key_Escape)


def test_copy_selected_message(qtbot):
    panel = _panel(qtbot)
    panel.set_messages([ChatMessage("user", "q"), ChatMessage("assistant", "**raw** answer")])
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(1))
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(panel.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "**raw** answer"
    menu = panel.context_menu_for(panel.model.index(0))
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Copy"]
    menu.actions()[0].trigger()
    assert QGuiApplication.clipboard().text() == "q"
    assert "Regenerate" in [a.text() for a in panel.context_menu_for(panel.model.index(1)).actions()]


def test_ctrl_n_and_regenerate(qtbot):
    panel = _panel(qtbot)
    panel.composer.setFocus()
    with qtbot.waitSignal(panel.new_conversation_requested):
        qtbot.keyClick(panel.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not panel.regenerate_button.isEnabled()
    panel.set_messages([ChatMessage("user", "q"), ChatMessage("assistant", "a")])
    assert panel.regenerate_button.isEnabled()
    with qtbot.waitSignal(panel.regenerate_requested):
        qtbot.mouseClick(panel.regenerate_button, Qt.MouseButton.LeftButton)
    panel.remove_last_reply()
    assert panel.model.messages() == [ChatMessage("user", "q")]


def test_streamed_reply_flow(qtbot):
    panel = _panel(qtbot)
    panel.begin_reply()
    assert panel.typing.isVisible() and not panel.live.isVisible()
    assert panel.send_button.objectName() == "sendButton"  # busy comes from set_busy only
    for piece in ["Hello ", "**world** ", "x" * 500]:
        panel.append_reply_text(piece)
    assert not panel.typing.isVisible() and panel.live.isVisible()
    assert panel.live.text().startswith("Hello **world**")
    panel.end_reply(ChatMessage("assistant", panel.live.text()))
    assert not panel.live.isVisible()
    assert panel.model.message(0).content.startswith("Hello")
    panel.begin_reply()
    panel.end_reply(ChatMessage("assistant", "", status="stopped"))
    assert panel.model.rowCount() == 1  # an empty stopped reply adds nothing


def test_error_bubble_and_retry(qtbot):
    panel = _panel(qtbot)
    panel.append_message(ChatMessage("user", "q"))
    panel.show_error("The server said <b>no</b>", True)
    assert panel.model.rowCount() == 2 and panel.model.is_transient(1)
    assert panel.retry_button.isVisible()
    assert "Retry" in [a.text() for a in panel.context_menu_for(panel.model.index(1)).actions()]
    with qtbot.waitSignal(panel.retry_requested):
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    panel.begin_reply()
    assert panel.model.rowCount() == 1 and not panel.retry_button.isVisible()
    panel.show_error("fatal", False)
    assert not panel.retry_button.isVisible()


def test_a_problem_that_is_no_reply_is_not_captioned_as_one(qtbot):
    from presto_desktop.ui.chat.delegate import status_line
    from presto_desktop.ui.chat.model import ChatModel

    panel = _panel(qtbot)
    panel.show_error("Mode “florist” was not opened; using the default mode.", False, reply=False)
    problem = panel.model.message(0)
    assert problem.status == "problem" and panel.model.is_transient(0)
    assert status_line(problem) == ""  # not "Couldn't get a reply"
    accessible = panel.model.data(panel.model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Assistant: Mode")
    panel.show_error("The server said no", True)
    assert status_line(panel.model.message(0)) == "Couldn't get a reply"
    assert panel.model.data(panel.model.index(0), ChatModel.StatusRole) == "error"


def test_hostile_live_reply_reads_nothing(qtbot, tmp_path):
    import os

    trap = tmp_path / "trap.png"
    os.mkfifo(trap)
    panel = _panel(qtbot)
    panel.begin_reply()
    panel.append_reply_text(f"![x](file://{trap}) [a](file://{trap}) " + "y" * 5000)
    panel.end_reply(ChatMessage("assistant", f"![x](file://{trap})"))
    panel.view.repaint()  # would block on the FIFO if anything opened it


def test_every_control_is_named_and_reachable(qtbot):
    panel = _panel(qtbot)
    panel.set_suggestions(["a", "b"])
    panel.show_error("x", True)
    for widget in panel.findChildren(QWidget):
        interactive = isinstance(widget, QPushButton) or widget in (panel.composer, panel.view)
        if interactive and widget.isVisible():
            assert widget.accessibleName(), widget.objectName()
            assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def _styled_panel(qtbot, width: int = 440) -> ChatPanel:
    """A panel with the window's look (chip and button sizes come from it)."""
    from presto_desktop.core.palette import derive_palette
    from tests.ui.helpers import colors_from_roles, dress

    panel = ChatPanel()
    qtbot.addWidget(panel)
    colors = colors_from_roles(derive_palette("#1a237e").light, dark=False)
    dress(panel, colors)
    panel.set_colors(colors)
    panel.resize(width, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_chips_wrap_and_are_never_clipped(qtbot):
    panel = _styled_panel(qtbot)
    prompts = [
        "Show my account balances", "Show my recent transactions",
        "Break down my spending by category", "Show my balance history", "What rates do you offer?",
    ]
    panel.set_suggestions(prompts)
    qtbot.wait(20)  # the layout settles after polish
    bar = panel.chip_bar
    shown = visible_chips(bar)
    assert shown and shown[0] is panel.chips[0]
    for chip in shown:
        geometry = chip.geometry()
        assert geometry.bottom() < bar.height(), chip.text()  # fully inside the row, not cut off
        assert geometry.right() < bar.width(), chip.text()
        assert geometry.height() >= chip.sizeHint().height()
    # Narrower: more rows, still at most two, still whole.
    panel.resize(300, 700)
    qtbot.wait(20)
    assert all(c.geometry().bottom() < bar.height() for c in visible_chips(bar))
    rows = {c.geometry().top() for c in visible_chips(bar)}
    assert 1 <= len(rows) <= 2


def test_column_fits_440_and_actions_have_names(qtbot):
    panel = _styled_panel(qtbot)
    panel.set_suggestions(["Show my account balances", "x" * 60])
    panel.show_error("oops", True)  # Retry shows too
    assert panel.minimumSizeHint().width() <= 440
    for button in (panel.new_button, panel.regenerate_button):
        assert button.text() == "" and not button.icon().isNull()
        assert button.accessibleName() and button.toolTip()


def test_scroll_bar_drawn_only_when_needed(qtbot):
    panel = _styled_panel(qtbot)
    bar = panel.view.verticalScrollBar()
    panel.set_messages([ChatMessage("assistant", "short")])
    qtbot.wait(10)
    assert bar.maximum() == 0
    empty = bar.grab().toImage()
    assert len({empty.pixel(x, y) for x in range(empty.width()) for y in range(empty.height())}) == 1
    panel.set_messages([ChatMessage("user", f"message {i}") for i in range(200)])
    panel.view.repaint()
    assert bar.maximum() > 0
    full = bar.grab().toImage()
    assert len({full.pixel(x, y) for x in range(full.width()) for y in range(full.height())}) > 1


def test_long_reply_commits_in_slices_reusing_its_layout(qtbot):
    panel = _panel(qtbot)
    text = "".join(f"word{i} " if i % 40 else f"**bold{i}**\n\n" for i in range(2000))
    panel.begin_reply()
    panel.append_reply_text(text)
    built = panel.delegate.documents_built
    panel.end_reply(ChatMessage("assistant", text))
    # Still being laid out: not in the history yet, the live view shows it meanwhile.
    assert panel.model.rowCount() == 0 and panel.live.isVisible()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    assert panel.model.rowCount() == 1 and panel.model.message(0).content == text
    assert not panel.live.isVisible()
    panel.view.repaint()
    assert panel.delegate.documents_built == built + 1  # the sliced layout was adopted, not redone
    # A new turn while a commit is pending finishes it first, in order.
    panel.begin_reply()
    panel.append_reply_text(text)
    panel.end_reply(ChatMessage("assistant", text + "!"))
    panel.append_message(ChatMessage("user", "next"))
    assert [m.content for m in panel.model.messages()] == [text, text + "!", "next"]


def _words(text: str) -> str:
    """Text modulo rendering: Markdown markers, zero-width breaks and whitespace runs dropped."""
    return " ".join(text.replace("\u200b", "").replace("**", "").split())


def test_live_reply_keeps_spaces_while_streaming(qtbot, monkeypatch):
    """QA saw 'Yourchecking' mid-stream: a Markdown re-render dropped the trailing space."""
    import presto_desktop.ui.chat.live as chat_live

    monkeypatch.setattr(chat_live, "LIVE_MARKDOWN_EVERY", 0.1)  # several re-renders per test
    panel = _panel(qtbot)
    doc = panel.live.safe_document
    renders = {"markdown": 0}
    original = doc.set_safe_markdown

    def counting(text: str) -> bool:
        renders["markdown"] += 1
        return original(text)

    monkeypatch.setattr(doc, "set_safe_markdown", counting)
    words = (
        "Your checking balance over the last 12 months, ending at $4,145.35. "
        "**Savings** grew by $310.20 while card spending fell in the spring and summer months."
    ).split(" ")
    # Word chunks as an engine sends them: trailing spaces, so every re-render ends on one.
    chunks = [w + " " for w in words[:-1]] + [words[-1], "\n\nNext ", "paragraph ", "here."]
    panel.begin_reply()
    received = ""
    for number, chunk in enumerate(chunks):
        panel.append_reply_text(chunk)
        received += chunk
        qtbot.wait(30)  # paced like a real stream: the live view draws what arrived
        if number % 3 == 2:
            want = _words(received)
            qtbot.waitUntil(lambda want=want: _words(doc.toPlainText()) == want, timeout=500)
            shown = doc.toPlainText()
            assert _words(shown) == _words(received), (number, shown)
    qtbot.waitUntil(lambda: _words(doc.toPlainText()) == _words(received), timeout=500)
    assert renders["markdown"] >= 3  # re-renders really happened between plain appends
    assert panel.live.text() == received


def test_chip_tooltip_shows_untrusted_markup_literally(qtbot):
    from PySide6.QtGui import QTextDocument

    panel = _panel(qtbot)
    hostile = '<img src="file:///etc/passwd"><b>bold</b> & ' + "long " * 12
    panel.set_suggestions([hostile, "short & <b>sweet</b>"])
    long_chip, short_chip = panel.chips
    tip = long_chip.toolTip()
    assert tip  # elided on the chip, so the whole prompt is in the tooltip
    assert "<img" not in tip and "<b>" not in tip  # no raw tag reaches the rich-text guesser
    doc = QTextDocument()
    doc.setHtml(tip)  # what QToolTip shows for text it takes as rich
    assert doc.toPlainText() == " ".join(hostile.split())
    assert short_chip.toolTip() == ""  # shown whole: no tooltip needed
    assert short_chip.text() == "short && <b>sweet</b>"  # button text is never rich


def test_panel_texts_are_plain(qtbot):
    from PySide6.QtGui import QGuiApplication

    panel = _panel(qtbot)
    hostile = '<img src="file:///etc/passwd"> **x**'
    panel.set_messages([ChatMessage("user", hostile), ChatMessage("assistant", hostile)])
    panel.show_error(hostile, True)
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    for row in range(3):
        menu = panel.context_menu_for(panel.model.index(row))
        assert {a.text() for a in menu.actions()} <= {"Copy", "Regenerate", "Retry"}
        menu.actions()[0].trigger()
        assert QGuiApplication.clipboard().text() == hostile  # the raw text, never HTML
        assert not QGuiApplication.clipboard().mimeData().hasHtml()


def test_tab_order_follows_the_screen(qtbot):
    from PySide6.QtWidgets import QApplication

    panel = _panel(qtbot)
    panel.set_messages([ChatMessage("user", "q"), ChatMessage("assistant", "a")])
    panel.set_suggestions(["First prompt", "Second prompt"])
    expected = [
        panel.view, *panel.chips, panel.composer,
        panel.new_button, panel.regenerate_button, panel.voice.mic_button, panel.send_button,
    ]
    chain = panel.focus_chain()
    assert chain[0] is panel.view and chain[-1] is panel.send_button
    hidden = (panel.retry_button, panel.voice.mute_button)  # Retry; Mute only in voice mode
    assert [w for w in chain if w not in hidden] == expected
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus)
    reached = [QApplication.focusWidget()]
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == expected
    # Shift+Tab walks back the same way.
    back = []
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        back.append(QApplication.focusWidget())
    assert back == expected[-2::-1]
    # Chips replaced later (a mode switch) still sit between the history and the composer;
    # Retry, once shown, sits before the mic button and Send.
    panel.set_suggestions(["Another prompt"])
    panel.show_error("oops", True)
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus)
    reached = [QApplication.focusWidget()]
    for _ in range(7):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [
        panel.view, panel.chips[0], panel.composer, panel.new_button,
        panel.regenerate_button, panel.retry_button, panel.voice.mic_button, panel.send_button,
    ]


def test_hint_is_never_clipped(qtbot):
    from presto_desktop.core.palette import derive_palette
    from tests.ui.helpers import colors_from_roles, dress

    full, short = "Enter to send · Shift+Enter for a new line", "Enter to send"
    for font_size in (11, 14):  # QA saw it cut at 900 px and at 14 pt
        panel = ChatPanel()
        qtbot.addWidget(panel)
        colors = colors_from_roles(derive_palette("#1a237e").light, dark=False)
        dress(panel, colors, font_size)
        panel.resize(440, 700)
        panel.show()
        qtbot.waitExposed(panel)
        panel.show_error("x", True)  # Retry takes room too
        seen = set()
        for width in (900, 600, 440, 360, 300, 260, 220):
            panel.resize(width, 700)
            qtbot.wait(10)
            hint = panel.hint
            seen.add(hint.text())
            assert hint.text() in (full, short, "")
            room = hint.contentsRect().width()
            assert hint.fontMetrics().horizontalAdvance(hint.text()) <= room, (font_size, width)
        assert full in seen and "" in seen, (font_size, seen)


def test_live_reply_is_drawn_as_the_bubble_it_becomes(qtbot):
    """Committing the streamed reply swaps the live bubble for an identical row: no jump."""
    text = "Your checking balance over the last 12 months, ending at $4,145.35. Savings grew steadily."
    for history in (3, 40):  # a short history (no scrolling) and one stuck to the bottom
        panel = _styled_panel(qtbot)
        panel.set_messages([
            ChatMessage("user" if i % 2 == 0 else "assistant", f"Message {i} with some text")
            for i in range(history)
        ])
        panel.begin_reply()
        for word in text.split(" "):
            panel.append_reply_text(word + " ")
            qtbot.wait(5)
        live_doc = panel.live.safe_document
        qtbot.waitUntil(lambda doc=live_doc: " ".join(doc.toPlainText().split()) == text)
        qtbot.wait(50)
        bubble = panel.live_bubble
        assert panel.live.isVisible() and bubble.parent() is panel.view.viewport()
        live_rect = bubble.bubble_rect().translated(bubble.pos())
        view_before = panel.view.grab().toImage()
        panel.end_reply(ChatMessage("assistant", text))
        assert not panel.live.isVisible()
        row = panel.model.rowCount() - 1
        index = panel.model.index(row)
        doc = panel.delegate.document(panel.model.key(row), panel.model.message(row),
                                      panel.view.viewport().width(), panel.view.font())
        committed = panel.delegate.bubble_rect(panel.model.message(row), doc, panel.view.visualRect(index))
        assert live_rect == committed, history  # same margins, width and height, same place
        assert live_rect.width() < panel.view.viewport().width() * 0.85  # not a full-width box
        panel.view.repaint()
        # Pixel for pixel, but for rounding: the row is drawn on a transparent pixmap first,
        # so its anti-aliased edge may blend one step differently (seen: 53 edge pixels, 1/255).
        assert _max_channel_difference(panel.view.grab().toImage(), view_before) <= 2, history


def _max_channel_difference(first, second) -> int:
    """The largest difference of one colour channel between two same-sized images."""
    assert first.size() == second.size()
    if first == second:
        return 0
    worst = 0
    for y in range(first.height()):
        for x in range(first.width()):
            a, b = first.pixel(x, y), second.pixel(x, y)
            if a != b:
                worst = max(worst, *(abs((a >> s & 255) - (b >> s & 255)) for s in (0, 8, 16, 24)))
    return worst


def test_chips_in_a_narrow_column_are_elided_not_clipped(qtbot):
    from PySide6.QtGui import QTextDocument

    panel = _styled_panel(qtbot, 440)
    prompts = ["Show my account balances", "Show my recent transactions & <b>fees</b>"]
    panel.set_suggestions(prompts)
    qtbot.wait(20)
    assert [c.text() for c in panel.chips] == [prompts[0], prompts[1].replace("&", "&&")]
    panel.resize(220, 700)  # QA's 900 px window gives the column about this much
    qtbot.wait(20)
    shown = visible_chips(panel.chip_bar)
    assert shown
    elided = 0
    for chip, prompt in zip(shown, prompts, strict=False):
        assert chip.sizeHint().width() <= chip.width(), chip.text()  # whole label fits
        if chip.text() != prompt.replace("&", "&&"):
            elided += 1
            assert chip.text().endswith("…")
            doc = QTextDocument()
            doc.setHtml(chip.toolTip())
            assert doc.toPlainText() == prompt  # the whole prompt, literally
    assert elided
    panel.resize(440, 700)  # room again: the whole labels come back
    qtbot.wait(20)
    assert [c.text() for c in panel.chips] == [prompts[0], prompts[1].replace("&", "&&")]


def test_live_bubble_follows_a_resize_mid_stream(qtbot):
    from presto_desktop.ui.chat.delegate import PAD_H, ChatDelegate

    panel = _styled_panel(qtbot, 520)
    panel.begin_reply()
    panel.append_reply_text("A reply long enough to wrap onto a few lines in a narrow column. " * 3)
    qtbot.wait(50)
    for width in (300, 480):
        panel.resize(width, 700)
        qtbot.wait(20)
        row_width = panel.view.viewport().width()
        assert panel.live_bubble.width() == row_width
        assert panel.live_bubble.bubble_rect().width() <= ChatDelegate.text_width(row_width) + 2 * PAD_H
        assert panel.live.lineWrapColumnOrWidth() == ChatDelegate.text_width(row_width)


def test_wide_live_reply_keeps_growing_then_a_short_one_is_narrow(qtbot):
    """Once the bubble is as wide as it gets, new lines still grow it (and the committed row
    matches); the next reply starts narrow again."""
    panel = _styled_panel(qtbot)
    panel.begin_reply()
    text = " ".join(f"word{i}" for i in range(120))
    heights = []
    for start in range(0, 120, 20):
        panel.append_reply_text(" ".join(f"word{i}" for i in range(start, start + 20)) + " ")
        qtbot.wait(60)
        heights.append(panel.live_bubble.bubble_rect().height())
    assert heights == sorted(heights) and heights[-1] > heights[0]
    live_rect = panel.live_bubble.bubble_rect().translated(panel.live_bubble.pos())
    panel.end_reply(ChatMessage("assistant", text))
    row = panel.model.rowCount() - 1
    index = panel.model.index(row)
    doc = panel.delegate.document(panel.model.key(row), panel.model.message(row),
                                  panel.view.viewport().width(), panel.view.font())
    committed = panel.delegate.bubble_rect(panel.model.message(row), doc,
                                           panel.view.visualRect(index))
    assert live_rect.size() == committed.size()
    panel.begin_reply()
    panel.append_reply_text("Short.")
    qtbot.wait(60)
    assert panel.live_bubble.bubble_rect().width() < live_rect.width() / 2
