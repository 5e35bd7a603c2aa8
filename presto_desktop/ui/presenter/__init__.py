"""Presenter mode: the audience window and the presenter console (README "Giving a demo").

It owns the console (console.py: a top-level window that renders the DemoState snapshots the
demo stepper publishes and emits its intents), presenter mode itself (mode.py: the main
window made clean, larger and full screen, errors routed to the console, everything restored
on leaving) and the Qt-free choice of screens and the timer's text (placement.py). The shell
connects it to the window and the More menu (ui/shell/presenter_wiring.py).
"""
