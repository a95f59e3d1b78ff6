"""`@frozen` classes behave as `@dataclass(frozen=True)` ones: made, compared, hashed, shown, replaced,
pickled and refused changes alike."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field

import pytest

from planlint.frozen import frozen


def _pair(order: bool = False) -> tuple[type, type]:
    """The same class made by `@frozen` (Ours) and by `@dataclass(frozen=True)` (Theirs)."""

    def body() -> dict:
        return {
            "__annotations__": {"name": "str", "count": "int", "tags": "tuple", "notes": "list", "seen": "int",
                                "extra": "str", "flag": "bool"},
            "count": 0,
            "tags": (),
            "notes": field(default_factory=list, compare=False),
            "seen": field(default=7, init=False),
            "extra": field(default="", repr=False),
            "flag": field(default=False, kw_only=True),
        }

    ours = frozen(type("Ours", (), {**body(), "__module__": __name__}), order=order)
    theirs = dataclasses.dataclass(type("Theirs", (), {**body(), "__module__": __name__}), frozen=True, order=order)
    return ours, theirs


Ours, Theirs = _pair()  # at the module's top level, so that pickle finds them


ARGUMENTS = [(("a",), {}), (("a", 2), {}), (("a", 2, ("x",)), {"flag": True}),
             ((), {"name": "b", "notes": [1], "extra": "e"})]


@pytest.mark.parametrize(("args", "kwargs"), ARGUMENTS)
def test_a_frozen_class_is_made_shown_and_compared_as_a_frozen_dataclass(args, kwargs):
    ours, theirs = Ours, Theirs
    one, other = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert repr(one).replace("Ours", "Theirs") == repr(other)
    assert dataclasses.asdict(one) == dataclasses.asdict(other)
    assert one == ours(*args, **kwargs) and hash(one) == hash(ours(*args, **kwargs))
    assert one != ours("z") and one != other  # another class is never equal, as between dataclasses
    changed = dataclasses.replace(one, count=9)
    assert changed.count == 9 and dataclasses.asdict(changed) == dataclasses.asdict(dataclasses.replace(other, count=9))
    assert pickle.loads(pickle.dumps(one)) == one and pickle.loads(pickle.dumps(other)) == other
    assert [f.name for f in dataclasses.fields(one)] == [f.name for f in dataclasses.fields(other)]


def test_a_default_factory_makes_a_new_value_for_each_instance():
    ours, _ = _pair()
    assert ours("a").notes == [] and ours("a").notes is not ours("a").notes


def test_a_frozen_class_refuses_every_change():
    ours, theirs = _pair()
    for made in (ours("a"), theirs("a")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.count = 1
        with pytest.raises(dataclasses.FrozenInstanceError):
            del made.name
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.new = 1


@pytest.mark.parametrize(("args", "kwargs"), [((), {}), (("a", 1, (), [], "", "surplus"), {}), (("a",), {"seen": 1}),
                                              (("a",), {"other": 1}), (("a", 0, (), [], "", True), {})])
def test_wrong_arguments_are_refused_as_by_a_frozen_dataclass(args, kwargs):
    ours, theirs = _pair()
    with pytest.raises(TypeError):
        theirs(*args, **kwargs)
    with pytest.raises(TypeError):
        ours(*args, **kwargs)


def test_an_ordered_frozen_class_orders_as_an_ordered_dataclass():
    ours, theirs = _pair(order=True)
    values = [("b", 1), ("a", 2), ("a", 1)]
    assert [(i.name, i.count) for i in sorted(ours(*v) for v in values)] == \
        [(i.name, i.count) for i in sorted(theirs(*v) for v in values)]


def test_post_init_runs_after_the_fields_are_set():
    @frozen
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    assert Checked(1).value == 1
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_a_class_without_a_docstring_is_made_without_reading_a_signature(monkeypatch):
    """dataclass documents such a class from inspect.signature, which for a class without its own __init__
    tokenizes object's signature text: slow at start-up. @frozen writes the doc from the fields."""
    import inspect

    def refused(*args, **kwargs):
        raise AssertionError("inspect.signature was called")

    monkeypatch.setattr(inspect, "signature", refused)
    made = frozen(type("Plain", (), {"__annotations__": {"name": "str", "count": "int"}, "count": 0,
                                     "__module__": __name__}))
    assert made.__doc__ == "Plain(name, count)"
    assert made("a").count == 0
    documented = frozen(type("Told", (), {"__annotations__": {"name": "str"}, "__doc__": "A told class.",
                                          "__module__": __name__}))
    assert documented.__doc__ == "A told class."
