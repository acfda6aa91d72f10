"""Django's session middleware, except that a request carrying a session key that no longer
exists leaves the browser's cookie alone unless the request itself emptied the session.

A sign-in step (the second factor, a passkey) rotates the session key. A request still carrying
the old key (a service worker's update check, another tab) found no session, and Django answered
it with a deletion of the session cookie, which overwrote the new cookie and signed the person
out a moment after they had signed in. Signing out (`flush`, which marks the session modified)
still deletes the cookie; a dead key left in the browser is simply an anonymous visitor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        stale_read = (
            session is not None
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and session.is_empty()
            and not session.modified
        )
        if stale_read:
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
