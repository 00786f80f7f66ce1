"""Enterprise recovery (PRODUCT.md; issue 13)."""
