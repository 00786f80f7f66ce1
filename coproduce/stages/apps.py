from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "coproduce.stages"
    label = "stages"
    verbose_name = "Response stages"

    def ready(self) -> None:
        # The home page (accounts, a lower app) asks which modules come first in this stage.
        from coproduce.accounts.signals import home_modules_ordering
        from coproduce.stages import receivers

        home_modules_ordering.connect(receivers.on_home_modules, dispatch_uid="stages-home")
