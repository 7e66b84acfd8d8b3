"""Printed labels: short codes a person can type, and A4 sheets of QR labels per section."""
