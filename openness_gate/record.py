"""Small immutable value classes, made cheaply: the subset of ``dataclasses`` this package uses.

Why not ``dataclasses``: a check creates about 36 such classes, and a frozen dataclass costs
~1 ms to create on CPython 3.11-3.13 (six ``exec`` calls, one per generated method), plus ~9 ms
to import ``dataclasses`` (it imports ``inspect``, ``ast``, ``dis``, ``tokenize``): together
about 40 ms of every check, as much as the whole floor (interpreter start plus ``git
ls-files``) on a small repository. ``record`` compiles only ``__init__`` (~0.1 ms; instances are made
often) and makes the other methods as closures over the field names, keeping what this code
relies on:

* ``__init__`` with defaults and ``field(default_factory=...)``, then ``__post_init__`` if defined;
* ``__repr__`` (fields with ``repr=False`` left out), ``__eq__`` over the fields with
  ``compare=True`` and the same class, ``__hash__`` over them when frozen;
* ``frozen=True`` (the default): assigning or deleting an attribute raises
  ``FrozenInstanceError``; ``cached_property`` still works (it writes the instance dict);
* ``slots=True``: the class is rebuilt with ``__slots__`` (for the per-file records);
* ``replace``, ``asdict`` and ``fields``, as in ``dataclasses``; ``deep_copy`` for the records
  that hold parsed YAML or JSON (policies), without importing ``copy`` (and ``weakref``).

Not supported (and not used here): inheritance between records (refused), ``InitVar``,
``kw_only``, ordering; a mutable plain default is refused, as dataclasses refuse it.
Annotations are read as written (strings under ``from __future__ import annotations``); a
``ClassVar`` annotation is not a field.
"""

from __future__ import annotations

from operator import attrgetter

from openness_gate import sre_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    T = TypeVar("T")

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to or deleting a field of a frozen record."""


class Field:
    """One field of a record: its name, default or default factory, and whether it is shown
    in the repr and compared."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING, repr: bool = True,  # noqa: A002
                 compare: bool = True) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("a field takes a default or a default_factory, not both")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | Any = _MISSING, repr: bool = True,  # noqa: A002
          compare: bool = True) -> Any:
    """As ``dataclasses.field``: a default, or a factory called for each instance."""
    return Field(default, default_factory, repr, compare)


def record(cls: type[T] | None = None, /, *, frozen: bool = True, slots: bool = False) -> Any:
    """Make ``cls`` a record (see the module docstring); ``@record`` or ``@record(frozen=False)``."""

    def wrap(c: type[T]) -> type[T]:
        return _make(c, frozen, slots)

    return wrap if cls is None else wrap(cls)


def _own_fields(cls: type) -> list[Field]:
    out = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).replace("typing.", "").startswith("ClassVar"):
            continue
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        out.append(f)
    return out


def _make(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    own = {k for k, v in cls.__dict__.items() if callable(v)}  # methods the class writes itself
    if cls.__dict__.get("__hash__", 0) is None and "__eq__" not in cls.__dict__:
        own.add("__hash__")  # an explicit "__hash__ = None" (Python adds one itself beside an __eq__)
    if frozen and own & {"__setattr__", "__delattr__"}:
        raise TypeError(f"{cls.__name__}: a frozen record cannot define __setattr__ or __delattr__")
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot inherit from a record (its fields would be lost)")
    fields_ = _own_fields(cls)
    seen_default = False
    for f in fields_:
        if f.default is not _MISSING and type(f.default).__hash__ is None:
            raise ValueError(f"{cls.__name__}.{f.name}: a mutable default would be shared; use default_factory")
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"{cls.__name__}: non-default field {f.name!r} follows a default field")
        seen_default = seen_default or has_default
    # Field objects do not stay on the class (a plain default does, as with dataclasses), and with
    # __slots__ no default can: it would shadow the slot
    for f in fields_:
        if f.name in cls.__dict__ and (slots or isinstance(cls.__dict__[f.name], Field)):
            delattr(cls, f.name)
            if not slots and f.default is not _MISSING:
                setattr(cls, f.name, f.default)
    env: dict[str, Any] = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
    params, body = [], []
    for i, f in enumerate(fields_):
        if f.default_factory is not _MISSING:
            env[f"_factory_{i}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory_{i}() if {f.name} is _MISSING else {f.name}"
        elif f.default is not _MISSING:
            env[f"_default_{i}"] = f.default
            params.append(f"{f.name}=_default_{i}")
            value = f.name
        else:
            params.append(f.name)
            value = f.name
        body.append(f"    _setattr(self, {f.name!r}, {value})" if frozen else f"    self.{f.name} = {value}")
    if "__post_init__" in cls.__dict__:
        body.append("    self.__post_init__()")
    source = "\n".join([f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):",
                         *(body or ["    pass"])])
    namespace: dict[str, Any] = {}
    # our own generated source, as dataclasses does; its code is kept between runs (sre_cache.code)
    exec(sre_cache.code(source, "<record>"), env, namespace)  # noqa: S102
    # only __init__ is compiled (per-instance speed matters there); the rest are closures
    compared = [f.name for f in fields_ if f.compare]
    key = attrgetter(*compared) if compared else (lambda self: ())
    shown = [f.name for f in fields_ if f.repr]

    def __repr__(self: Any) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    names = tuple(f.name for f in fields_)

    def __reduce__(self: Any) -> tuple[Any, ...]:
        """copy and pickle rebuild through __init__ (a frozen slots record refuses setattr)."""
        return type(self), tuple(getattr(self, n) for n in names)

    namespace.update(__repr__=__repr__, __eq__=__eq__, __reduce__=__reduce__)
    if frozen:
        def __hash__(self: Any) -> int:
            return hash(key(self))

        namespace.update(__hash__=__hash__, __setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    if slots:
        body_dict = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
        body_dict["__slots__"] = tuple(f.name for f in fields_)
        cls = type(cls)(cls.__name__, cls.__bases__, body_dict)  # type: ignore[assignment]
    for name, fn in namespace.items():
        if name in own and name not in ("__setattr__", "__delattr__"):
            continue  # a method the class writes itself wins, as with dataclasses
        if fn not in (_frozen_setattr, _frozen_delattr):
            fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)
    if not frozen and "__hash__" not in own:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value: unhashable
    cls.__record_fields__ = tuple(fields_)  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in fields_)  # type: ignore[attr-defined]
    return cls


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record (class or instance), in order."""
    return obj.__record_fields__


def is_record(obj: Any) -> bool:
    return hasattr(type(obj) if not isinstance(obj, type) else obj, "__record_fields__")


def replace(obj: T, **changes: Any) -> T:
    """A copy of ``obj`` with some fields changed (``__post_init__`` runs again, as in dataclasses)."""
    for f in obj.__record_fields__:  # type: ignore[attr-defined]
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def asdict(obj: Any) -> Any:
    """Fields as a dict, recursively through records, lists, tuples and dicts (as ``dataclasses.asdict``)."""
    if is_record(obj) and not isinstance(obj, type):
        return {f.name: asdict(getattr(obj, f.name)) for f in obj.__record_fields__}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[asdict(v) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(asdict(v) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((asdict(k), asdict(v)) for k, v in obj.items())
    import copy

    return copy.deepcopy(obj)


#: values a copy may share: they never change
_IMMUTABLE = (str, int, float, bool, bytes, type(None))


def deep_copy(obj: Any) -> Any:
    """A copy that shares nothing mutable with ``obj``: records, dicts, lists and tuples are rebuilt,
    strings and numbers shared (what ``copy.deepcopy`` does for parsed YAML or JSON; shared
    references and cycles, which parsed data never has, are not kept). Anything else, a date
    included, goes to ``copy.deepcopy``: imported only then (~0.5 ms with ``weakref``)."""
    if isinstance(obj, _IMMUTABLE):
        return obj
    if type(obj) is dict:
        return {deep_copy(k): deep_copy(v) for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return type(obj)(map(deep_copy, obj))
    if is_record(obj) and not isinstance(obj, type):
        copied = object.__new__(type(obj))
        for f in obj.__record_fields__:
            object.__setattr__(copied, f.name, deep_copy(getattr(obj, f.name)))
        return copied
    import copy

    return copy.deepcopy(obj)
