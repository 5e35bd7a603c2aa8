"""The image model's marks beyond the header: the library's rows and its Export (one file).

The header shows a generated mark (ui/shell/generated_wiring.py); the library lists the marks
shown this session (held in memory: a row never reads the image cache) and its Export embeds
the mark the mode shows as `brand.mark` (core/brand_mark.py), like `modes export`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presto_desktop.core.generated_images import GeneratedImages
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.dialogs.library import LibraryDialog
    from presto_desktop.ui.shell.generated_wiring import GeneratedEmblems
    from presto_desktop.ui.shell.window import MainWindow


def wire_library_marks(window: MainWindow, generated: GeneratedEmblems, images: GeneratedImages,
                       settings: Callable[[], Settings]) -> None:
    """Each library opened shows the generated marks and exports one-file bundles."""
    from presto_desktop.core.brand_mark import bundled

    def share(mode: Mode) -> Mode:
        # Export is a click after a file dialog: reading the cached image here is acceptable.
        return bundled(mode, images, settings())

    def opened(dialog: LibraryDialog) -> None:
        dialog.use_generated(generated.marks, share)
        # A slot of the dialog: Qt drops the connection when the dialog is deleted.
        generated.mark_changed.connect(dialog.refresh_mark)

    window.library_opened.connect(opened)

