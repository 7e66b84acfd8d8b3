"""Residents' personal data: who was shown it, data requests, and how long it is kept."""
