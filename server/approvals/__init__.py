"""Approvals tied to their subjects, and escalations of what passed its deadline."""
