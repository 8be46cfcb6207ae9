"""Sources turn a repository (a local directory, a git tree, a remote API) into an Inventory."""

from __future__ import annotations


from openness_gate.inventory import DEFAULT_TEXT_CAP, Inventory

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


def open_target(target: str, *, text_cap: int = DEFAULT_TEXT_CAP,
                meanwhile: Callable[[], object] | None = None) -> Inventory:
    """Resolve a command-line target (a path, ``github:OWNER/REPO[@REF]`` or
    ``hf:[datasets/]OWNER/NAME[@REV]``) to an Inventory.

    Each source is imported only when used: a local check never loads the GitHub or Hub client.
    ``meanwhile`` is work the caller needs anyway (imports); the local source runs it while
    git lists the files, which takes a core of its own.
    """
    if target.startswith("github:"):
        from openness_gate.sources import github

        if meanwhile is not None:
            meanwhile()
        return github.load(target[len("github:"):], text_cap=text_cap)
    if target.startswith("hf:"):
        from openness_gate.sources import huggingface

        if meanwhile is not None:
            meanwhile()
        return huggingface.load(target[len("hf:"):], text_cap=text_cap)
    from openness_gate.sources import local

    return local.load(target, text_cap=text_cap, meanwhile=meanwhile)
