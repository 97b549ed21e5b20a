from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kawal.events"
    label = "events"
