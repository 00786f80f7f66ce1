from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "coproduce.timebank"
    label = "timebank"
    verbose_name = "Voluntary Bank"

    def ready(self) -> None:
        # The volunteers app sits below this one: it signals a confirmed (or voided) service
        # record and the bank posts (or reverses) the earned hours in the same transaction.
        from coproduce.timebank import receivers
        from coproduce.volunteers.signals import service_record_confirmed, service_record_voided

        service_record_confirmed.connect(receivers.on_record_confirmed, dispatch_uid="tb-earn")
        service_record_voided.connect(receivers.on_record_voided, dispatch_uid="tb-void")
