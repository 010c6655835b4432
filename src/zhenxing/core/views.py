"""Former home of the shared view helpers, now in :mod:`zhenxing.core.web.views` (the kernel).

Kept only while the apps move onto the kernel's classes; new code imports from core.web.
"""

from zhenxing.core.web.views import (
    add_domain_error,
    ancestors_in_scope,
    paginate,
    perform,
    raise_http,
    region_for,
)

__all__ = [
    "add_domain_error",
    "ancestors_in_scope",
    "paginate",
    "perform",
    "raise_http",
    "region_for",
]
