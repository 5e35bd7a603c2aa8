"""The theme: a mode's palette turned into Qt colours, the main window's look, the dialogs' QSS and tinted icons.

`manager.ThemeManager` is the one owner of the theme and emits the one theme-changed signal;
`look` paints the main window's parts from the palette's colours (`look_rules` says how each
looks); `restyle` puts the look on the window's style roots and the sheet on its dialogs, and
repaints unit by unit as steps of the mode change; `colors` maps palette roles to QColor and
`icons` tints the bundled SVG icons.
"""
