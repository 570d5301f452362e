"""WSGI entry point (gunicorn liaocheng_air.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaocheng_air.settings")
application = get_wsgi_application()
