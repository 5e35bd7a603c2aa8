"""Small Qt helpers that every feature package uses and that know no feature.

Safe text for places where Qt guesses rich text, routing of Qt's own log messages, and the one
scheduler of a mode change's steps (`mode_change.ModeChange`), which the theme's restyle and
the shell's content updates share; what a drag carries (`drops`, a logo file).
"""
