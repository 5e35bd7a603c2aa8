"""Recorded demos in the window: the recorder fed by what the window does, the replay of a
`.presto` file into the window (no engine, no network, no key) and its offscreen pictures
(`demo play --screenshot-dir`). Wired by wiring.py from the composition root."""
