"""Demo scripts in the window: the Qt half of session.demo_stepper (docs/DEMO_SCRIPTS.md).

It owns `controller.DemoController` (the stepper's timers, its typing animation and the
DemoState signal the presenter console listens to), `typing.TypingAnimation` (a `say` typed
into the composer), `keys.StepKeys` (the clicker's →, PageDown and Space) and `idle.IdleWatch`
(the kiosk's idle timer). It knows nothing of the chat or the dashboard: what it needs of the
window is the `DemoWindow` protocol, which the shell implements (ui/shell/demo_wiring.py).
"""
