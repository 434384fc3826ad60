"""The Redis cache, tolerant of Redis being down (docs/adr/0022).

The cache holds sessions (read through to the database: `cached_db`) and rate-limit counters. When
Redis cannot be reached, a read is a miss and a write is skipped, so signed-in pages keep working from
the database and nobody is signed out; rate limits fail open for that time. The error is logged once
every 30 seconds per process, not on every call.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_LOG_EVERY = 30.0


def _tolerant(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._unreachable(method.__name__, error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _one(key, delta=1, *args, **kwargs):
    return delta  # a counter that cannot be read counts this request only: limits fail open


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _unreachable(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged > _LOG_EVERY:
            ResilientRedisCache._last_logged = now
            logger.warning("Redis cache unreachable (%s: %s): carrying on without it", operation, error)

    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    add = _tolerant(False)(RedisCache.add)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant([])(RedisCache.set_many)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(_one)(RedisCache.incr)
    clear = _tolerant(False)(RedisCache.clear)

    def delete_reached(self, key, version=None) -> bool:
        """Deletes the key as `delete` does; False when Redis could not be reached, so the key (and
        whatever it held) may still be there when Redis comes back."""
        try:
            RedisCache.delete(self, key, version=version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False
        return True
