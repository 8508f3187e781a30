"""The services, where they live (environment overrides) and how politely to ask them."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from readinglist.errors import ReadingListError

OFFLINE_VAR = "READINGLIST_OFFLINE"


@dataclass(frozen=True)
class Service:
    """One web service: its `--source` name, how it is named to the user, its base URL."""

    name: str
    label: str
    env_var: str
    default_url: str
    pace: float  # seconds between two requests, from the service's terms


SERVICES: dict[str, Service] = {
    s.name: s
    for s in (
        Service("hf", "Hugging Face", "READINGLIST_HF_URL", "https://huggingface.co", 0.6),
        Service("arxiv", "arXiv", "READINGLIST_ARXIV_URL", "https://export.arxiv.org", 3.0),
        Service(
            "crossref", "Crossref", "READINGLIST_CROSSREF_URL", "https://api.crossref.org", 0.2
        ),
        Service(
            "s2", "Semantic Scholar", "READINGLIST_S2_URL", "https://api.semanticscholar.org", 1.0
        ),
        Service(
            "openalex", "OpenAlex", "READINGLIST_OPENALEX_URL", "https://api.openalex.org", 0.1
        ),
        Service("dblp", "DBLP", "READINGLIST_DBLP_URL", "https://dblp.org", 1.0),
    )
}
DEFAULT_SOURCES = ("hf", "arxiv", "crossref")
ASKED = ("hf", "arxiv", "crossref", "s2")  # the others are named, and not asked yet


def base_url(service: str) -> str:
    """The service's base URL: its environment variable, else the public address."""
    spec = SERVICES[service]
    raw = os.environ.get(spec.env_var, "").strip()
    if not raw:
        return spec.default_url
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReadingListError(f"{spec.env_var}={raw!r}: expected scheme://host[:port][/prefix]")
    return raw.rstrip("/")


def is_loopback(url: str) -> bool:
    """Whether `url` points at this machine (a local test server or mirror)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def offline_from_env() -> bool:
    """`READINGLIST_OFFLINE` set to anything but empty or `0`."""
    return os.environ.get(OFFLINE_VAR, "").strip() not in ("", "0")


def parse_sources(text: str) -> tuple[str, ...]:
    """`hf,arxiv` -> ("hf", "arxiv"); raises ReadingListError naming an unknown source."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in SERVICES]
    if unknown or not names:
        raise ReadingListError(
            f"--source {text!r}: choose from {', '.join(SERVICES)} (comma-separated)"
        )
    return names


@dataclass(frozen=True)
class Settings:
    """How every request is made. Values below a service's terms apply only to loopback hosts."""

    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0  # first wait before a retry; doubles each time
    backoff_cap: float = 30.0  # longest wait; a Retry-After above it fails this run
    max_bytes: int = 20 * 1024 * 1024
    pace: dict[str, float] = field(default_factory=dict)  # per service, overriding SERVICES
    contact: str | None = None
    offline: bool = False
    hf_token: str | None = None
    s2_key: str | None = None

    def pace_for(self, service: str, url: str) -> float:
        """Seconds between two requests to `service`: the terms' pace, or less on loopback."""
        terms = SERVICES[service].pace
        chosen = self.pace.get(service, terms)
        return chosen if is_loopback(url) else max(chosen, terms)

    def timeout_for(self, url: str) -> float:
        return self.timeout if is_loopback(url) else max(self.timeout, 1.0)

    def backoff_for(self, url: str) -> float:
        return self.backoff if is_loopback(url) else max(self.backoff, 1.0)


SETTING_KEYS = ("contact", "timeout", "retries", "backoff", "backoff_cap", "pace")


def settings_from(stored: dict, *, offline: bool = False) -> Settings:
    """Settings from a library's stored settings and the environment.

    Stored values of the wrong type are ignored (the defaults stand).
    """
    values: dict = {}
    for key in ("timeout", "backoff", "backoff_cap"):
        if _positive_number(stored.get(key)):
            values[key] = float(stored[key])
    retries = stored.get("retries")
    if type(retries) is int and 0 <= retries <= 10:
        values["retries"] = retries
    pace = stored.get("pace")
    if isinstance(pace, dict):
        values["pace"] = {
            k: float(v) for k, v in pace.items() if k in SERVICES and _number(v) and v >= 0
        }
    contact = stored.get("contact")
    if isinstance(contact, str) and "@" in contact and contact.isprintable():
        values["contact"] = contact.strip()
    return Settings(
        **values,
        offline=offline or offline_from_env(),
        hf_token=os.environ.get("HF_TOKEN") or None,
        s2_key=os.environ.get("READINGLIST_S2_KEY") or None,
    )


def with_offline(settings: Settings, offline: bool) -> Settings:
    return replace(settings, offline=settings.offline or offline)


def _number(value) -> bool:
    return type(value) in (int, float) and value == value and value not in (float("inf"),)


def _positive_number(value) -> bool:
    return _number(value) and value > 0


def parse_setting(key: str, text: str):
    """The stored value for `readinglist config KEY VALUE`; ValueError when it is unusable."""
    text = text.strip()
    if key == "contact":
        if "@" not in text or not text.isprintable() or " " in text:
            raise ValueError(f"{text!r}: expected an email address")
        return text
    if key == "retries":
        if not text.isdigit() or int(text) > 10:
            raise ValueError(f"{text!r}: expected a whole number from 0 to 10")
        return int(text)
    if key == "pace":
        return _parse_pace(text)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not _positive_number(value):
        raise ValueError(f"{text!r}: expected a number of seconds above 0")
    return value


def _parse_pace(text: str) -> dict[str, float]:
    """`arxiv=3,crossref=0.2` -> {"arxiv": 3.0, "crossref": 0.2}."""
    pace = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, seconds = part.partition("=")
        try:
            value = float(seconds)
        except ValueError:
            value = -1.0
        if name.strip() not in SERVICES or not _number(value) or value < 0:
            raise ValueError(f"{part!r}: expected SERVICE=SECONDS, e.g. arxiv=3")
        pace[name.strip()] = value
    return pace
