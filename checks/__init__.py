"""Seed: consistency checks for indicator datasets built from planning documents."""

__version__ = "0.1.0"
