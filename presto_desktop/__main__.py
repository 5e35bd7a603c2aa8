"""Entry point for `python -m presto_desktop`."""

from presto_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
