"""Authoring the course: ``release`` writes exercises from solutions; ``build`` re-executes notebooks deterministically."""
