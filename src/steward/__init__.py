"""Steward: keeps an event-driven system's dependencies current, safe and understood."""

__version__ = "0.1.0"
