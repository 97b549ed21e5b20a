import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.settings")
django_application = get_wsgi_application()

# Personal check-in links take a fast lane around the middleware (see kawal/events/fastpath.py).
from kawal.events.fastpath import CheckinFastPath  # noqa: E402 - needs Django set up first

application = CheckinFastPath(django_application)
