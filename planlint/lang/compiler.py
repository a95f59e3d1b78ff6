"""Compiling syntax trees into nested closures over one mutable evaluation state.

Closures share one `Env` per evaluation, so binding a quantifier variable or visiting a
filter element is an assignment, not a new context. Steps are paid in advance: an
evaluation pays for the nodes outside any loop, each loop iteration for the nodes of its
body, and a function call for the size of the lists it is given (but not those it only looks
things up in) and returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from planlint.lang import operators
from planlint.lang.operators import MAX_SIZE, get_field, get_index
from planlint.lang.ast import (
    Binary, Call, Conditional, Element, Expr, Field, Index, ListExpr, Literal, Name, Project,
    Quantifier, Unary, RESERVED, children,
)
from planlint.lang.context import EvalContext, Frame, parent_of
from planlint.lang.errors import EvalError

Fn = Callable[["Env"], Any]


class Scope:
    """What a name may mean where it is compiled: `bound`, the quantifier variables around it;
    `variables`, the names the host binds for the whole expression (a rule's `let:` and `with:`
    names), or None where any name may be one, so that each is looked for when it is read."""

    __slots__ = ("bound", "variables")

    def __init__(self, bound: frozenset[str] = frozenset(), variables: frozenset[str] | None = None) -> None:
        self.bound, self.variables = bound, variables

    def binding(self, name: str) -> Scope:
        return Scope(self.bound | {name}, self.variables)

    def is_field(self, name: str) -> bool:
        """Whether the name, read bare, can only be a field of the current node."""
        return (self.variables is not None and name not in self.variables and name not in self.bound
                and name not in RESERVED)


class Env:
    """The state of one evaluation: where it stands in the plan, the names bound, the budget.

    `vars` holds a rule's `let:` and `with:` values (a Frame, whose `with:` values are computed when first read)
    and is only read; `bound` holds the quantifier variables, bound and unbound as loops run. The
    engine keeps one Env for a rule's whole run on a plan and moves it from node to node.
    """

    __slots__ = ("root", "node", "path", "options", "vars", "bound", "functions", "budget", "facts", "element")

    def __init__(self, root: Any, node: Any, path: Any, options: Any, variables: Any, budget: Any,
                 functions: Any, facts: Any) -> None:
        self.root, self.node, self.path, self.options = root, node, path, options
        self.vars, self.bound = variables, {}
        self.functions, self.budget, self.facts = functions, budget, facts
        self.element: Any = None

    @classmethod
    def of(cls, ctx: EvalContext) -> Env:
        return cls(ctx.root, ctx.node, ctx.path, ctx.options, ctx.variables, ctx.budget, ctx.functions, ctx.facts)


def static_cost(expr: Expr) -> int:
    """The nodes of `expr` that run once per evaluation: all but those inside loops."""
    total, stack = 0, [expr]
    while stack:
        node = stack.pop()
        total += 1
        if isinstance(node, Project):
            stack.append(node.source)
        elif isinstance(node, Quantifier):
            stack.append(node.collection)
        else:
            stack.extend(children(node))
    return total


def loop_cost(*bodies: Expr | None) -> int:
    return 1 + sum(static_cost(body) for body in bodies if body is not None)


def compile_node(node: Expr, scope: Scope) -> Fn:
    """A closure computing `node`; `scope` says what the names around it mean."""
    return _COMPILERS[type(node)](node, scope)


def _literal(node: Literal, scope: Scope) -> Fn:
    value = node.value
    return lambda env: value


def _list(node: ListExpr, scope: Scope) -> Fn:
    if all(isinstance(item, Literal) for item in node.items):
        constant = [item.value for item in node.items]  # type: ignore[union-attr]
        return lambda env: list(constant)
    parts = [compile_node(item, scope) for item in node.items]
    return lambda env: [part(env) for part in parts]


def _name(node: Name, scope: Scope) -> Fn:
    name = node.name
    if name in scope.bound:
        return lambda env: env.bound[name]
    special: dict[str, Fn] = {
        "root": _root,
        "node": _node,
        "parent": lambda env: parent_of(env.root, env.path),
        "options": lambda env: env.options,
    }
    if name in special:
        return special[name]
    if scope.is_field(name):
        def node_field(env: Env) -> Any:
            node = env.node
            return node.get(name) if type(node) is dict else get_field(node, name)

        return node_field
    if scope.variables is not None:
        def variable(env: Env) -> Any:
            try:
                return env.vars[name]
            except KeyError:  # not bound where it is read (`applies_if:` runs before `let:`): a field
                node = env.node
                return node.get(name) if type(node) is dict else get_field(node, name)

        return variable

    def variable_or_field(env: Env) -> Any:
        variables = env.vars
        if name in variables or (type(variables) is Frame and variables.binds(name)):
            return variables[name]
        node = env.node
        return node.get(name) if type(node) is dict else get_field(node, name)

    return variable_or_field


_root = attrgetter("root")
_node = attrgetter("node")


def _element(node: Element, scope: Scope) -> Fn:
    return lambda env: env.element


def _field(node: Field, scope: Scope) -> Fn:
    """A chain of fields (`root.period.start`, `sentence.date`) read in one closure."""
    names: list[str] = []
    base: Expr = node
    while isinstance(base, Field):
        names.append(base.name)
        base = base.target
    names.reverse()
    if isinstance(base, Name) and scope.is_field(base.name):
        names.insert(0, base.name)
        start: Fn = _node
    elif isinstance(base, Name) and base.name in ("root", "node") and base.name not in scope.bound:
        start = _root if base.name == "root" else _node
    else:
        start = compile_node(base, scope)
        variable = _variable(base, scope)
        if variable and len(names) == 1:
            return _variable_field(variable, names[0])
    return _chain(start, tuple(names))


def _variable_field(variable: str, name: str) -> Fn:
    """A field of a rule's value (`sentence.date`), the value read in place as `variable` reads it."""

    def variable_field(env: Env) -> Any:
        try:
            value = env.vars[variable]
        except KeyError:
            value = env.node
            value = value.get(variable) if type(value) is dict else get_field(value, variable)
        return value.get(name) if type(value) is dict else get_field(value, name)

    return variable_field


def _variable(node: Expr, scope: Scope) -> str:
    """The name of the rule's value (`let:`, `with:`) that `node` reads, where _name reads it with `variable`;
    else ""."""
    if not isinstance(node, Name) or node.name in scope.bound or node.name in _SPECIAL_NAMES:
        return ""
    return node.name if scope.variables is not None and not scope.is_field(node.name) else ""


_SPECIAL_NAMES = frozenset(("root", "node", "parent", "options"))


def _chain(start: Fn, names: tuple[str, ...]) -> Fn:
    if len(names) == 1:
        name, = names

        def field(env: Env) -> Any:
            value = start(env)
            return value.get(name) if type(value) is dict else get_field(value, name)

        return field
    if len(names) == 2:
        first, second = names

        def fields(env: Env) -> Any:
            value = start(env)
            value = value.get(first) if type(value) is dict else get_field(value, first)
            return value.get(second) if type(value) is dict else get_field(value, second)

        return fields

    def chain(env: Env) -> Any:
        value = start(env)
        for name in names:
            value = value.get(name) if type(value) is dict else get_field(value, name)
        return value

    return chain


def _index(node: Index, scope: Scope) -> Fn:
    target, key = compile_node(node.target, scope), compile_node(node.index, scope)
    return lambda env: get_index(target(env), key(env))


def _project(node: Project, scope: Scope) -> Fn:
    source, body = compile_node(node.source, scope), compile_node(node.body, scope)
    condition = None if node.condition is None else compile_node(node.condition, scope)
    flatten = isinstance(node.body, Project)
    cost, line, column = loop_cost(node.body, node.condition), node.line, node.column

    def project(env: Env) -> list[Any]:
        found: list[Any] = []
        saved = env.node, env.path, env.element
        try:
            budget = env.budget
            for item in operators.items(source(env)):
                budget.used += cost  # budget.spend(cost), written out for the loop
                if budget.used > budget.limit:
                    budget.spend(0)
                if condition is not None:
                    env.node, env.path = item, None
                    keep = operators.truth(condition(env), "a filter [? ...]")
                    env.node, env.path = saved[0], saved[1]
                    if keep is not True:
                        continue
                env.element = item
                result = body(env)
                found.extend(result) if flatten else found.append(result)
        except EvalError as error:
            raise error.located(line, column) from None
        finally:
            env.node, env.path, env.element = saved
        return found

    return project


def _call(node: Call, scope: Scope) -> Fn:
    name, args = node.name, tuple(compile_node(arg, scope) for arg in node.args)
    line, column = node.line, node.column
    # The function last found under `name` (whose arity fits), what running it takes, and which of the
    # arguments are charged their size: those the function does not only look things up in.
    # A table of functions is not changed once an evaluation uses it (planlint's are read-only), so the function is
    # looked up again only in another table.
    table: Any = None
    impl: Callable[..., Any] = _no_impl
    needs_context = False
    charged: tuple[bool, ...] = ()

    def function_of(functions: Mapping[str, Any]) -> None:
        nonlocal table, impl, needs_context, charged
        function = functions.get(name)
        _check_call(function, name, len(args), line, column)
        table, impl, needs_context = functions, function.impl, function.needs_context
        charged = tuple(index not in function.looks_up for index in range(len(args)))

    def finish(env: Env, result: Any, values: list[Any]) -> Any:
        """Charge for a list, mapping or long text the function built."""
        kind = type(result)
        if kind is list or kind is dict:
            if result:
                budget = env.budget  # budget.spend(len(result)), written out as below
                budget.used += len(result)
                if budget.used > budget.limit:
                    budget.spend(0)
                if kind is list and len(result) > MAX_SIZE:
                    _check_built(name, result, values)
        elif kind is str and len(result) > CHARS_PER_STEP:
            env.budget.spend(len(result) // CHARS_PER_STEP)
            if len(result) > MAX_SIZE:
                _check_built(name, result, values)
        return result

    def run(env: Env, values: list[Any], size: int) -> Any:
        try:
            if size:
                env.budget.spend(size)
            result = impl(env, *values) if needs_context else impl(*values)
            kind = type(result)
            if kind is list or kind is dict:
                if result:
                    finish(env, result, values)
            elif kind is str and len(result) > CHARS_PER_STEP:
                finish(env, result, values)
        except OverflowError:  # arithmetic past the largest float: the answer is unknown, as for a missing value
            return None
        except EvalError as error:
            raise error.located(line, column) from None
        return result

    # The arguments' values and sizes, without a loop for the one- and two-argument calls most rules make.
    if len(args) == 1:
        first, = args
        field = _node_field(node.args[0], scope)

        def call(env: Env) -> Any:  # run() written out: most calls have one argument
            if env.functions is not table:
                function_of(env.functions)
            if field:  # first(env), written out for the argument most calls are given, a field of the node
                value = env.node
                value = value.get(field) if type(value) is dict else get_field(value, field)
            else:
                value = first(env)
            kind = type(value)
            try:
                if (kind is list or kind is dict) and charged[0] and value:
                    budget = env.budget  # budget.spend(len(value)), written out: a call for each list given
                    budget.used += len(value)
                    if budget.used > budget.limit:
                        budget.spend(0)
                result = impl(env, value) if needs_context else impl(value)
                kind = type(result)
                if kind is list or kind is dict:
                    if result:
                        finish(env, result, [value])
                elif kind is str and len(result) > CHARS_PER_STEP:
                    finish(env, result, [value])
            except OverflowError:
                return None
            except EvalError as error:
                raise error.located(line, column) from None
            return result
    elif len(args) == 2:
        first, second = args

        def call(env: Env) -> Any:
            if env.functions is not table:
                function_of(env.functions)
            one, two = first(env), second(env)
            size = len(one) if (type(one) is list or type(one) is dict) and charged[0] else 0
            if (type(two) is list or type(two) is dict) and charged[1]:
                size += len(two)
            try:  # run(), written out as for one argument
                if size:
                    env.budget.spend(size)
                result = impl(env, one, two) if needs_context else impl(one, two)
                kind = type(result)
                if kind is list or kind is dict:
                    if result:
                        finish(env, result, [one, two])
                elif kind is str and len(result) > CHARS_PER_STEP:
                    finish(env, result, [one, two])
            except OverflowError:
                return None
            except EvalError as error:
                raise error.located(line, column) from None
            return result
    else:
        def call(env: Env) -> Any:
            if env.functions is not table:
                function_of(env.functions)
            values = [arg(env) for arg in args]
            size = 0
            for value, paid in zip(values, charged):
                if paid and (type(value) is list or type(value) is dict):
                    size += len(value)
            return run(env, values, size)

    if len(args) == 1 and name in _TYPE_TESTS:
        return _type_test(name, node.args[0], scope, call, line, column)
    return call


def _type_test(name: str, argument: Expr, scope: Scope, general: Fn, line: int, column: int) -> Fn:
    """A call of one of the standard library's type tests (`exists(x)`, `is_string(x)`, ...) in one closure:
    the argument read in place when it is a field of the node, the answer for the types a plan's values have
    known without calling the test, and the argument charged as the general call charges it. Where the
    evaluation's functions give the name to another function (a host's own), the general call runs it."""
    from planlint.lang.functions import FUNCTIONS  # the library's modules import this one's neighbours

    standard = FUNCTIONS[name]
    test, (true_for, false_for) = standard.impl, _TYPE_TESTS[name]
    field, read = _node_field(argument, scope), compile_node(argument, scope)

    standard_in: Any = None  # the last table of functions seen to give `name` to the standard test

    def type_test(env: Env) -> Any:
        nonlocal standard_in
        if env.functions is not standard_in:
            if env.functions.get(name) is not standard:
                return general(env)
            standard_in = env.functions
        if field:
            value = env.node
            value = value.get(field) if type(value) is dict else get_field(value, field)
        else:
            value = read(env)
        kind = type(value)
        if (kind is list or kind is dict) and value:  # charged its size, as the general call charges a list
            budget = env.budget
            budget.used += len(value)
            if budget.used > budget.limit:
                try:
                    budget.spend(0)
                except EvalError as error:
                    raise error.located(line, column) from None
        if kind in true_for:
            return True
        return False if kind in false_for else test(value)

    return type_test


# For each of the standard library's type tests, the types of a plan's values it holds for and those it does
# not; for any other type (a subclass) and for a text that may be a date, the test itself answers.
# tests/test_lang_evaluate.py holds them to the tests.
_PLAN_TYPES = frozenset((str, int, float, bool, type(None), dict, list))
_TYPE_TESTS: dict[str, tuple[frozenset[type], frozenset[type]]] = {
    "exists": (_PLAN_TYPES - {type(None)}, frozenset((type(None),))),
    "is_null": (frozenset((type(None),)), _PLAN_TYPES - {type(None)}),
    "is_string": (frozenset((str,)), _PLAN_TYPES - {str}),
    "is_number": (frozenset((int, float)), _PLAN_TYPES - {int, float}),
    "is_list": (frozenset((list,)), _PLAN_TYPES - {list}),
    "is_map": (frozenset((dict,)), _PLAN_TYPES - {dict}),
    "is_date": (frozenset(), _PLAN_TYPES - {str}),
}


def _node_field(node: Expr, scope: Scope) -> str:
    """The name of the node's field that `node` reads (`statement`), for a closure to read it in place;
    else ""."""
    return node.name if isinstance(node, Name) and scope.is_field(node.name) else ""


def _no_impl(*values: Any) -> Any:
    raise AssertionError("a function is run before it is found")


CHARS_PER_STEP = 100  # text a function builds costs a step per this many characters


def _check_built(name: str, result: Any, values: list[Any]) -> None:
    """A function may hand back a long value it was given (default(), first()); it may not build one
    longer than `+` may."""
    passed = any(result is value or (type(value) is list and any(result is item for item in value))
                 for value in values)
    if not passed:
        raise EvalError(f"{name}() would build something longer than {MAX_SIZE}")


def _check_call(function: Any, name: str, count: int, line: int, column: int) -> None:
    if function is None:
        raise EvalError(f"unknown function '{name}'", line, column)
    problem = function.arity_problem(count)
    if problem:
        raise EvalError(problem, line, column)


def _unary(node: Unary, scope: Scope) -> Fn:
    operand, line, column = compile_node(node.operand, scope), node.line, node.column
    if node.op == "-":
        def negate(env: Env) -> Any:
            try:
                return operators.negate(operand(env))
            except EvalError as error:
                raise error.located(line, column) from None

        return negate

    def not_(env: Env) -> Any:
        try:
            value = operators.truth(operand(env), "'not'")
        except EvalError as error:
            raise error.located(line, column) from None
        return None if value is None else not value

    return not_


def _binary(node: Binary, scope: Scope) -> Fn:
    if node.op in ("and", "or"):
        return _logic(node, scope)
    left, right = compile_node(node.left, scope), compile_node(node.right, scope)
    line, column = node.line, node.column
    operator = operators.BINARY[node.op]
    if node.op in _ORDERINGS:
        return _ordering(_ORDERINGS[node.op], operator, left, right, line, column, node.right, scope)
    if node.op not in ("+", "==", "!=", "in", "not in"):
        def binary(env: Env) -> Any:
            try:
                return operator(left(env), right(env))
            except OverflowError:  # a number the plan may hold (1e308, a 1,000-bit whole number) but no float can
                return None
            except EvalError as error:
                raise error.located(line, column) from None

        return binary
    if isinstance(node.right, Literal) and type(node.right.value) in _SCALARS:
        return _sized_constant(node.op, left, node.right.value, line, column)
    # These walk or copy whole lists, so they pay per element as functions do; a key looked up in a
    # mapping (`id in served`) is found at once, so `in` pays for a list only.
    lookup = node.op in ("in", "not in")

    def sized(env: Env) -> Any:
        try:
            first, second = left(env), right(env)
            size = len(first) if type(first) is list or type(first) is dict else 0
            if type(second) is list or (type(second) is dict and not lookup):
                size += len(second)
            if size:
                budget = env.budget  # budget.spend(size), written out as for a call
                budget.used += size
                if budget.used > budget.limit:
                    budget.spend(0)
            return operator(first, second)
        except OverflowError:
            return None
        except EvalError as error:
            raise error.located(line, column) from None

    return sized


_SCALARS = (str, int, float, bool, type(None))
# How each ordering reads operators.order's -1, 0 or 1: `<` holds when 0 > it, and so on.
_ORDERINGS: dict[str, Callable[[int], bool]] = {"<": (0).__gt__, "<=": (0).__ge__, ">": (0).__lt__, ">=": (0).__le__}


def _ordering(test: Callable[[int], bool], operator: Callable[[Any, Any], Any], left: Fn, right: Fn,
              line: int, column: int, right_node: Expr, scope: Scope) -> Fn:
    """`<`, `<=`, `>`, `>=`: two numbers compared here, as operators.order does; the rest by the operator. What
    most orderings have on the right, a literal or a rule's value (`year >= period_first`), is read in place."""
    literal, variable = isinstance(right_node, Literal), _variable(right_node, scope)
    constant = right_node.value if isinstance(right_node, Literal) else None

    def ordering(env: Env) -> Any:
        try:
            first = left(env)
            if literal:
                second = constant
            elif variable:  # right(env), written out as _variable_field reads a value
                try:
                    second = env.vars[variable]
                except KeyError:
                    second = env.node
                    second = second.get(variable) if type(second) is dict else get_field(second, variable)
            else:
                second = right(env)
            one, two = type(first), type(second)
            if (one is int or one is float) and (two is int or two is float):
                return test((first > second) - (first < second))
            return operator(first, second)
        except OverflowError:
            return None
        except EvalError as error:
            raise error.located(line, column) from None

    return ordering


def _sized_constant(op: str, left: Fn, constant: Any, line: int, column: int) -> Fn:
    """`direction == 'increase'`, `x + 1`: a comparison or sum with a literal on the right, which costs
    nothing to read and has no size."""
    operator = operators.BINARY[op]
    text = type(constant) is str
    equality = op in ("==", "!=") and text  # text equals text only when it is the same text
    negated = op == "!="

    def sized_constant(env: Env) -> Any:
        try:
            first = left(env)
            kind = type(first)
            if equality and kind is str:
                return (first == constant) is not negated
            if (kind is list or kind is dict) and first:
                budget = env.budget  # budget.spend(len(first)), written out as for a call
                budget.used += len(first)
                if budget.used > budget.limit:
                    budget.spend(0)
            return operator(first, constant)
        except OverflowError:
            return None
        except EvalError as error:
            raise error.located(line, column) from None

    return sized_constant


def _logic(node: Binary, scope: Scope) -> Fn:
    """`a and b and c` as one closure over its parts, each in turn, as the nested form would run them.

    Kleene logic: null is "unknown"; a decisive side wins even against an unknown one. A part that is
    not a truth value is reported at the operator before it (the first two parts at the first)."""
    op = node.op
    parts: list[Expr] = []
    places: list[tuple[int, int]] = []
    chain: Expr = node
    while isinstance(chain, Binary) and chain.op == op:
        parts.append(chain.right)
        places.append((chain.line, chain.column))
        chain = chain.left
    parts.append(chain)
    places.append(places[-1])
    parts.reverse()
    places.reverse()
    compiled = tuple(zip([compile_node(part, scope) for part in parts], places))
    decisive = op == "or"
    other = not decisive
    where = f"'{op}'"
    if len(compiled) == 2:
        (left, _), (right, _) = compiled
        line, column = places[0]

        def logic(env: Env) -> Any:
            try:
                first = left(env)
                if first is decisive:
                    return decisive
                if first is not other and first is not None:
                    operators.truth(first, where)  # not a truth value: the rule's mistake, said here
                second = right(env)
                if second is decisive:
                    return decisive
                if second is not other and second is not None:
                    operators.truth(second, where)
            except EvalError as error:
                raise error.located(line, column) from None
            return None if first is None or second is None else other

        return logic

    def logic_chain(env: Env) -> Any:
        unknown = False
        for part, (line, column) in compiled:
            try:
                value = part(env)
                if value is decisive:
                    return decisive
                if value is None:
                    unknown = True
                elif value is not other:
                    operators.truth(value, where)
            except EvalError as error:
                raise error.located(line, column) from None
        return None if unknown else other

    return logic_chain


def _conditional(node: Conditional, scope: Scope) -> Fn:
    test = compile_node(node.condition, scope)
    then, otherwise = compile_node(node.then, scope), compile_node(node.otherwise, scope)
    line, column = node.line, node.column

    def conditional(env: Env) -> Any:
        try:
            chosen = operators.truth(test(env), "'if'")
        except EvalError as error:
            raise error.located(line, column) from None
        return then(env) if chosen is True else otherwise(env)

    return conditional


def _quantifier(node: Quantifier, scope: Scope) -> Fn:
    name, kind = node.variable.name, node.kind
    collection = compile_node(node.collection, scope)
    body = compile_node(node.body, scope.binding(name))
    cost, line, column = loop_cost(node.body), node.line, node.column
    where = f"the condition of '{kind}'"

    def quantify(env: Env) -> Any:
        values = env.bound
        saved = values.get(name, _UNBOUND)
        seen_true = seen_null = 0
        try:
            budget = env.budget
            for item in operators.items(collection(env)):
                budget.used += cost  # budget.spend(cost), written out for the loop
                if budget.used > budget.limit:
                    budget.spend(0)
                values[name] = item
                verdict = operators.truth(body(env), where)
                if verdict is None:
                    seen_null += 1
                elif verdict:
                    seen_true += 1
                    if kind in ("any", "none"):
                        return kind == "any"
                elif kind == "all":
                    return False
        except EvalError as error:
            raise error.located(line, column) from None
        finally:
            if saved is _UNBOUND:
                values.pop(name, None)
            else:
                values[name] = saved
        if kind == "count":
            return seen_true
        return None if seen_null else kind != "any"

    return quantify


_UNBOUND = object()
_COMPILERS: dict[type, Callable[[Any, Scope], Fn]] = {
    Literal: _literal, ListExpr: _list, Name: _name, Element: _element, Field: _field,
    Index: _index, Project: _project, Call: _call, Unary: _unary, Binary: _binary,
    Conditional: _conditional, Quantifier: _quantifier,
}
