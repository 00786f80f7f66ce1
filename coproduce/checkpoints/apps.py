from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "coproduce.checkpoints"
    label = "checkpoints"
    verbose_name = "Checkpoints and place codes"
