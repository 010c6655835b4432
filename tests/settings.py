"""Test settings: the real settings module, with a test flag and a fast password hasher."""

import os

os.environ.setdefault("ZHENXING_TESTING", "1")

from zhenxing.settings import *  # noqa: F403

# Hashing with PBKDF2 costs ~0.2 s per login; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# A fixed test key: tests must never depend on a developer's or CI's environment.
DATA_KEY = "dGVzdC1vbmx5LWtleS10ZXN0LW9ubHkta2V5LTMyYiE="
WHITENOISE_AUTOREFRESH = True

# Jobs' progress and cancel requests, and uploads waiting for the worker, stay out of var/:
# a flag left by a test must never reach a demo run that later gets the same id.
import tempfile  # noqa: E402

_TEST_VAR = tempfile.mkdtemp(prefix="zx-test-")
CACHES["jobs"]["LOCATION"] = os.path.join(_TEST_VAR, "jobs")  # noqa: F405
IMPORT_DIR = os.path.join(_TEST_VAR, "imports")
MEDIA_ROOT = os.path.join(_TEST_VAR, "media")

# The suite's commits (browser and transaction tests) need not wait for the disk: a crash would
# lose a test database, never data. Per connection, so the server's own settings stay as they are.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
