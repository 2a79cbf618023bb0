from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gonghui.people"
    label = "people"
