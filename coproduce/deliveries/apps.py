from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    """Deliveries to households in quarantine (PRODUCT.md 3.6)."""

    name = "coproduce.deliveries"
    label = "deliveries"
    verbose_name = "Deliveries"

    def ready(self):
        from coproduce.deliveries.receivers import service_record_for_run
        from coproduce.deliveries.signals import delivery_run_completed

        delivery_run_completed.connect(
            service_record_for_run, dispatch_uid="deliveries.service_record"
        )
