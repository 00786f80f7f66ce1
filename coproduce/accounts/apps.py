from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
