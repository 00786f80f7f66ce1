from django.apps import AppConfig


class ReliefConfig(AppConfig):
    """Donations, supplies and the quick-response allocation (PRODUCT.md 3.6)."""

    name = "coproduce.relief"
    label = "relief"
    verbose_name = "Donations and supplies"
