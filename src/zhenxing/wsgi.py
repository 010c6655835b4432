"""WSGI entry point for production servers (gunicorn, uWSGI, waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenxing.settings")
application = get_wsgi_application()
