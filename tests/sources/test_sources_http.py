"""The HTTP layer over real sockets: retries, Retry-After, pace, size cap, cache, offline."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from web_server import Reply

from readinglist.sources.cache import ResponseCache
from readinglist.sources.config import Settings, base_url, settings_from
from readinglist.sources.errors import SourceError
from readinglist.sources.http import Client

PATH = "/api/papers/2503.11650"


def get(settings: Settings, path: str = PATH, cache: ResponseCache | None = None):
    with Client(settings, cache) as client:
        return client.get("hf", path), client


def test_a_plain_answer_with_user_agent_and_contact(web, fast):
    web.route(PATH, Reply(200, {"id": "2503.11650"}))
    answer, client = get(replace(fast, contact="me@example.org"))
    assert answer.status == 200 and json.loads(answer.body) == {"id": "2503.11650"}
    agent = web.seen[0].headers["User-Agent"]
    assert agent.startswith("readinglist/0.") and "mailto:me@example.org" in agent
    assert "Authorization" not in web.seen[0].headers


def test_tokens_are_sent_only_to_their_own_service(web, fast):
    web.route(PATH, Reply(200, {}))
    web.route("/works/10.1234/x", Reply(200, {}))
    settings = replace(fast, hf_token="hf_secret", s2_key="s2secret")
    with Client(settings) as client:
        client.get("hf", PATH)
        client.get("crossref", "/works/10.1234/x")
    hf_headers, crossref_headers = web.seen[0].headers, web.seen[1].headers
    assert hf_headers["Authorization"] == "Bearer hf_secret"
    assert "Authorization" not in crossref_headers and "x-api-key" not in crossref_headers


def test_503_then_success_is_retried(web, fast):
    web.route(PATH, Reply(503, "busy"), Reply(200, {"ok": 1}))
    answer, client = get(fast)
    assert answer.status == 200 and len(web.seen) == 2 and client.requests == 2


def test_429_honours_retry_after_when_under_the_cap(web, fast):
    web.route(PATH, Reply(429, "slow down", {"Retry-After": "0"}), Reply(200, {}))
    answer, _ = get(fast)
    assert answer.status == 200 and len(web.seen) == 2


def test_429_with_retry_after_above_the_cap_fails_at_once(web, fast):
    web.route(PATH, Reply(429, "slow down", {"Retry-After": "120"}), Reply(200, {}))
    with pytest.raises(SourceError) as caught:
        get(fast)
    assert len(web.seen) == 1
    assert caught.value.kind == "rate-limited"
    assert "Hugging Face" in str(caught.value) and "120 s" in str(caught.value)


def test_hf_ratelimit_header_counts_as_retry_after(web, fast):
    limited = Reply(429, "", {"RateLimit": '"api";r=0;t=240'})
    web.route(PATH, limited, Reply(200, {}))
    with pytest.raises(SourceError, match="240 s"):
        get(fast)


def test_429_without_retry_after_backs_off_then_gives_up(web, fast):
    web.route(PATH, Reply(429, "slow down"))
    with pytest.raises(SourceError) as caught:
        get(fast)
    assert len(web.seen) == 1 + fast.retries
    assert "HTTP 429" in str(caught.value)


def test_a_404_is_an_answer_not_an_error(web, fast):
    web.route(PATH, Reply(404, "Resource not found.", content_type="text/plain"))
    answer, _ = get(fast)
    assert answer.status == 404 and len(web.seen) == 1


def test_a_timeout_is_retried_then_reported(web, fast):
    web.route(PATH, Reply(200, {}, delay=1.0))
    settings = replace(fast, timeout=0.2, retries=1)
    with pytest.raises(SourceError) as caught:
        get(settings)
    assert caught.value.kind == "timeout" and "timeout after 0.2 s" in str(caught.value)
    assert len(web.seen) == 2


def test_a_truncated_body_is_an_error(web, fast):
    web.route(PATH, Reply(200, '{"id": "2503.11650", "title": "cut', truncate=True))
    with pytest.raises(SourceError) as caught:
        get(replace(fast, retries=0))
    assert caught.value.kind == "incomplete"


def test_an_oversized_body_is_refused(web, fast):
    web.route(PATH, Reply(200, b"[" + b"0," * 40_000 + b"0]"))
    with pytest.raises(SourceError) as caught:
        get(replace(fast, max_bytes=10_000))
    assert caught.value.kind == "too-large"


def test_offline_never_connects_and_says_so(web, fast):
    web.route(PATH, Reply(200, {}))
    with pytest.raises(SourceError) as caught:
        get(replace(fast, offline=True))
    assert web.seen == [] and caught.value.kind == "offline"


def test_the_cache_answers_a_second_run_offline(web, fast, tmp_path):
    web.route(PATH, Reply(200, {"id": "2503.11650"}))
    cache = ResponseCache.in_library(tmp_path)
    get(fast, cache=cache)
    answer, client = get(replace(fast, offline=True), cache=cache)
    assert answer.cached and json.loads(answer.body) == {"id": "2503.11650"}
    assert len(web.seen) == 1 and client.cache_hits == 1
    assert list((tmp_path / "cache" / "sources").glob("*.json"))


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b'{"format": 1}', b"[]", b'{"format":1,"url":"x","body":"!!"}'],
)
def test_a_damaged_cache_entry_is_ignored(web, fast, tmp_path, damage):
    web.route(PATH, Reply(200, {"id": "fresh"}))
    cache = ResponseCache.in_library(tmp_path)
    url = base_url("hf") + PATH
    cache.folder.mkdir(parents=True)
    cache.path(url).write_bytes(damage)
    answer, _ = get(fast, cache=cache)
    assert json.loads(answer.body) == {"id": "fresh"} and len(web.seen) == 1
    assert cache.get(url) is not None  # replaced by the good answer


def test_a_cache_entry_whose_body_was_changed_is_not_trusted(web, fast, tmp_path):
    web.route(PATH, Reply(200, {"id": "real"}))
    cache = ResponseCache.in_library(tmp_path)
    get(fast, cache=cache)
    path = cache.path(base_url("hf") + PATH)
    entry = json.loads(path.read_text())
    entry["body"] = "eyJpZCI6ICJmYWtlIn0="  # {"id": "fake"}, sha256 left as it was
    path.write_text(json.dumps(entry))
    with pytest.raises(SourceError):
        get(replace(fast, offline=True), cache=cache)


def test_arxiv_pace_is_kept_by_the_servers_clock(web, fast):
    web.route("/api/query", Reply(200, "<feed xmlns='http://www.w3.org/2005/Atom'/>"))
    settings = replace(fast, pace={"arxiv": 0.25})
    with Client(settings) as client:
        for n in range(4):
            client.get("arxiv", "/api/query", {"id_list": f"2503.1165{n}"})
    times = [s.at for s in web.seen]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.25
    assert web.most_active == 1


def test_pace_below_the_terms_applies_only_to_loopback():
    settings = Settings(pace={"arxiv": 0.0})
    assert settings.pace_for("arxiv", "http://127.0.0.1:8000") == 0.0
    assert settings.pace_for("arxiv", "https://export.arxiv.org") == 3.0
    assert Settings(pace={"arxiv": 5.0}).pace_for("arxiv", "https://export.arxiv.org") == 5.0
    assert Settings(timeout=0.1).timeout_for("https://api.crossref.org") == 1.0


def test_base_urls_come_from_the_named_variables(monkeypatch):
    assert base_url("arxiv") == "https://export.arxiv.org"
    monkeypatch.setenv("READINGLIST_CROSSREF_URL", "http://mirror.example:8080/cr/")
    assert base_url("crossref") == "http://mirror.example:8080/cr"
    monkeypatch.setenv("READINGLIST_DBLP_URL", "ftp://nope")
    with pytest.raises(SourceError.__mro__[1], match="READINGLIST_DBLP_URL"):
        base_url("dblp")


@pytest.mark.parametrize(
    ("value", "offline"), [("", False), ("0", False), ("1", True), ("yes", True)]
)
def test_offline_variable(monkeypatch, value, offline):
    monkeypatch.setenv("READINGLIST_OFFLINE", value)
    assert settings_from({}).offline is offline


def test_stored_settings_of_the_wrong_type_are_ignored():
    settings = settings_from({"timeout": "fast", "retries": -1, "pace": {"arxiv": "x"}})
    assert (settings.timeout, settings.retries, settings.pace) == (10.0, 3, {})
    assert settings_from({"contact": "me@example.org", "retries": 0}).retries == 0


def test_commands_that_stay_local_never_load_httpx(tmp_path):
    """An import (without --enrich) pays nothing for the web sources."""
    import subprocess
    import sys

    listing = tmp_path / "l.txt"
    listing.write_text("A Title Of A Paper\n\nAn abstract of the paper, long enough to read.\n")
    code = (
        "import sys; from readinglist.cli import main; "
        f"main(['--library', {str(tmp_path / 'lib')!r}, 'import', {str(listing)!r}]); "
        "print('httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
