"""Care: counseling and the Voluntary Clinic (PRODUCT.md; issue 15)."""
