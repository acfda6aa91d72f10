"""A push service of our own for the push tests: a small HTTP server that records what a real
one (FCM, Mozilla's, Apple's) would receive, and a browser subscribed to it."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.factories import PushSubscriptionFactory, browser_push_keys


@dataclass
class PushService:
    origin: str
    answers: list[int] = field(default_factory=list)  # status per request, then 201
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService(origin="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.received.append({"path": self.path, "headers": self.headers, "body": body})
            status = service.answers.pop(0) if service.answers else 201
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", f"{service.origin}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def browser(user: Any, service: PushService, name: str = "abc") -> tuple[Any, Any, bytes]:
    key, p256dh, secret, auth = browser_push_keys()
    subscription = PushSubscriptionFactory(
        user=user, endpoint=f"{service.origin}/wpush/{name}", p256dh=p256dh, auth=auth
    )
    return subscription, key, secret
