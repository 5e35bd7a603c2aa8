"""'Use our logo' in the window: drop a logo on the header or a library row, or pick one.

The More menu's brand section has "Use our logo…" and "Remove logo". The file is checked,
its colour found and the mode saved on a worker thread (session/brand.py; Pillow is imported
there only); the GUI thread then applies the saved mode, which restyles the window like any
switch. A refused file is one line in the notice bar; the mode is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from presto_desktop.core.errors import PrestoError
from presto_desktop.session.brand import brand_from_file, has_logo, remove_logo
from presto_desktop.ui.common.drops import dropped_logo, mark_drop_target

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from presto_desktop.core.models import Mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.ui.dialogs.library import LibraryDialog
    from presto_desktop.ui.shell.generated_wiring import GeneratedEmblems
    from presto_desktop.ui.shell.imagery_wiring import ImageryWiring
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager

LOGO_NOTICE = "logo"
LOGO_FILTER = "Logos (*.png *.jpg *.jpeg *.svg);;All files (*)"
_DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


class BrandWiring(QObject):
    """Owns the logo drop targets, the brand menu actions and the worker they run on."""

    done = Signal(object, object)  # (saved Mode | None, one-line problem | None), from the worker
    imagery: ImageryWiring  # the dashboard's backdrop (built beside it by build_brand)
    generated: GeneratedEmblems  # the image model's marks (likewise)

    def __init__(self, window: MainWindow, modes: ModeController, store: ModeStore) -> None:
        super().__init__(window)
        self._window, self._modes, self._store = window, modes, store
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="presto-logo")
        self._library: LibraryDialog | None = None
        self.pending = 0  # jobs on the worker (tests wait for 0)
        self.done.connect(self._finished)
        header = window.header
        header.setAcceptDrops(True)
        header.installEventFilter(self)
        menu = window.app_menu
        self.use_action: QAction = menu.add("brand", "Use our logo…", self.pick, name="useLogo")
        self.remove_action: QAction = menu.add("brand", "Remove logo", self.remove,
                                               name="removeLogo")
        modes.mode_changed.connect(self._mode_changed)
        window.library_opened.connect(self._library_opened)
        window.destroyed.connect(lambda: self._worker.shutdown(wait=False))
        # Not modes.current: read before the start-up's apply, it would pin the default mode.
        self.remove_action.setEnabled(False)

    # -- intents ---------------------------------------------------------------------------------
    def pick(self, path: str | None = None) -> None:
        """"Use our logo…": ask for a file (or use `path`) for the current mode."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self._window, "Use our logo", "", LOGO_FILTER)
            if not path:
                return
        self.use_logo(self._modes.current.id, path)

    def use_logo(self, mode_id: str, path: str) -> None:
        """Brand `mode_id` with the logo at `path` off the GUI thread, then apply it."""
        self._run(lambda: brand_from_file(self._store, mode_id, Path(path)),
                  "Logo not used")

    def remove(self) -> None:
        """"Remove logo": the current mode's drawn emblem and earlier palette again."""
        mode_id = self._modes.current.id
        self._run(lambda: remove_logo(self._store, mode_id), "Logo not removed")

    # -- the worker ------------------------------------------------------------------------------
    def _run(self, job: Callable[[], Mode], failure: str) -> None:
        self.pending += 1

        def work() -> None:
            try:
                self.done.emit(job(), None)
            except (PrestoError, OSError, ValueError) as exc:
                text = " ".join(str(exc).split()) or type(exc).__name__
                self.done.emit(None, f"{failure}: {text}")

        self._worker.submit(work)

    def _finished(self, mode: Mode | None, problem: str | None) -> None:
        """Back on the GUI thread: apply the saved mode, or say in one line why not."""
        self.pending -= 1
        bar = self._window.notice_bar
        if mode is None:
            line = problem or "Logo not used"
            bar.show_notice(LOGO_NOTICE, line, "Dismiss", lambda: bar.clear(LOGO_NOTICE))
            if self._library is not None:
                self._library.show_message(line, error=True)
            return
        bar.clear(LOGO_NOTICE)
        self._modes.apply(mode)
        if self._library is not None:
            self._library.reload()
            self._library.select(mode.id)
            self._library.show_message(f"{mode.company_name} now shows its logo." if has_logo(mode)
                                       else f"{mode.company_name} shows its drawn emblem again.")

    # -- drop targets ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The header: highlighted while a logo file hovers; a drop brands the current mode."""
        kind = event.type()
        if kind in _DRAGS and isinstance(event, QDragMoveEvent):
            ok = dropped_logo(event.mimeData()) is not None
            mark_drop_target(self._window.header, ok)
            if ok:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.DragLeave:
            mark_drop_target(self._window.header, False)
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            mark_drop_target(self._window.header, False)
            path = dropped_logo(event.mimeData())
            if path is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            self.use_logo(self._modes.current.id, path)
            return True
        return False

    def _library_opened(self, dialog: LibraryDialog) -> None:
        from presto_desktop.ui.dialogs.library_drop import LibraryDrop  # with the dialog

        self._library = dialog
        LibraryDrop(dialog).dropped.connect(self.use_logo)
        dialog.destroyed.connect(self._library_closed)

    def _library_closed(self) -> None:
        self._library = None

    def _mode_changed(self, mode: Mode) -> None:
        self.remove_action.setEnabled(has_logo(mode))


class BrandHost(Protocol):
    """What the brand kit needs from the composition root."""

    window: MainWindow
    modes: ModeController
    store: ModeStore
    theme: ThemeManager
    settings: Settings
    paths: AppPaths
    engine: Engine


def build_brand(host: BrandHost) -> BrandWiring:
    """The window's logo drop targets, brand menu actions, hero imagery, generated emblems."""
    from presto_desktop.core.generated_images import GeneratedImages
    from presto_desktop.ui.shell.generated_wiring import GeneratedEmblems
    from presto_desktop.ui.shell.imagery_wiring import ImageryWiring
    from presto_desktop.ui.shell.mark_wiring import wire_library_marks

    window, modes = host.window, host.modes
    brand = BrandWiring(window, modes, host.store)
    brand.imagery = ImageryWiring(window, modes, host.theme, lambda: host.settings)
    images = GeneratedImages(host.paths.images_dir)
    generated = GeneratedEmblems(window.header.emblem, images,
                                 engine=lambda: host.engine, settings=lambda: host.settings)
    wire_library_marks(window, generated, images, lambda: host.settings)
    modes.mode_changed.connect(generated.show)
    window.settings_changed.connect(lambda new: generated.show(modes.current, new))
    brand.generated = generated
    return brand
