"""``openness_gate.record``: the value classes behave as the frozen dataclasses they replaced, and
a check no longer imports ``dataclasses`` (with ``inspect``), which cost ~40 ms of every run."""

from __future__ import annotations

import functools

import pytest

from conftest import modules_after_check
from openness_gate.record import FrozenInstanceError, asdict, field, fields, record, replace


@record
class Point:
    """A point."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


@record(frozen=False)
class Bag:
    name: str
    items: list[str] = field(default_factory=list)


def test_init_defaults_repr_and_equality() -> None:
    p = Point(1, tags=("a",))
    assert (p.x, p.y, p.tags, p.note) == (1, 0, ("a",), "")
    assert repr(p) == "Point(x=1, y=0, tags=('a',))"
    assert p == Point(1, 0, ("a",), note="ignored in comparisons") and p != Point(2)
    assert hash(p) == hash(Point(1, 0, ("a",), "other")) and len({p, Point(1, 0, ("a",))}) == 1
    assert Point.__doc__ == "A point." and Point.y == 0  # a plain default stays on the class
    with pytest.raises(TypeError):
        Point()  # x is required


def test_frozen_records_refuse_assignment_but_keep_cached_properties() -> None:
    @record
    class Card:
        text: str

        @functools.cached_property
        def words(self) -> int:
            return len(self.text.split())

    c = Card("a b c")
    with pytest.raises(FrozenInstanceError):
        c.text = "x"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del c.text  # type: ignore[misc]
    assert c.words == 3 and c.words == 3


def test_mutable_records_get_a_fresh_default_each_and_are_unhashable() -> None:
    a, b = Bag("a"), Bag("b")
    a.items.append("x")
    assert b.items == [] and a == Bag("a", ["x"])
    with pytest.raises(TypeError):
        hash(a)


def test_replace_asdict_fields_and_post_init() -> None:
    @record
    class Span:
        start: int
        end: int

        def __post_init__(self) -> None:
            if self.end < self.start:
                raise ValueError("end before start")

    s = Span(1, 3)
    assert replace(s, end=5) == Span(1, 5) and s == Span(1, 3)
    with pytest.raises(ValueError):
        replace(s, end=0)  # __post_init__ runs again, as with dataclasses
    nested = Bag("n", [Point(1), Point(2, tags=("t",))])  # type: ignore[list-item]
    assert asdict(nested) == {"name": "n", "items": [{"x": 1, "y": 0, "tags": (), "note": ""},
                                                      {"x": 2, "y": 0, "tags": ("t",), "note": ""}]}
    assert [f.name for f in fields(Point)] == ["x", "y", "tags", "note"]


def test_slots_records_have_no_instance_dict() -> None:
    @record(slots=True)
    class Small:
        path: str
        reason: str = ""

    s = Small("a")
    assert not hasattr(s, "__dict__") and Small.__slots__ == ("path", "reason")
    assert s == Small("a", "") and repr(s) == "Small(path='a', reason='')"


def test_a_class_of_its_own_methods_keeps_them() -> None:
    @record
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("x")) == "<x>"
    with pytest.raises(TypeError):
        @record
        class Bad:
            a: int = 0
            b: int  # a required field after a default one


def test_a_check_imports_neither_dataclasses_nor_inspect(tmp_path) -> None:
    (tmp_path / "README.md").write_text("# A model\n")
    report, imported = modules_after_check(tmp_path, ("dataclasses", "inspect"))
    assert '"components"' in report
    assert imported == set()


def test_a_check_imports_no_pathlib_and_no_importlib_resources(tmp_path) -> None:
    """pathlib pulls in urllib.parse and ipaddress (3 ms), importlib.resources tempfile, shutil
    and the compression modules (8 ms): the built-in policies and our data files are read with os."""
    (tmp_path / "README.md").write_text("# A model\n\nSee LICENSE.\n")
    (tmp_path / "LICENSE").write_text("MIT License\n")
    names = ("pathlib", "urllib.parse", "ipaddress", "importlib.resources", "tempfile", "shutil")
    report, imported = modules_after_check(tmp_path, names, site=False)
    assert '"components"' in report
    assert imported == set()


def test_records_copy_and_pickle_and_refuse_what_would_silently_break() -> None:
    import copy
    import pickle

    @record(slots=True)
    class Small:
        path: str
        reason: str = ""

    globals()["Small"] = Small  # pickle finds classes by name
    Small.__qualname__ = "Small"
    s = Small("a", "b")
    assert copy.copy(s) == s and copy.deepcopy(s) == s and pickle.loads(pickle.dumps(s)) == s
    assert copy.deepcopy(Point(1, tags=("x",))) == Point(1, tags=("x",))
    with pytest.raises(TypeError):
        @record
        class Child(Point):
            z: int = 0
    with pytest.raises(ValueError):
        @record
        class Shared:
            items: list = []  # noqa: RUF012


def test_deep_copy_of_a_resolved_policy_equals_deepcopy_and_shares_nothing_mutable() -> None:
    """Policies are copied on every load (the built-ins are kept per run); the copy a waiver or an
    organisation minimum edits must not reach the kept one."""
    import copy
    import datetime

    from openness_gate.policy.load import load as load_policy
    from openness_gate.record import deep_copy

    for name in ("ai-stack", "mof", "osaid-1.0", "minimal"):
        policy = load_policy(name)
        mine, theirs = deep_copy(policy), copy.deepcopy(policy)
        assert mine == theirs == policy and type(mine) is type(policy)
        mine.requirements[0]["id"] = "edited"
        mine.scoring["edited"] = 1
        assert policy == load_policy(name) and policy.requirements[0]["id"] != "edited"
    frozen = Point(1, tags=("x", ["y"]))
    assert deep_copy(frozen) == frozen and deep_copy(frozen).tags[1] is not frozen.tags[1]
    with pytest.raises(FrozenInstanceError):
        deep_copy(frozen).x = 2
    day = {"expires": datetime.date(2027, 1, 1), "paths": ["a"]}  # a date from a waiver: left to copy.deepcopy
    assert deep_copy(day) == day and deep_copy(day)["paths"] is not day["paths"]


def test_a_check_of_a_policy_imports_no_copy(tmp_path) -> None:
    (tmp_path / "README.md").write_text("# A model\n")
    report, imported = modules_after_check(tmp_path, ("copy", "weakref"), site=False)
    assert '"components"' in report and imported == set()
