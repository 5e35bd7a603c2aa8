"""Chat column figures, each against a naive widget-per-message + setStyleSheet baseline.

Goals (issue 3): restyle at 5,000 messages <= 16 ms and <= 1.5x the 50-message figure; build
5,000 <= 150 ms; append at 5,000 <= 5 ms; RSS for 5,000 <= 15 MB over empty; a 2,000-chunk
stream <= 1.15x consuming it without UI; 5 ms heartbeat max gap <= 10 ms, p99 <= 6 ms.
Each function returns (name, value, unit) rows; run.py prints them. Offscreen.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Row = tuple[str, float, str]


def _app():  # noqa: ANN202
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _messages(n: int):  # noqa: ANN202
    from presto_desktop.core.chat import ChatMessage

    texts = [
        "What are your opening hours on weekends?",
        "We're open **9 to 5** on Saturdays and *10 to 4* on Sundays. See [our page](https://example.com).",
        "Can you show me my last three orders and what they cost?",
        "Sure:\n\n- Roses, **$42**\n- Tulips, $18\n- Orchid, `$65`\n\nWant a chart?",
    ]
    return [
        ChatMessage("user" if i % 2 == 0 else "assistant", f"{texts[i % 4]} (#{i})") for i in range(n)
    ]


def _colors(seed: int):  # noqa: ANN202
    from PySide6.QtGui import QColor

    from presto_desktop.core.models import PALETTE_ROLES
    from presto_desktop.ui.theme.colors import ThemeColors

    return ThemeColors(
        {r: QColor.fromHsv((seed * 97 + i * 23) % 360, 140, 190) for i, r in enumerate(PALETTE_ROLES)},
        seed % 2 == 1,
    )


def _panel():  # noqa: ANN202
    from presto_desktop.ui.chat.panel import ChatPanel

    panel = ChatPanel()
    panel.resize(520, 760)
    panel.show()
    _app().processEvents()
    return panel


class _Naive:
    """The baseline: one QLabel per message in a scroll area, colours via setStyleSheet."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

        self._label = QLabel
        self.area = QScrollArea()
        self.inner = QWidget()
        self.layout = QVBoxLayout(self.inner)
        self.area.setWidget(self.inner)
        self.area.setWidgetResizable(True)
        self.area.resize(520, 760)
        self.area.show()
        self.labels: list = []

    def add(self, message) -> None:  # noqa: ANN001
        from PySide6.QtCore import Qt

        label = self._label(message.content)
        label.setTextFormat(Qt.TextFormat.MarkdownText)
        label.setWordWrap(True)
        label.setObjectName("user" if message.role == "user" else "assistant")
        self.layout.addWidget(label)
        self.labels.append(label)

    def restyle(self, colors) -> None:  # noqa: ANN001
        self.inner.setStyleSheet(
            f"#user {{ background: {colors['user_bubble'].name()}; color: {colors['on_user_bubble'].name()};"
            " border-radius: 12px; padding: 8px; }"
            f"#assistant {{ background: {colors['assistant_bubble'].name()};"
            f" color: {colors['on_assistant_bubble'].name()}; border-radius: 12px; padding: 8px; }}"
        )

    def settle(self) -> None:
        app = _app()
        app.processEvents()
        self.area.viewport().repaint()

    def close(self) -> None:
        self.area.close()
        self.area.deleteLater()
        _app().processEvents()


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def history(quick: bool = False) -> list[Row]:
    """Build, append, restyle (at N and at 50) and RSS for our panel and the naive baseline."""
    app = _app()
    n = 1000 if quick else 5000
    naive_n = 300 if quick else 1000
    rows: list[Row] = []
    messages = _messages(n)
    from presto_desktop.core.chat import ChatMessage

    # Restyle at 50 first (same panel type, fresh).
    small = _panel()
    small.set_messages(messages[:50])
    small.repaint()
    restyle_small = []
    for i in range(9):
        start = time.perf_counter()
        small.set_colors(_colors(i))
        small.repaint()
        restyle_small.append(time.perf_counter() - start)
    small.close()
    small.deleteLater()
    app.processEvents()

    gc.collect()
    panel = _panel()
    rss_before = _rss_mb()
    start = time.perf_counter()
    panel.set_messages(messages)
    panel.repaint()
    build = time.perf_counter() - start
    rss_after = _rss_mb()
    appends = []
    for i in range(15):
        start = time.perf_counter()
        panel.append_message(ChatMessage("user" if i % 2 else "assistant", f"One more message {i}"))
        panel.repaint()
        appends.append(time.perf_counter() - start)
    restyle_big = []
    for i in range(9):
        start = time.perf_counter()
        panel.set_colors(_colors(i))
        panel.repaint()
        restyle_big.append(time.perf_counter() - start)
    panel.close()

    rows += [
        (f"chat_build_{n}", _ms(build), "ms"),
        (f"chat_append_at_{n}", _ms(statistics.median(appends)), "ms"),
        (f"chat_append_at_{n}_max", _ms(max(appends)), "ms"),
        (f"chat_restyle_{n}", _ms(statistics.median(restyle_big)), "ms"),
        ("chat_restyle_50", _ms(statistics.median(restyle_small)), "ms"),
        (
            f"chat_restyle_{n}_vs_50",
            round(statistics.median(restyle_big) / statistics.median(restyle_small), 2),
            "x",
        ),
        (f"chat_rss_{n}_over_empty", round(rss_after - rss_before, 1), "MB"),
    ]

    # Naive baseline, smaller (it is slow), scaled per message where that is fair.
    gc.collect()
    rss_before = _rss_mb()
    naive = _Naive()
    start = time.perf_counter()
    for message in messages[:naive_n]:
        naive.add(message)
    naive.restyle(_colors(0))
    naive.settle()
    naive_build = time.perf_counter() - start
    naive_rss = _rss_mb() - rss_before
    start = time.perf_counter()
    naive.add(ChatMessage("user", "One more"))
    naive.settle()
    naive_append = time.perf_counter() - start
    naive_restyles = []
    for i in range(3):
        start = time.perf_counter()
        naive.restyle(_colors(i + 1))
        naive.settle()
        naive_restyles.append(time.perf_counter() - start)
    naive.close()
    ours_build_per = build / n
    rows += [
        (f"naive_build_{naive_n}", _ms(naive_build), "ms"),
        (f"naive_append_at_{naive_n}", _ms(naive_append), "ms"),
        (f"naive_restyle_{naive_n}", _ms(statistics.median(naive_restyles)), "ms"),
        (f"naive_rss_{naive_n}_over_empty", round(naive_rss, 1), "MB"),
        (
            "chat_build_per_message_vs_naive",
            round(ours_build_per / (naive_build / naive_n), 3),
            "x",
        ),
        (
            f"chat_restyle_{n}_vs_naive_{naive_n}",
            round(statistics.median(restyle_big) / statistics.median(naive_restyles), 4),
            "x",
        ),
        (
            f"chat_append_{n}_vs_naive_{naive_n}",
            round(statistics.median(appends) / naive_append, 3),
            "x",
        ),
    ]
    return rows


def _mode():  # noqa: ANN202
    from tests.factories import make_mode

    return make_mode("bench")


def _heartbeat(ticks: list[float]):  # noqa: ANN202
    """A started 5 ms precise timer appending perf_counter() to `ticks`."""
    from PySide6.QtCore import QTimer

    beat = QTimer()
    beat.setTimerType(beat.timerType().PreciseTimer)
    beat.setInterval(5)
    beat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    beat.start()
    return beat


def _gap_stats(ticks: list[float]) -> tuple[float, float]:
    """(max, p99) of the gaps between ticks, in ms."""
    gaps = sorted((b - a) * 1000 for a, b in itertools.pairwise(ticks)) or [0.0]
    return gaps[-1], gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]


def _spin(app, seconds: float) -> None:  # noqa: ANN001
    """Process events for `seconds`."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)


def stream(quick: bool = False) -> list[Row]:
    """A 2,000-chunk reply: UI overhead vs consuming it bare, heartbeat gaps, naive per-chunk UI."""
    import tempfile

    import qasync
    from PySide6.QtWidgets import QTextEdit

    from presto_desktop.core.conversations import ConversationStore
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.ui.chat.controller import ChatController
    from tests.ui.fake_engine import FakeEngine

    app = _app()
    chunks_n = 500 if quick else 2000
    chunks = [f"word{i} " if i % 40 else f"**bold{i}**\n\n" for i in range(chunks_n)]
    delay = 0.001
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    mode = _mode()
    rows: list[Row] = []
    try:
        # 1. Bare: the same engine consumed with no UI at all.
        engine = FakeEngine(chunks, delay=delay)

        async def bare() -> str:
            return "".join(
                [e.text for e in [ev async for ev in engine.stream_chat(mode, [], "go")] if hasattr(e, "text")]
            )

        bare_ticks: list[float] = []
        bare_beat = _heartbeat(bare_ticks)
        start = time.perf_counter()
        loop.run_until_complete(bare())
        bare_s = time.perf_counter() - start
        bare_beat.stop()
        bare_max, bare_p99 = _gap_stats(bare_ticks)

        # 2. Ours: controller + panel, with a 5 ms heartbeat.
        with tempfile.TemporaryDirectory() as tmp:
            panel = _panel()
            panel.set_messages(_messages(200))
            controller = ChatController(
                FakeEngine(chunks, delay=delay), ConversationStore(AppPaths.resolve(tmp))
            )
            controller.set_mode(mode)
            controller.reply_started.connect(panel.begin_reply)
            controller.reply_delta.connect(panel.append_reply_text)
            controller.reply_finished.connect(panel.end_reply)
            controller.busy_changed.connect(panel.set_busy)
            # The history's own first paint is not part of streaming: settle it first.
            panel.repaint()
            _spin(app, 0.05)
            ticks: list[float] = []
            heartbeat = _heartbeat(ticks)
            start = time.perf_counter()
            loop.run_until_complete(controller.send("go"))
            ours_s = time.perf_counter() - start
            # Keep beating while the finished reply is committed to the history and painted.
            _spin(app, 0.06)
            heartbeat.stop()
            panel.close()
        max_gap, p99 = _gap_stats(ticks)

        # 3. Naive: a QTextEdit updated and repainted on every chunk.
        edit = QTextEdit()
        edit.resize(520, 400)
        edit.show()
        engine = FakeEngine(chunks, delay=delay)

        async def naive() -> None:
            async for event in engine.stream_chat(mode, [], "go"):
                if hasattr(event, "text"):
                    edit.insertPlainText(event.text)
                    edit.repaint()

        start = time.perf_counter()
        loop.run_until_complete(naive())
        naive_s = time.perf_counter() - start
        edit.close()
        rows += [
            (f"stream_{chunks_n}_bare", _ms(bare_s), "ms"),
            (f"stream_{chunks_n}_ui", _ms(ours_s), "ms"),
            (f"stream_{chunks_n}_overhead", round(ours_s / bare_s, 3), "x"),
            (f"stream_{chunks_n}_naive_overhead", round(naive_s / bare_s, 3), "x"),
            ("stream_heartbeat_max_gap", round(max_gap, 2), "ms"),
            ("stream_heartbeat_p99_gap", round(p99, 2), "ms"),
            # The same heartbeat while the stream is consumed with no UI: this machine's floor.
            ("stream_heartbeat_bare_max_gap", round(bare_max, 2), "ms"),
            ("stream_heartbeat_bare_p99_gap", round(bare_p99, 2), "ms"),
        ]
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return rows


def hostile(quick: bool = False) -> list[Row]:
    """Worst time to lay out hostile Markdown (nested tables, 5,000-row table, 1 MB line) in a bubble."""
    from presto_desktop.ui.chat.markdown import SafeTextDocument

    _app()
    cases = {
        "nested30": "\n".join(("> " * k) + "| a | b |\n" + ("> " * k) + "|---|---|" for k in range(1, 31)),
        "table5000": "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 5000,
        "line1mb": "x" * 1_000_000,
        "images": "![x](file:///etc/passwd) " * 200,
    }
    worst = 0.0
    for text in cases.values():
        start = time.perf_counter()
        doc = SafeTextDocument()
        doc.set_safe_markdown(text)
        doc.setTextWidth(400)
        doc.size()
        worst = max(worst, time.perf_counter() - start)
    return [("chat_hostile_markdown_worst", _ms(worst), "ms")]


def run(quick: bool = False) -> list[Row]:
    """All chat figures."""
    return history(quick) + stream(quick) + hostile(quick)


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(name, value, unit)
