"""Sessions kept in the database and read from the Redis cache only when its copy is the latest
(docs/adr/0022, amended: the lost draft).

Django's `cached_db` sessions write the database and then the cache, and read the cache first. When a
cache write is lost (Redis down, so ResilientRedisCache skips it; a time-out; a restart that drops the
last second of its append-only file) and Redis then comes back with the copy it had before, the cache
answers with that older copy, and goes on answering with it: an anonymous recorder's draft started
meanwhile is no longer in "their" session and answers 404.

So every save stamps the session with a new random value, kept in the session's data (database and
cache alike) and given to the browser in a second cookie. A cached copy is used only when its stamp is
the one the browser holds; any other copy (older, or none) is read from the database, which always has
the latest, and the cache is written again from it.

Signing out while Redis is unreachable deletes the database row but cannot delete the cached copy, and
Redis may come back from its file with it: whoever still held the old cookies would be signed in by it
until it expired. So a sign-out that could not remove the copy ends every session of the user
(`flush`), which makes the copy worthless without a read on every request.

A browser with the session's cookie but no stamp is read as cached_db reads it, and given the stamp of
the copy it was read from. Every save under this code gives the stamp in the same answer as the
session's cookie, so that is only a session saved before it, or a test client's force_login; a session
saved while Redis was away has given its browser the new stamp.
"""

from __future__ import annotations

import secrets
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.http import http_date

STAMP = "_session_stamp"  # in the session's data
STAMP_COOKIE = "sessionstamp"


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None, stamp: str | None = None):
        self.stamp = stamp  # the stamp of the copy the browser was last given
        self.stamp_changed = False  # the browser must be given self.stamp
        self.copy_left = False  # a delete could not remove the cached copy
        super().__init__(session_key)

    def _hold(self, stamp: str | None) -> None:
        if stamp != self.stamp:
            self.stamp, self.stamp_changed = stamp, True

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - as Django's cached_db: a cache that cannot be read is a miss
            data = None
        if data is not None and (self.stamp is None or data.get(STAMP) == self.stamp):
            self._hold(data.get(STAMP))
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._hold(data.get(STAMP))
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()  # which saves with must_create, stamping then
        data = self._get_session(no_load=must_create)
        data[STAMP] = secrets.token_urlsafe(12)
        self._hold(data[STAMP])
        super().save(must_create)  # the database, then the cache (a failed cache write is skipped)

    def delete(self, session_key=None) -> None:
        """cached_db's delete, remembering whether the cached copy could be removed."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        DBStore.delete(self, session_key)
        cache_key = self.cache_key_prefix + session_key
        delete_reached = getattr(self._cache, "delete_reached", None)
        if delete_reached is None:
            self._cache.delete(cache_key)
        elif not delete_reached(cache_key):
            self.copy_left = True

    def flush(self) -> None:
        """Signing out. If the cached copy of a signed-in session could not be removed (Redis away), the
        cache may come back with it (from its append-only file) and the old cookies would sign in
        again from it until it expired: the user's every session is ended instead (a raised session
        epoch, part of the auth hash every signed-in request checks; accounts.services)."""
        user_id = self.get(SESSION_KEY)
        self.copy_left = False
        super().flush()
        if user_id is not None and self.copy_left:
            from accounts.services import user_end_every_session

            user_end_every_session(user_id)

    async def aload(self) -> dict:
        return await sync_to_async(self.load)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with the stamp read from its cookie and given back whenever it changed."""

    def process_request(self, request) -> None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if issubclass(self.SessionStore, SessionStore):
            request.session = self.SessionStore(key, stamp=request.COOKIES.get(STAMP_COOKIE))
        else:
            request.session = self.SessionStore(key)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        session = getattr(request, "session", None)
        if not isinstance(session, SessionStore):
            return response
        given = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if given is not None and given["max-age"] == 0:  # the session cookie was deleted: so is the stamp
            if STAMP_COOKIE in request.COOKIES:
                response.delete_cookie(
                    STAMP_COOKIE,
                    path=settings.SESSION_COOKIE_PATH,
                    domain=settings.SESSION_COOKIE_DOMAIN,
                    samesite=settings.SESSION_COOKIE_SAMESITE,
                )
            return response
        if session.stamp is None or session.session_key is None:
            return response
        if session.stamp_changed or session.stamp != request.COOKIES.get(STAMP_COOKIE):
            if session.get_expire_at_browser_close():
                max_age, expires = None, None
            else:
                max_age = session.get_expiry_age()
                expires = http_date(time.time() + max_age)
            response.set_cookie(
                STAMP_COOKIE,
                session.stamp,
                max_age=max_age,
                expires=expires,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response
