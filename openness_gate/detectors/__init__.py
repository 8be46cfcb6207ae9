"""Detectors: read the Inventory, emit Findings. One module per stack dimension.

A detector is a plain function ``(ctx: Context) -> Iterable[Finding]`` registered with
``@detector(dimension, components=...)``. It may emit findings only for the components it
declares, and it never knows which policy is in force. ``run()`` calls every registered
detector, merges what several detectors say about one component, and returns exactly one
Finding per taxonomy component, in taxonomy order (missing where nobody found anything).

Parsed artefacts that several detectors need (the primary model card, its front matter)
live on ``Context`` as cached properties, so each file is parsed once per run.
"""

from __future__ import annotations

from functools import cached_property
from itertools import chain

from openness_gate import modules, taxonomy
from openness_gate.findings import STATUS_RANK, Finding, merge, missing
from openness_gate.inventory import Inventory
from openness_gate.record import record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

    DetectorFn = Callable[["Context"], Iterable[Finding]]
    Reads = tuple[Callable[[Inventory, str], Any], Callable[[Inventory, list[str]], bool]]

#: The modules that register detectors, one per dimension; imported by ``run()``.
DETECTOR_MODULES: tuple[str, ...] = tuple(f"openness_gate.detectors.{d}" for d in taxonomy.DIMENSIONS)


@record
class Registered:
    name: str
    dimension: str
    components: frozenset[str]
    fn: DetectorFn
    #: (what it makes of one file it reads, given the inventory and the path; whether sharing those
    #: files out is worth it, given the inventory and the paths): per-file work another process may
    #: take a share of, when the detector hands its files to ``Context.scan_files`` with that function
    reads: Reads | None = None


_REGISTRY: list[Registered] = []


def detector(dimension: str, components: Iterable[str], reads: Reads | None = None) -> Callable[[DetectorFn], DetectorFn]:
    """Register ``fn`` as a detector of ``dimension`` that may speak about ``components``. ``reads``:
    see ``Registered``."""
    comps = frozenset(components)
    if dimension not in taxonomy.DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    for cid in comps:
        taxonomy.get(cid)

    def wrap(fn: DetectorFn) -> DetectorFn:
        name = f"{fn.__module__}.{fn.__qualname__}"
        if not any(r.name == name for r in _REGISTRY):
            _REGISTRY.append(Registered(name, dimension, comps, fn, reads))
        return fn

    return wrap


def registered() -> list[Registered]:
    for mod in DETECTOR_MODULES:
        modules.load(mod)
    return list(_REGISTRY)


class Context:
    """What detectors read: the inventory plus parsed artefacts shared between detectors."""

    def __init__(self, inventory: Inventory, config: dict[str, Any] | None = None) -> None:
        self.inventory = inventory
        #: the repository's openness config (declared artefacts…), when the policy layer loaded one
        self.config = config or {}
        #: while a detector with ``reads`` runs in a split check: who shares its files (``split``)
        self.sharing: Any = None

    def scan_files(self, paths: list[str], scan: Callable[[Inventory, str], Any]) -> list[Any]:
        """``[scan(inventory, p) for p in paths]``, with the inventory's reads recorded as if in that
        order. In a split check, for the detector whose ``reads`` these are, the other process takes
        a share of the files once its own detectors are done."""
        if self.sharing is not None:
            return self.sharing.scan(self, paths, scan)
        return [scan(self.inventory, p) for p in paths]

    @cached_property
    def index(self) -> Any:
        """The inventory bucketed once by extension and folder (``index.FileIndex``): detectors query it
        instead of running their patterns over every path (100k-file repositories stay fast)."""
        from openness_gate.detectors.index import FileIndex

        return FileIndex.of(self.inventory)

    @cached_property
    def cards(self) -> Any:
        """Every model card found (``cards.CardSet``): primary first, plus files rejected and why."""
        from openness_gate.detectors import cards

        return cards.discover(self.inventory, self.index)

    @cached_property
    def model_card(self) -> Any:
        """The primary model card (``cards.ModelCard``) or None. Parsed once per run."""
        return self.cards.primary

    @cached_property
    def primary_doc(self) -> Any:
        """The document a visitor reads first: the primary model card, else the root README parsed the
        same way (a GitHub repository's README links weights, data and papers even when it is no card).
        Only for finding references; completeness is judged on ``model_card`` alone."""
        return self.model_card if self.model_card is not None else self.root_readme

    @cached_property
    def root_readme(self) -> Any:
        """The root README parsed like a card (``cards.ModelCard``), card or not, or None."""
        from openness_gate.detectors import cards

        return cards.root_readme(self.cards)

    @cached_property
    def documents(self) -> list[Any]:
        """The primary card and, when it is a different file, the root README: where a repository
        states how to get the weights, how access works and where to report problems."""
        docs = [self.primary_doc] if self.primary_doc is not None else []
        readme = self.root_readme if self.model_card is not None else None
        if readme is not None and all(readme.path != d.path for d in docs):
            docs.append(readme)
        return docs

    @cached_property
    def all_documents(self) -> list[Any]:
        """``documents`` plus every other model card found (per-model folders): where results tables live."""
        docs = list(self.documents)
        for card in self.cards.cards:
            if all(card.path != d.path for d in docs):
                docs.append(card)
        return docs

    @cached_property
    def dataset_card(self) -> Any:
        """The root README when it is a Hugging Face *dataset* card (``cards.ModelCard`` with kind
        'dataset'), else None: dataset repositories declare ``license:`` there, not in a model card."""
        if self.model_card is not None:
            return None
        readme = self.root_readme
        return readme if readme is not None and readme.front_matter.error is None and readme.kind == "dataset" else None

    @cached_property
    def front_matter(self) -> dict[str, Any]:
        """Front matter of the primary model card ({} when none or invalid)."""
        card = self.model_card
        return card.front_matter.data if card is not None else {}

    @cached_property
    def base_models(self) -> list[str]:
        """``base_model`` ids declared by the card (str or list in the spec; anything else ignored)."""
        raw = self.front_matter.get("base_model")
        items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return [b.strip() for b in items if isinstance(b, str) and b.strip()][:20]

    @cached_property
    def licence_files(self) -> tuple[list[str], list[str]]:
        """(project, vendored) licence files, shallowest first: the licence and use-policy detectors read the same ones."""
        from openness_gate.detectors import license

        return license.licence_files(self)

    @cached_property
    def weights(self) -> Any:
        """Weight files classified once (``weights.WeightScan``); guardrail and release detectors reuse it."""
        from openness_gate.detectors import weights

        return weights.scan(self.inventory, self)


def run(inventory: Inventory, config: dict[str, Any] | None = None) -> list[Finding]:
    """Run every detector; return one Finding per component in taxonomy order. On a large local
    repository the detectors share two processes (``split``), with the same answer."""
    from openness_gate.detectors import split

    ctx = Context(inventory, config)
    regs = registered()
    collected: dict[str, list[Finding]] = {c.id: [] for c in taxonomy.COMPONENTS}
    left: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # component -> (files a budget left, the best they could give)
    budget_mark = inventory.budget_marks  # card discovery may have run already (split): charged by component
    done = split.run(ctx, regs, lambda reg: list(reg.fn(ctx))) if split.allowed(inventory) else None  # None: serial
    for i, reg in enumerate(regs):
        mark = len(inventory.incomplete)
        if done is None:
            emitted = list(reg.fn(ctx))
        else:  # run elsewhere or earlier: its reads change the inventory now, in this order
            outcome, journal = done[i]
            inventory.replay(journal)
            if isinstance(outcome, BaseException):
                raise outcome
            emitted = outcome
        # reads a limit or fault stopped while this detector ran: each component it speaks
        # about says so (a read cached for a later detector is charged to the first that asked)
        unread = tuple(sorted(inventory.stops_since(mark)))
        for finding in emitted:
            if finding.component not in reg.components:
                raise RuntimeError(f"detector {reg.name} emitted {finding.component}, which it did not declare")
            collected[finding.component].append(replace(finding, unread=unread) if unread else finding)
        if unread:  # a component it found nothing for may be missing only because of what it could not read
            spoken = {f.component for f in emitted}
            for cid in (c for c in reg.components if c not in spoken):
                collected[cid].append(replace(missing(cid), unread=unread))
        for paths, _why, components, at_most in inventory.budget_since(budget_mark):
            for cid in reg.components if components is None else components:
                left.setdefault(cid, []).append((paths, at_most))
        budget_mark = inventory.budget_marks
    return _left_open(inventory, [merge(found) if found else missing(cid) for cid, found in collected.items()], left)


def _left_open(inventory: Inventory, findings: list[Finding],
               left: dict[str, list[tuple[tuple[str, ...], str]]]) -> list[Finding]:
    """A component whose detector's read budget left files unread that could have raised its
    status (to ``present`` for most, ``linked`` for a download script) may be wrong only because
    of them: it lists them under ``unread`` and they make the verdict incomplete. Files that could
    not raise it (the component is ``present`` already) leave it as it is. No step per file in
    Python: a large tree's budgets leave tens of thousands, most shared by several components."""
    made: dict[tuple[int, ...], tuple[str, ...]] = {}  # the same budgets' files, sorted once
    stopped: set[int] = set()  # the budgets (by identity in the log) that left a component open
    out = []
    for finding in findings:
        rank = STATUS_RANK[finding.status]
        groups = [paths for paths, best in left.get(finding.component, ()) if STATUS_RANK[best] > rank]
        if groups:
            key = tuple(map(id, groups))
            files = made.get(key)
            if files is None:  # each budget's files come in path order: sorting them is a merge
                files = made[key] = tuple(sorted(dict.fromkeys(chain.from_iterable(groups))))
            stopped.update(key)
            finding = replace(finding, unread=tuple(sorted(set(files).union(finding.unread))) if finding.unread else files)
        out.append(finding)
    if stopped:  # in the order the budgets came: a file keeps the reason of the first that left a component open
        for paths, why, _components, _at_most in inventory.budget_since(0):
            if id(paths) in stopped:
                inventory.stop_many(dict.fromkeys(paths, why))
    return out
