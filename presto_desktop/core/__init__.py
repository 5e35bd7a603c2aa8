"""Qt-free domain: models, colour maths, triggers, persona, store, paths, errors."""
