"""`@frozen`: a frozen dataclass that costs start-up a third as much to make.

`@dataclass(frozen=True)` compiles six methods for every class as the class is made, so on every run
as planlint starts: most of what its dozens of value classes cost a quick check (a sixth of a cold
`planlint check`). Here `dataclass` compiles nothing: it records the fields (so `fields` and `replace`
work as ever), and `__init__` is the one method compiled, as a frozen dataclass's is (each field set
with `object.__setattr__`, defaults and default factories as `dataclass` gives them). Assigning and
deleting, equality, hashing, `repr` and (with `order=True`) ordering are written once below, each
reading the fields it needs through one getter per class. They behave as the generated ones do:
compare, hash and show the same fields, in the same order, and refuse to change an instance.
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
    documented = bool(cls.__doc__)
    if not documented:  # else dataclass writes one from inspect.signature, which without its __init__ reads
        cls.__doc__ = cls.__name__  # object's signature by tokenizing its text: 0.3-0.5 ms a class
    cls = dataclasses.dataclass(cls, init=False, eq=False, repr=False)  # the fields recorded, nothing compiled
    fields = dataclasses.fields(cls)
    if not documented:  # as dataclass would write it, without the types
        cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in fields if f.init)})"
    if "__init__" not in vars(cls):
        cls.__init__ = _init(cls, fields)  # type: ignore[misc]
    cls.__setattr__ = _refuse_assign  # type: ignore[method-assign, assignment]
    cls.__delattr__ = _refuse_delete  # type: ignore[method-assign, assignment]
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


_FACTORY = object()  # the default of a parameter whose field has a default factory, as in dataclasses


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The `__init__` a frozen dataclass has: the fields in order as parameters (those with `kw_only`
    after a `*`), each set with `object.__setattr__`; a field's default, or its factory called when
    the argument is not given; a field with `init=False` set from its default or factory; then
    `__post_init__`, if the class has one."""
    names = {"__set": object.__setattr__, "__factory": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for index, field in enumerate(fields):
        default = f"__default_{index}"
        if field.default is not dataclasses.MISSING:
            names[default] = field.default
            value = default if not field.init else field.name
            given = f"{field.name}={default}"
        elif field.default_factory is not dataclasses.MISSING:
            names[default] = field.default_factory
            value = f"{default}()" if not field.init else \
                f"{default}() if {field.name} is __factory else {field.name}"
            given = f"{field.name}=__factory"
        else:
            if not field.init:
                raise TypeError(f"{cls.__qualname__}.{field.name}: a field with init=False needs a default")
            value = given = field.name
        if field.init:
            (keyword if getattr(field, "kw_only", False) is True else positional).append(given)
        body.append(f"  __set(self, {field.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    text = f"def __init__({parameters}):\n" + "\n".join(body or ["  pass"]) + "\n"
    made: dict[str, Any] = {}
    exec(text, names, made)  # planlint's own classes, never a plan's or a rule's text
    init = made["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init  # type: ignore[no-any-return]


def _refuse_assign(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


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
