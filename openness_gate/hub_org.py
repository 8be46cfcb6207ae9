"""Organisation scan on the Hugging Face Hub: ``org scan hf:ORG`` checks every model of an
organisation (or user) through the Hub API and holds each to one policy.

Moves data only, like the GitHub scan (``github/org.py``, whose selection, cache, policy loading,
rows and scan loop it reuses): each verdict comes from ``checker.check_inventory`` with the policy as the
locked parent; nothing here judges.

Cost model: the listing (``GET /api/models?author=ORG``, the library follows the pages) carries
each model's head commit, so a model whose commit and policy are unchanged since the last scan
is reused from the cache at no further request; a changed model costs what ``check hf:`` costs
(one info request plus one per file read, see docs/hub.md).
"""

from __future__ import annotations

from typing import Any, Callable

from openness_gate.errors import ConfigError, UsageError
from openness_gate.github.org import Cache, ScanOptions, check_each, resolve_org_policy, row_from_result, selected
from openness_gate.org_result import OrgReport, RepoRow
from openness_gate.record import record
from openness_gate.sources import huggingface


@record
class ListedModel:
    """What the organisation listing says about one model."""

    repo_id: str
    sha: str | None
    tags: tuple[str, ...] = ()

    @property
    def row_name(self) -> str:
        """How the report and the cache name it: ``hf:OWNER/NAME`` (never confused with a GitHub repository)."""
        return f"hf:{self.repo_id}"


def parse_org(text: str) -> str:
    """``hf:ORG`` → ORG; UsageError says what is expected."""
    org = text[len("hf:"):] if text.startswith("hf:") else text
    if not huggingface.valid_name(org):
        raise UsageError(f"{text}: expected hf:ORG, an organisation or user name on the Hub")
    return org


def list_models(api: Any, org: str) -> list[ListedModel]:
    """Every model of ``org``, with its head commit (one request per page of the listing)."""
    try:
        models = list(api.list_models(author=org, expand=["sha", "tags"]))
    except Exception as exc:  # noqa: BLE001 - one line for the user, whatever the Hub said
        raise huggingface.describe(huggingface.HubSpec("model", f"{org}/models"), exc, api.endpoint,
                                   where=f"hf:{org} (listing its models)", attempts=None) from None
    if not models:
        # the Hub answers an empty list for a name it does not know: most likely a typo
        raise UsageError(f"hf:{org}: the Hub lists no models for this organisation or user (check the name)")
    out = [ListedModel(m.id, getattr(m, "sha", None), tuple(getattr(m, "tags", None) or ())) for m in models]
    return sorted(out, key=lambda m: m.repo_id.lower())


def check_model(api: Any, model: ListedModel, org_policy: Any, policy_digest: str, cache: Cache) -> RepoRow:
    """One model at its listed commit; never raises (an error becomes the row). The source already
    retried what is worth retrying (429, 5xx), so a failure here is final for this scan."""
    from openness_gate.checker import check_inventory

    name = model.row_name
    if model.sha:
        hit = cache.get(name, model.sha, policy_digest)
        if hit is not None:
            return hit
    target = f"{model.repo_id}@{model.sha}" if model.sha else model.repo_id
    try:
        inventory = huggingface.load(target, api=api)
        result = check_inventory(inventory, parent=org_policy)
    except ConfigError as exc:  # the repository's own config breaks or weakens the minimum: a failure
        return RepoRow(name, "main", passed=False, error=f"configuration error: {exc}",
                       missing_required=["configuration"])
    except UsageError as exc:  # gated without access, disappeared, rate-limited for good…
        return RepoRow(name, "main", model.sha, model.sha, error=f"could not be checked: {exc}")
    commit = inventory.target.revision
    row = row_from_result(name, "main", commit, commit, result)
    cache.put(row, policy_digest)
    return row


def scan(api: Any, org: str, options: ScanOptions, *,
         progress: Callable[[int, int, RepoRow], None] | None = None) -> tuple[OrgReport, Cache]:
    """Check every selected model of ``org``; returns the report and the (unsaved) cache."""
    from openness_gate import policy as pol

    # the Hub has no organisation-wide policy file: --policy, else the built-in default
    org_policy, source, digest = resolve_org_policy(None, org, options.policy or pol.DEFAULT_POLICY)
    models = [m for m in list_models(api, org)
              if selected({"name": m.repo_id.split("/", 1)[1], "full_name": m.row_name, "topics": list(m.tags)},
                          options)]
    cache = Cache(options.cache_path)

    def check(model: ListedModel) -> RepoRow:
        return check_model(api, model, org_policy, digest, cache)

    return check_each(f"hf:{org}", models, check, org_policy, source, options, progress), cache
