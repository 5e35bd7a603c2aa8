"""The shell: the main window and what frames it — header, overlay, notice bar, shortcuts.

It owns the window's layout, the first frame painted at start-up (and the shipped one for a
fresh data dir), the mode controller that adapts the session's mode service to signals, the
one-window-per-data-dir lock and the self-test. The window renders and emits intent; its
decisions are made by presto_desktop.session.presenter; what it needs of the chat column and
controller is said by the protocols in seams.py.
"""
