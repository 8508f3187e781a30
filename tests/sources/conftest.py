"""Every web-source test talks to a local server on 127.0.0.1, never to the internet."""

from __future__ import annotations

import pytest
from web_server import WebServer

from readinglist.sources.config import SERVICES, Settings

FAST = Settings(
    timeout=0.5,
    retries=2,
    backoff=0.01,
    backoff_cap=1.0,
    pace={name: 0.0 for name in SERVICES},
)


@pytest.fixture
def web(monkeypatch):
    """The local server, with every service's base URL pointing at it, and online."""
    server = WebServer()
    for service in SERVICES.values():
        monkeypatch.setenv(service.env_var, server.url)
    monkeypatch.delenv("READINGLIST_OFFLINE", raising=False)
    yield server
    server.close()


@pytest.fixture
def fast() -> Settings:
    """Settings with short timeouts and no pace (allowed only because the host is loopback)."""
    return FAST
