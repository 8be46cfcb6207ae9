"""PyGithub client setup: base URL, timeouts and a small retry budget.

PyGithub (and requests under it) is imported here only, on first use, so a local ``check``
never pays for it. Every call has a timeout; 5xx answers and secondary rate limits (403/429
with ``Retry-After`` or a rate-limit message) are retried with exponential backoff, and a
``Retry-After`` longer than ``max_wait`` is not waited for (the comment is given up with a
warning instead of holding the job). The token is never printed or logged.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from openness_gate.record import record


@record
class ClientOptions:
    api_url: str = "https://api.github.com"
    timeout: int = 15  # seconds per HTTP request (PyGithub wants an int)
    retries: int = 3
    backoff: float = 0.5  # seconds; doubles per retry
    max_wait: float = 60.0  # longest Retry-After / rate-limit wait we accept
    seconds_between_requests: float = 0.0
    seconds_between_writes: float = 0.0
    per_page: int = 100


def make_client(token: str | None, options: ClientOptions | None = None) -> Any:
    """A ``github.Github`` pointed at ``options.api_url`` (github.com or Enterprise Server)."""
    import github
    from github import Auth
    o = options or ClientOptions()
    retry = retry_policy(o)
    return github.Github(
        auth=Auth.Token(token) if token else None,
        base_url=o.api_url.rstrip("/"),
        timeout=max(1, int(o.timeout)),
        retry=retry,
        per_page=o.per_page,
        seconds_between_requests=o.seconds_between_requests,
        seconds_between_writes=o.seconds_between_writes,
        lazy=True,
    )


def retry_policy(o: ClientOptions) -> Any:
    """The one retry policy of every GitHub call (API, archive download): 5xx, 429 and secondary
    rate limits, exponential backoff, ``Retry-After`` honoured up to ``max_wait``."""
    return _retry_class()(
        max_retry_after=o.max_wait,
        total=o.retries,
        backoff_factor=o.backoff,
        backoff_max=o.max_wait,
        secondary_rate_wait=min(o.max_wait, 60.0),
        max_rate_limit_wait=o.max_wait,
        status_forcelist=list(range(500, 600)) + [429],
        allowed_methods={"GET", "POST", "PATCH", "DELETE", "HEAD"},
        respect_retry_after_header=True,
        raise_on_status=False,
    )


_RETRY_CLASS: Any = None


def _retry_class() -> Any:
    """GithubRetry that never sleeps longer than ``max_retry_after`` for a Retry-After header
    (urllib3 would otherwise wait for whatever the server asks)."""
    global _RETRY_CLASS
    if _RETRY_CLASS is None:
        from github.GithubRetry import GithubRetry

        class CappedRetry(GithubRetry):  # type: ignore[misc]
            def __init__(self, max_retry_after: float = 60.0, **kwargs: Any) -> None:
                self.max_retry_after = max_retry_after
                super().__init__(**kwargs)

            def new(self, **kw: Any) -> Any:
                kw["max_retry_after"] = self.max_retry_after
                return super().new(**kw)

            def get_retry_after(self, response: Any) -> float | None:
                value = super().get_retry_after(response)
                return None if value is None else min(value, self.max_retry_after)

        _RETRY_CLASS = CappedRetry
    return _RETRY_CLASS


def api_message(exc: Any) -> str:
    """The message GitHub sent with an error (or the exception's text), on one short line."""
    data = getattr(exc, "data", None)
    text = data["message"] if isinstance(data, dict) and isinstance(data.get("message"), str) else str(exc)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def describe_error(exc: BaseException) -> str:
    """A one-line reason for a failed API call: "HTTP 502 Bad Gateway", or the exception kind."""
    status = getattr(exc, "status", None)
    if status:
        data = getattr(exc, "data", None)
        message = data.get("message") if isinstance(data, dict) else None
        return f"HTTP {status}" + (f" {api_message(exc)}" if message else "")
    return f"{type(exc).__name__}: {api_message(exc)}"[:200]


def is_rate_limit(exc: Any) -> bool:
    return "rate limit" in api_message(exc).lower()


@contextmanager
def download(url: str, options: ClientOptions | None = None) -> Iterator[Any]:
    """A streamed GET of ``url`` (an archive link GitHub redirected to): the raw body as a file
    object, decompressed if the server compressed it in transit. The same retry policy as the API
    client (5xx, 429 with ``Retry-After``, capped waits); no token is sent (an archive link carries
    its own) and the URL never appears in an error (it may hold that token)."""
    import requests
    from requests.adapters import HTTPAdapter

    o = options or ClientOptions()
    retry = retry_policy(o)
    with requests.Session() as session:
        session.mount("https://", HTTPAdapter(max_retries=retry))
        session.mount("http://", HTTPAdapter(max_retries=retry))
        response = session.get(url, stream=True, timeout=o.timeout)
        with response:
            if response.status_code != 200:
                raise DownloadError(response.status_code)
            response.raw.decode_content = True
            yield response.raw


class DownloadError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
