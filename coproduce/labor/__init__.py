"""Labor sharing (PRODUCT.md; issue 14)."""
