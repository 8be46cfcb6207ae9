"""Sources turn a repository (a local directory, a git tree, a remote API) into an Inventory."""

from __future__ import annotations

from openness_gate.inventory import DEFAULT_TEXT_CAP, Inventory


def open_target(target: str, *, text_cap: int = DEFAULT_TEXT_CAP) -> Inventory:
    """Resolve a command-line target (a path, later ``github:OWNER/REPO[@REF]``) to an Inventory."""
    if target.startswith("github:"):
        from openness_gate.errors import UsageError

        try:
            from openness_gate.sources import github  # noqa: F401  (remote source, imported lazily)
        except ImportError:
            raise UsageError("github: targets are not supported by this version yet") from None
        return github.load(target[len("github:"):], text_cap=text_cap)
    from openness_gate.sources import local

    return local.load(target, text_cap=text_cap)
