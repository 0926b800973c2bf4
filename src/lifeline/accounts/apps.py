from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lifeline.accounts"
    label = "accounts"
