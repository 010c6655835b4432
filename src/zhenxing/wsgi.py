"""WSGI entry point for production servers (gunicorn, uWSGI, waitress)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenxing.settings")
application = get_wsgi_application()

# Load the URL configuration, and with it every view, form and table module, then move all
# that start-up built out of the garbage collector's reach (gc.freeze): a full collection
# otherwise walks those objects again and again, and adds up to ~150 ms to whichever request
# it lands in (make bench-pages' p95 on the party pages). Under a pre-forking server with the
# app preloaded, the frozen objects also stay shared between the workers' pages.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.collect()
gc.freeze()
