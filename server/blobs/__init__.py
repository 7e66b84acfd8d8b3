"""Photos and drawings, stored by the SHA-256 of their bytes."""
