"""The theme: a mode's palette turned into Qt colours, the QSS stylesheet and tinted icons.

`manager.ThemeManager` is the one owner of the stylesheet and emits the one theme-changed
signal; `restyle` applies a new stylesheet root by root as steps of the mode change; `colors`
maps palette roles to QColor and `icons` tints the bundled SVG icons.
"""
