"""Dashboards (PRODUCT.md; issue 16)."""
