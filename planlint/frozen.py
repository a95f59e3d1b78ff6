"""`@frozen`: a frozen dataclass that costs start-up half as much to make.

`@dataclass(frozen=True)` compiles six methods for every class as the class is made, so on every run
as planlint starts: most of what its dozens of value classes cost a quick check. Here `dataclass`
makes only `__init__`, `__setattr__` and `__delattr__`; equality, hashing, `repr` and (with `order=True`)
ordering are written once below, each reading the fields it needs through one getter per class. They
behave as the generated ones do: compare, hash and show the same fields, in the same order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def frozen(cls: T | None = None, /, *, order: bool = False) -> Any:
    """`@dataclass(frozen=True)` (or `order=True`), its class a dataclass as ever (`fields`, `replace`)."""
    if cls is None:
        return lambda cls: _made(cls, order)
    return _made(cls, order)


def _made(cls: T, order: bool) -> T:
    cls = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False)
    fields = dataclasses.fields(cls)
    cls._compared = staticmethod(_getter([f.name for f in fields if f.compare]))
    cls._hashed = staticmethod(_getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)]))
    cls._shown = tuple(f.name for f in fields if f.repr)
    methods: dict[str, Callable[..., Any]] = {"__eq__": _eq, "__hash__": _hash, "__repr__": _repr}
    if order:
        methods.update(__lt__=_lt, __le__=_le, __gt__=_gt, __ge__=_ge)
    for name, method in methods.items():
        if name not in vars(cls):
            setattr(cls, name, method)
    return cls


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return attrgetter(*names)  # a tuple of the values
    if names:
        name = names[0]
        return lambda value: (getattr(value, name),)
    return lambda value: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._compared(self) == self._compared(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self._hashed(self))


def _repr(self: Any) -> str:
    return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self._shown)})"


def _lt(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._compared(self) < self._compared(other)
    return NotImplemented


def _le(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._compared(self) <= self._compared(other)
    return NotImplemented


def _gt(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._compared(self) > self._compared(other)
    return NotImplemented


def _ge(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._compared(self) >= self._compared(other)
    return NotImplemented
