"""Qt-free async engines behind one protocol (see base.Engine)."""
