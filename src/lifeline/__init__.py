"""Lifeline: case management for networks that rescue people from scam compounds."""

__version__ = "0.1.0"
