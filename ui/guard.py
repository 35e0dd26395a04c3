"""Who may talk to the web server: the Host allow-list and the cross-origin policy.

A server bound to 127.0.0.1 is still reachable from any web page the user opens, through DNS
rebinding (a hostile name resolving to 127.0.0.1: the browser sends `Host: evil.example`) or a
cross-origin request. So every request must name an allowed host, and a request that carries an
`Origin` from elsewhere is refused (state-changing methods and preflights) or gets no
`Access-Control-Allow-*` headers (reads): no permissive CORS is ever sent.

Allowed hosts: loopback names, the address the server is bound to (if not a wildcard), and the
comma-separated names in PLANQA_ALLOWED_HOSTS (e.g. the public name of a reverse proxy).
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

MAX_BODY_BYTES = 64 * 1024  # /api/ask: a question and two options need far less
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(bound: str | None = None) -> set[str]:
    hosts = set(LOOPBACK_HOSTS)
    if bound and bound.strip("[]") not in _WILDCARDS:
        hosts.add(bound.strip("[]").lower())
    extra = os.environ.get("PLANQA_ALLOWED_HOSTS", "")
    hosts |= {h.strip().lower() for h in extra.split(",") if h.strip()}
    return hosts


def host_name(value: str) -> str:
    """`example.org:7860` → `example.org`; `[::1]:7860` → `::1`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """ASGI middleware: 400 for a Host outside the allow-list, 403 for a foreign-Origin write or
    preflight, and CORS headers stripped from responses to foreign origins."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if host_name(headers.get("host", "")) not in self.hosts:
            await _refuse(scope, send, 400, "Host 不在允许列表中（PLANQA_ALLOWED_HOSTS）")
            return
        origin = headers.get("origin")
        foreign = origin is not None and host_name(urlsplit(origin).netloc) not in self.hosts
        if foreign and (scope["type"] == "websocket" or scope.get("method", "GET") in _UNSAFE_METHODS):
            await _refuse(scope, send, 403, "不接受来自其他网站的请求")
            return
        if not foreign:
            await self.app(scope, receive, send)
            return

        async def send_without_cors(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if not k.lower().startswith(b"access-control-")]
            await send(message)

        await self.app(scope, receive, send_without_cors)


async def _refuse(scope: Scope, send: Any, status: int, message: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
