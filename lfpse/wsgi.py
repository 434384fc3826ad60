import gc
import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lfpse.settings.production")
application = get_wsgi_application()

# A web process's threads share the interpreter lock. A page that waits on the database waits again for
# the lock after each answer, while threads computing (API submissions) keep it for the whole switch
# interval: a form page of a dozen statements queued a dozen times behind them (docs/adr/0022).
sys.setswitchinterval(settings.WEB_THREAD_SWITCH_INTERVAL_MS / 1000)

# Loaded before this process accepts a connection, not by its first requests (lfpse/warmup.py).
if settings.WARM_UP_ON_START:
    from lfpse import warmup

    warmup.web()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: move it out of
# the collector's generations so that full collections during requests do not walk it every time.
gc.freeze()
