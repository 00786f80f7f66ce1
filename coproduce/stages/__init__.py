"""Response stages (PRODUCT.md; issue 16)."""
