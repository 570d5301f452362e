"""The Celery application.

Configuration lives in Django settings under the ``CELERY_`` prefix, including
the beat schedule (``CELERY_BEAT_SCHEDULE``), so it is code reviewed like the
rest. Without ``CELERY_BROKER_URL`` the settings switch Celery to eager mode.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaocheng_air.settings")

app = Celery("liaocheng_air")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
