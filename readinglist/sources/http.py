"""GET requests to the services: pace per host, retries with back-off, a size cap, a cache.

Offline, no connection is ever opened: answers come from the cache or not at all.
"""

from __future__ import annotations

import email.utils
import functools
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx

from readinglist import __version__
from readinglist.sources.cache import ResponseCache
from readinglist.sources.config import SERVICES, Settings, base_url
from readinglist.sources.errors import SourceError

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_RATELIMIT_RESET = re.compile(r"\bt=(\d+)")


@dataclass(frozen=True)
class Answer:
    """A service's answer: status, body, content type, and whether it came from the cache."""

    status: int
    body: bytes
    content_type: str
    cached: bool = False

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _HostGate:
    """One request at a time to a host, each at least `pace` seconds after the last ended."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_end = float("-inf")

    def wait(self, pace: float) -> None:
        delay = self.last_end + pace - time.monotonic()
        if delay > 0:
            time.sleep(delay)


_GATES: dict[str, _HostGate] = {}
_GATES_LOCK = threading.Lock()


def _gate(url: str) -> _HostGate:
    host = urlsplit(url).netloc.lower()
    with _GATES_LOCK:
        return _GATES.setdefault(host, _HostGate())


def user_agent(contact: str | None) -> str:
    """readinglist/VERSION, plus `mailto:` the user's address (Crossref's polite pool)."""
    agent = f"readinglist/{__version__} (+https://pypi.org/project/readinglist/"
    return agent + (f"; mailto:{contact})" if contact else ")")


class Client:
    """Asks the services; shared by every lookup of one run (or of one app worker)."""

    def __init__(
        self,
        settings: Settings,
        cache: ResponseCache | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self._transport = transport
        self._http: httpx.Client | None = None
        self.requests = 0  # sent over the network
        self.cache_hits = 0

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(
        self,
        service: str,
        path: str,
        params: dict | None = None,
        keep: Callable[[Answer], bool] | None = None,
    ) -> Answer:
        """GET base URL + `path` (+ query): the cache's answer offline, the network's online.

        `keep`: whether an answer is worth saving (default: any 200 or 404).
        """
        url = base_url(service) + path
        if params:
            url += "?" + urlencode(params)
        label = SERVICES[service].label
        cached = self.cache.get(url, fresh=not self.settings.offline) if self.cache else None
        if cached is not None:
            self.cache_hits += 1
            return cached
        if self.settings.offline:
            raise SourceError(label, "offline", "offline, and no answer saved from an earlier run")
        answer = self._fetch(service, url, label)
        worth = keep(answer) if keep else answer.status in (200, 404)
        if self.cache is not None and worth:
            self.cache.put(url, answer)
        return answer

    # ----- the network ---------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                transport=self._transport,
                verify=_tls_context(),
                follow_redirects=True,
                max_redirects=5,
                limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
            )
        return self._http

    def _headers(self, service: str) -> dict[str, str]:
        headers = {"User-Agent": user_agent(self.settings.contact), "Accept-Encoding": "gzip"}
        if service == "hf" and self.settings.hf_token:
            headers["Authorization"] = f"Bearer {self.settings.hf_token}"
        if service == "s2" and self.settings.s2_key:
            headers["x-api-key"] = self.settings.s2_key
        return headers

    def _fetch(self, service: str, url: str, label: str) -> Answer:
        settings = self.settings
        gate, pace = _gate(url), settings.pace_for(service, url)
        attempt = 0
        while True:
            with gate.lock:
                gate.wait(pace)
                try:
                    outcome = self._once(service, url, label)
                finally:
                    gate.last_end = time.monotonic()
            if isinstance(outcome, Answer):
                return outcome
            error, wait = outcome
            if attempt >= settings.retries:
                raise error
            if wait is not None and wait > settings.backoff_cap:
                raise SourceError(
                    label,
                    error.kind,
                    f"{error.detail}; asked to wait {wait:.0f} s, more than the"
                    f" {settings.backoff_cap:g} s cap: try again later",
                )
            if wait is None:
                wait = min(settings.backoff_for(url) * 2**attempt, settings.backoff_cap)
            attempt += 1
            time.sleep(wait)

    def _once(
        self, service: str, url: str, label: str
    ) -> Answer | tuple[SourceError, float | None]:
        """One request: an answer, or a retryable error with the wait the service asked for."""
        timeout = self.settings.timeout_for(url)
        try:
            self.requests += 1
            with self._client().stream(
                "GET", url, headers=self._headers(service), timeout=timeout
            ) as response:
                if response.status_code in RETRY_STATUSES:
                    response.close()
                    return _busy(label, response), retry_after(response.headers)
                body = _read_capped(response, self.settings.max_bytes, label)
                kind = response.headers.get("content-type", "")
                return Answer(response.status_code, body, kind)
        except httpx.TimeoutException:
            return SourceError(label, "timeout", f"timeout after {timeout:g} s"), None
        except httpx.RemoteProtocolError:
            return SourceError(label, "incomplete", "the answer was cut off"), None
        except httpx.TooManyRedirects:
            raise SourceError(label, "redirects", "too many redirects") from None
        except httpx.TransportError as exc:
            return SourceError(label, "connection", f"cannot connect: {_reason(exc)}"), None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle is slow (README, Performance)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _busy(label: str, response: httpx.Response) -> SourceError:
    if response.status_code == 429:
        return SourceError(label, "rate-limited", "rate limit reached (HTTP 429)")
    return SourceError(label, "busy", f"service unavailable (HTTP {response.status_code})")


def _read_capped(response: httpx.Response, cap: int, label: str) -> bytes:
    too_big = SourceError(label, "too-large", f"answer larger than {cap // 1024} KiB")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_big
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the service asks to wait: `Retry-After` (seconds or a date), or HF's `RateLimit`."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - time.time())
    match = _RATELIMIT_RESET.search(headers.get("ratelimit", ""))
    return float(match[1]) if match else None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]
