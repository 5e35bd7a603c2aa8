"""Dialogs: the mode library, Settings (with the OpenAI-compatible server form) and their warm-up.

Each dialog renders a store or settings object handed in by the composition root and emits what
the user chose; `warmup` builds them off the critical path after start-up so the first open is
instant; `spare` keeps a built Settings dialog ready for Ctrl+,.
"""
