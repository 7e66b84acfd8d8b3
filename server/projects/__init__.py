"""Projects and who holds which roles in them."""
