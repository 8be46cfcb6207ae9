"""SPDX licence expressions read for what they mean: ``OR`` is a choice, ``AND`` binds both, ``WITH`` adds an exception.

``MIT OR CC-BY-NC-4.0`` lets the user choose MIT; ``MIT AND CC-BY-NC-4.0`` binds both, so the
non-commercial terms apply. ``read`` parses an expression with aboutcode's ``license-expression``
(its bundled SPDX licence and exception list validates the keys; AND binds tighter than OR, as the
SPDX specification says), resolves every licence key in our catalogue (which also knows the model
licences SPDX does not list: Llama, Gemma, the RAIL family…), and picks, for each ``OR``, the most
open alternative. The library is imported on the first expression only: a single catalogue id never
reaches the parser (``key_licence`` answers it from the catalogue), so most checks never
pay it (≈ 65 ms once: its import, the SPDX list, the tokenizer; then under 1 ms per expression).

Nothing here raises on bad input: a malformed expression is a ``Reading`` whose one term is
unknown, with the parser's message as its problem — never a crash, never silently open.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openness_gate import lazyre
from openness_gate.licenses.catalogue import CLASS_RANKS, Licence, lookup
from openness_gate.record import record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: How restrictive each licence class is (``catalogue.CLASS_RANKS``), for choosing among ``OR`` alternatives
#: and naming the most restrictive of an ``AND`` (higher binds more). A licence without classes (an
#: unidentified key, an ambiguous family id) ranks last, so it is never chosen over a licence we can name.
RESTRICTIVENESS: dict[str, int] = {c: n for n, group in enumerate(CLASS_RANKS) for c in group}
UNKNOWN_RANK = len(CLASS_RANKS)
_REF = "licenseref-"
#: words that make a value an expression, not a list written with other separators
_OPERATOR = lazyre.compile(r"(?:^|\s)(?:and|or|with)(?:\s|$)|[()]", re.IGNORECASE)
#: separators people use between licence ids that SPDX does not define ("MIT/Apache-2.0", "MIT, BSD")
_LIST_SEP = lazyre.compile(r"\s*[,;/]\s*|\s+&\s+")
#: one licence id as SPDX spells them (no "+", which the parser reads as "or later"): the only text
#: ``unknown_key`` answers without the parser
_IDSTRING = lazyre.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,99}")


@record
class Term:
    """One licence of an expression (a leaf), resolved in the catalogue."""

    text: str  # as the library renders it: "MIT", "GPL-2.0-or-later WITH Classpath-exception-2.0"
    licence: Licence | None  # None: neither SPDX nor the catalogue can classify it
    problem: str | None = None  # why it is unknown
    exception: str | None = None  # the SPDX exception after WITH
    binds: bool = True  # False: an OR alternative the user need not choose
    role: str = "licence"  # "exception": an exception after WITH that SPDX does not list (its terms unknown)


@record
class Reading:
    """What an expression means: every term in order, which of them bind, and a sentence for evidence."""

    expression: str | None  # the library's normalised rendering; None when it could not be parsed
    #                         (a list written with other separators: the AND it is read as)
    terms: tuple[Term, ...]
    summary: str | None  # "MIT OR CC-BY-NC-4.0: the user may choose MIT"; None for a lone licence id

    @property
    def binding(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.binds)


class _Malformed(Exception):
    """An expression the SPDX grammar rejects; the message is the parser's."""


@lru_cache(maxsize=1)
def _spdx_index() -> list[dict]:
    """The SPDX licences and exceptions of the index bundled in ``license-expression``, read as the
    library would read it but without importing the library (its import alone is ≈ 20 ms, which
    ``unknown_key`` spares a check); through the library when the file is not where it keeps it.

    The index also holds ScanCode's own ``LicenseRef-scancode-…`` keys (1,700 of 2,450): they are not
    on the SPDX list, the catalogue resolves the ones it knows, and leaving them out halves the
    parser's build (≈ 30 ms instead of ≈ 90 ms, and a smaller tokenizer automaton)."""
    import json

    try:
        with open(_index_path(), encoding="utf-8") as fh:
            index = json.load(fh)
    except (OSError, ValueError, ImportError):
        from license_expression import get_license_index

        index = get_license_index()
    return [e for e in index if (key := str(e.get("spdx_license_key") or "")) and not key.startswith("LicenseRef-")]


@lru_cache(maxsize=1)
def _index_path() -> str:
    """Where ``license-expression`` keeps its licence index (raises ImportError without the library)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("license_expression")
    if spec is None or not spec.origin:
        raise ImportError("license_expression")
    return os.path.join(os.path.dirname(spec.origin), "data", "scancode-licensedb-index.json")


@lru_cache(maxsize=1)
def _index_text() -> str:
    """The index file as lower-case text ("" when it cannot be read)."""
    try:
        with open(_index_path(), encoding="utf-8") as fh:
            return fh.read().lower()
    except (OSError, ValueError, ImportError):
        return ""


def _may_be_spdx_key(key: str) -> bool:
    """False only when ``key`` (an id of ``_IDSTRING``'s characters, which JSON writes as they are)
    is written nowhere in the index as a quoted string, so that it cannot be one of ``_spdx_keys``:
    finding it in the file's text costs ≈ 1 ms, decoding the file's JSON ≈ 9 ms of a check that
    meets an unknown ``license_name``. True hands the question to ``_spdx_keys``."""
    text = _index_text()
    return not text or f'"{key.lower()}"' in text


@lru_cache(maxsize=1)
def _licensing() -> Any:
    """The SPDX ``Licensing`` over ``_spdx_index``."""
    from license_expression import build_spdx_licensing

    return build_spdx_licensing(_spdx_index())


@lru_cache(maxsize=1)
def _spdx_keys() -> frozenset[str]:
    """Every key and alias ``_licensing`` knows, lower-case."""
    keys: set[str] = set()
    for entry in _spdx_index():
        keys.add(str(entry["spdx_license_key"]).lower())
        keys.update(str(alias).lower() for alias in entry.get("other_spdx_license_keys") or ())
    return frozenset(keys)


def unknown_key(text: str) -> Reading | None:
    """The reading of one licence id that neither the catalogue nor the SPDX list knows, without the parser.

    A Hugging Face card's ``license_name`` for ``license: other`` is such an id more often than not
    (``gemma-version-taide-models-license-agreement``), and loading the parser only to say that it does
    not know it costs ≈ 40 ms, most of a check of a small repository. The answer is the parser's, word
    for word (the tests hold the two to ``==``); None for anything the parser must read."""
    if not _IDSTRING.fullmatch(text) or not lone_key(text):  # "and", "OR": an operator alone is malformed
        return None
    lic, problem = key_licence(text)
    if lic is not None or problem is not None or (_may_be_spdx_key(text) and text.lower() in _spdx_keys()):
        return None
    return Reading(text, (Term(text, None, _unknown_problem(text, f"Unknown license key(s): {text}")),), None)


def _unknown_problem(key: str, validator: str) -> str:
    return (f"{key!r} is not a known licence id: neither the SPDX licence list nor openness-gate's "
            f"catalogue has it ({validator})")


def rank(terms: tuple[Term, ...] | list[Term]) -> tuple[int, ...]:
    """How restrictive a set of licences that all bind is: its ranks, most restrictive first.

    Compared as tuples, the smaller binds less: ``(0,)`` (MIT) < ``(0, 0)`` (MIT AND Apache-2.0) < ``(4,)``."""
    return tuple(sorted((_term_rank(t) for t in terms), reverse=True))


def _term_rank(term: Term) -> int:
    if term.licence is None or not term.licence.classes:
        return UNKNOWN_RANK
    return max(RESTRICTIVENESS.get(c, UNKNOWN_RANK) for c in term.licence.classes)


def key_licence(key: str) -> tuple[Licence | None, str | None]:
    """(catalogue entry, problem) for one licence key, from the catalogue alone (the parser is not needed).

    The catalogue knows the model licences SPDX does not list (``LLAMA-2``, ``creativeml-openrail-m``);
    ``GPL-2.0+`` is ``GPL-2.0-or-later``. ``LicenseRef-<id>`` is a licence outside the SPDX list: it resolves
    to a catalogue entry only when that entry has no SPDX id either (``LicenseRef-llama3``);
    ``LicenseRef-MIT`` is someone's own licence, not MIT. (None, None): not in the catalogue."""
    lic = lookup(key)
    if lic is None and key.endswith("+"):
        lic = lookup(key[:-1] + "-or-later")
    if lic is not None or not key.lower().startswith(_REF):
        return lic, None
    inner = lookup(key[len(_REF):])
    if inner is not None and inner.spdx is None:
        return inner, None
    if inner is not None:
        return None, (f"{key!r} is a licence of its own (LicenseRef-), not the SPDX licence {inner.spdx}: "
                      "its terms are unknown")
    return None, f"{key!r} is a LicenseRef- licence that openness-gate's catalogue does not know"


def lone_key(text: str) -> bool:
    """Whether ``text`` is one licence key: no operator, no parentheses, no list separator."""
    return not (_OPERATOR.search(text) or _LIST_SEP.search(text))


def resolve(key: str, licensing: Any) -> tuple[Licence | None, str | None]:
    """(catalogue entry, problem) for one licence key of an expression: the catalogue first (``key_licence``),
    then ``licensing`` says whether SPDX lists a key the catalogue does not classify."""
    lic, problem = key_licence(key)
    if lic is not None or problem is not None:
        return lic, problem
    if key in licensing.known_symbols:
        return None, f"{key!r} is on the SPDX licence list, but openness-gate's catalogue does not classify it"
    return None, _unknown_problem(key, _validator_says(licensing, key))


def _validator_says(licensing: Any, key: str) -> str:
    """The library's own words about a key it does not know ("Unknown license key(s): my-licence")."""
    try:
        licensing.validate_license_keys(key)
    except Exception as exc:  # noqa: BLE001 - ExpressionError, or a parse error for a key that is not one
        return str(exc)
    return "not on the SPDX licence list"


def read(text: str) -> Reading:
    """Parse and judge one expression. Never raises: a malformed one is an unknown term with the parser's message."""
    return unknown_key(text) or parse(text)


def parse(text: str) -> Reading:
    """``read`` by the parser alone (``unknown_key`` is its shortcut for one unknown id)."""
    licensing = None
    try:
        licensing = _licensing()
        tree = licensing.parse(text)
        if tree is None:
            raise _Malformed("the expression is empty")
        leaves: list[Term] = []
        shape = _shape(tree, licensing, leaves)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a finding, not a crash
        message = str(exc) or type(exc).__name__
        return _as_list(text, message, licensing) or _malformed(text, message)
    chosen = set(_choose(shape, leaves))
    terms = tuple(t if i in chosen else replace(t, binds=False) for i, t in enumerate(leaves))
    rendered = tree.render()
    return Reading(rendered, terms, _summary(rendered, shape, terms))


def _malformed(text: str, message: str) -> Reading:
    return Reading(None, (Term(text, None, f"{text!r} is not a valid SPDX licence expression: {message}"),), None)


def _as_list(text: str, message: str, licensing: Any) -> Reading | None:
    """``MIT/Apache-2.0``, ``MIT, BSD-3-Clause``: not SPDX, but plainly a list; read as licences that all bind
    (the stricter reading, so a restrictive one is never dropped). None when it is not such a list."""
    if _OPERATOR.search(text) or licensing is None:
        return None
    parts = [p.strip().strip("\"'") for p in _LIST_SEP.split(text)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    terms = tuple(Term(p, *resolve(p, licensing)) for p in parts)
    read_as = " AND ".join((t.licence.spdx or t.licence.id) if t.licence is not None else t.text for t in terms)
    return Reading(read_as, terms, f"{text!r} is not an SPDX expression ({message}); read as a list of licences "
                                   f"that all bind: {read_as}")


# --- the expression tree ----------------------------------------------------------------------------------
# A shape is ("leaf", index) or ("and" | "or" | "with", [shapes]); leaves are collected in expression order.
# "with" joins a licence to an exception SPDX does not list: both bind, like "and".

def _shape(node: Any, licensing: Any, leaves: list[Term]) -> tuple:
    """The library's tree as a small shape over ``leaves``; WITH and misused exceptions checked as SPDX says."""
    from license_expression import (PARSE_ERRORS, PARSE_INVALID_EXCEPTION, PARSE_INVALID_SYMBOL_AS_EXCEPTION,
                                    LicenseSymbol, LicenseWithExceptionSymbol)

    known = licensing.known_symbols
    if isinstance(node, LicenseWithExceptionSymbol):
        base, exc = node.license_symbol, node.exception_symbol
        exc_sym = known.get(exc.key)
        if exc_sym is not None and not exc_sym.is_exception:
            raise _Malformed(f"{PARSE_ERRORS[PARSE_INVALID_SYMBOL_AS_EXCEPTION]} ({exc.key!r} is a licence)")
        _check_not_exception(base, known, PARSE_ERRORS[PARSE_INVALID_EXCEPTION])
        lic, problem = resolve(base.key, licensing)
        leaves.append(Term(node.render(), lic, problem, exc.key))
        if exc_sym is not None:
            return ("leaf", len(leaves) - 1)
        leaves.append(Term(exc.key, None, f"{exc.key!r} is not an exception on the SPDX list: its terms are unknown",
                           role="exception"))
        return ("with", [("leaf", len(leaves) - 2), ("leaf", len(leaves) - 1)])
    if isinstance(node, LicenseSymbol):
        _check_not_exception(node, known, PARSE_ERRORS[PARSE_INVALID_EXCEPTION])
        leaves.append(Term(node.render(), *resolve(node.key, licensing)))
        return ("leaf", len(leaves) - 1)
    op = "and" if isinstance(node, licensing.AND) else "or" if isinstance(node, licensing.OR) else None
    if op is None:
        raise _Malformed(f"unexpected expression part {node!r}")
    return (op, [_shape(arg, licensing, leaves) for arg in node.args])


def _check_not_exception(symbol: Any, known: dict, message: str) -> None:
    sym = known.get(symbol.key)
    if sym is not None and sym.is_exception:
        raise _Malformed(f"{message} ({symbol.key!r})")


def _choose(shape: tuple, leaves: list[Term]) -> list[int]:
    """The leaves that bind: every operand of an AND, the least restrictive alternative of an OR (first on a tie)."""
    kind, body = shape
    if kind == "leaf":
        return [body]
    if kind in ("and", "with"):
        return [i for part in body for i in _choose(part, leaves)]
    options = [_choose(part, leaves) for part in body]
    return min(options, key=lambda idx: rank([leaves[i] for i in idx]))


def _ops(shape: tuple) -> set[str]:
    kind, body = shape
    return set() if kind == "leaf" else {kind}.union(*(_ops(part) for part in body))


# --- the sentence for the evidence ------------------------------------------------------------------------

def _label(term: Term) -> str:
    """The term as written, with the catalogue id when it is spelt otherwise (``LLAMA-2 (llama2)``)."""
    if term.licence is None or term.licence.id.lower() in term.text.lower():
        return term.text
    return f"{term.text} ({term.licence.id})"


def _classes(term: Term) -> str:
    return ", ".join(term.licence.classes) if term.licence is not None and term.licence.classes else "unknown"


def _summary(rendered: str, shape: tuple, terms: tuple[Term, ...]) -> str | None:
    """One sentence: which alternative the user may choose, what binds, which exceptions are added."""
    ops = _ops(shape)
    binding = [t for t in terms if t.binds]
    notes: list[str] = []
    if "or" in ops:
        others = [_label(t) for t in terms if not t.binds and t.role == "licence"]
        notes.append(f"the user may choose {' AND '.join(_label(t) for t in binding)}"
                     + (f" rather than {', '.join(others)}" if others else ""))
    if len(binding) > 1 and ops & {"and", "or"}:
        worst = max(binding, key=_term_rank)
        notes.append(f"{'all bind; the most restrictive is' if 'or' not in ops else 'of these the most restrictive is'}"
                     f" {_label(worst)}: {_classes(worst)}")
    unlisted = {t.text for t in terms if t.role == "exception"}
    for t in binding:
        if t.exception in unlisted:
            notes.append(f"{t.exception} is not an exception on the SPDX list: its terms are unknown")
        elif t.exception and t.licence is not None:
            notes.append(f"{t.exception} is an exception to {t.licence.id}: it adds permissions, never restrictions, "
                         f"so {t.licence.id}'s classes apply")
    if not notes:
        return None  # a lone licence id: the usual evidence says it
    return f"{rendered}: " + "; ".join(notes)


def leaves_of(text: str) -> list[tuple[str, Licence | None]]:
    """Every licence key of an expression with its catalogue entry, in order, duplicates and exceptions dropped.

    For readers that list what an expression names without judging the operators (``SPDX-License-Identifier``
    tags inside licence files, read the stricter way). A lone key never loads the parser; a malformed
    expression gives ``[(text, None)]``."""
    text = text.strip().strip("\"'")
    lic, _ = key_licence(text)
    if lic is not None or lone_key(text):
        return [(text, lic)] if text else []
    out: list[tuple[str, Licence | None]] = []
    for t in read(text).terms:
        if t.role == "exception":
            continue
        name = t.text.split(" WITH ", 1)[0] if t.exception else t.text
        if all(n != name for n, _ in out):
            out.append((name, t.licence))
    return out
