"""Presto-Change-O Desktop: a chat assistant that turns itself into any business's assistant."""

__version__ = "0.1.0"
