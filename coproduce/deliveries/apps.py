from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    """Deliveries to households in quarantine (PRODUCT.md 3.6)."""

    name = "coproduce.deliveries"
    label = "deliveries"
    verbose_name = "Deliveries"
