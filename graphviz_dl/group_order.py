"""A topological order that keeps every group's members together.

Groups are nested, and a group recorded while it was open is convex (no path
leaves it and comes back: everything built in between was built inside it),
so an order exists in which each group is one contiguous run. It is found the
way :func:`graphviz_dl.engine.topological_order` finds its order, placing nodes
from the root backwards once all their users are placed, with one rule added:
a group is entered only once every node outside it that uses one of its
members is placed, and is then finished before anything else is placed.

Leaves may have been put in a group (a neuron's weights) by a call other than
the one that uses them (the same weights read by four samples' neurons): a
leaf stays in its group when all its users are inside that group, and is
otherwise moved to the innermost group that holds all its users, so shared
weights are drawn outside the per-sample boxes.
"""

from __future__ import annotations

from .engine import Value
from .groups import Group


class Ancestry:
    """Lowest common ancestors and "leaving" chains of groups, remembered per pair
    (a graph has few groups and many edges)."""

    def __init__(self) -> None:
        self._paths: dict[Group | None, tuple[Group, ...]] = {None: ()}
        self._lca: dict[tuple, Group | None] = {}
        self._leaving: dict[tuple, tuple[Group, ...]] = {}
        self._around: dict[Group | None, frozenset[Group]] = {}

    def path(self, group: Group | None) -> tuple[Group, ...]:
        found = self._paths.get(group)
        if found is None:
            found = self._paths[group] = group.path()
        return found

    def lca(self, a: Group | None, b: Group | None) -> Group | None:
        key = (a, b)
        if key in self._lca:
            return self._lca[key]
        common = None
        for x, y in zip(self.path(a), self.path(b)):
            if x is not y:
                break
            common = x
        self._lca[key] = common
        return common

    def around(self, group: Group | None) -> frozenset[Group]:
        """``group`` and the groups holding it."""
        found = self._around.get(group)
        if found is None:
            found = self._around[group] = frozenset(self.path(group))
        return found

    def leaving(self, a: Group | None, b: Group | None) -> tuple[Group, ...]:
        """The groups holding a node of group ``a`` but not one of group ``b``."""
        key = (a, b)
        found = self._leaving.get(key)
        if found is None:
            chain = self.path(a)
            found = chain[len(self.path(self.lca(a, b))) :]
            self._leaving[key] = found
        return found


def grouped_order(root: Value) -> tuple[list[Value], list[Group | None]] | None:
    """Every node ``root`` depends on, parents first, each group contiguous, with
    each node's group; None if a group is not convex (no such order).

    With no groups at all this is exactly
    :func:`graphviz_dl.engine.topological_order` (same passes, same order).
    A leaf moved by the rule above is moved for good (its ``group`` is set).
    """
    ancestry = Ancestry()
    uses, outside, shared = _count(root, ancestry)
    _settle(outside, shared, ancestry)
    return _place(root, uses, outside, ancestry.around)


def _parents(node: Value) -> tuple[Value, ...]:
    kind = type(node)
    if kind is _Add or kind is _Mul or kind is _Binary:
        return (node.a, node.b)
    if kind is _Unary:
        return (node.a,)
    return node.parents


def _count(root: Value, ancestry: Ancestry):
    """First pass: uses per node, uses of each group's members from outside it;
    grouped leaves' users' groups are kept for :func:`_settle`."""
    uses = {root: 0}
    outside: dict[Group, int] = {}
    shared: dict[Value, list[Group | None]] = {}  # grouped leaf -> users' groups
    around = ancestry.around
    stack = [root]
    pop, push = stack.pop, stack.append
    leaf, add, mul, binary, unary = Value, _Add, _Mul, _Binary, _Unary
    while stack:
        node = pop()
        kind = type(node)
        if kind is leaf:
            continue
        if kind is add or kind is mul or kind is binary:
            parents = (node.a, node.b)
        elif kind is unary:
            parents = (node.a,)
        else:
            parents = node.parents
        gc = getattr(node, "group", None)
        inside = around(gc)
        for p in parents:
            if p in uses:
                uses[p] += 1
            else:
                uses[p] = 1
                push(p)
            gp = getattr(p, "group", None)
            if gp is None:
                continue
            if type(p) is leaf:
                if p in shared:
                    shared[p].append(gc)
                else:
                    shared[p] = [gc]
            elif gp is not gc:
                while gp is not None and gp not in inside:  # gp's groups left
                    outside[gp] = outside.get(gp, 0) + 1
                    gp = gp.parent
    return uses, outside, shared


def _settle(outside, shared, ancestry: Ancestry) -> None:
    """A grouped leaf stays in its group if all its users are inside it, else it
    moves to the innermost group holding all of them; then its edges count."""
    lca, leaving = ancestry.lca, ancestry.leaving
    for leaf, users in shared.items():
        own = leaf.group
        common = users[0]
        for g in users[1:]:
            if g is not common:
                common = lca(common, g)
        if own is not common and own not in ancestry.path(common):
            leaf.group = own = common
        for gc in users:
            if own is not gc:
                for g in leaving(own, gc):
                    outside[g] = outside.get(g, 0) + 1


def _place(root: Value, uses, outside, around):
    """Second pass: place nodes from the root back, entering a group only once
    nothing outside it still waits, and finishing it before leaving it. Ready
    nodes go first; ready groups go latest-made first, so groups come out in
    the order they were made."""
    nodes: dict[Group | None, list[Value]] = {None: []}
    ready: dict[Group | None, list[Group]] = {}
    root_group = getattr(root, "group", None)
    if root_group is not None:
        for g in root_group.path():  # nothing outside uses the root's groups
            ready.setdefault(g.parent, []).append(g)
    nodes.setdefault(root_group, []).append(root)
    order: list[Value] = []
    groups: list[Group | None] = []
    place, note = order.append, groups.append
    current: Group | None = None
    leaf = Value
    while True:
        stack = nodes.get(current)
        if not stack:
            waiting = ready.get(current)
            if waiting:
                waiting.sort(key=_made)
                current = waiting.pop()
            elif current is None:
                break
            else:
                current = current.parent
            continue
        node = stack.pop()
        place(node)
        gc = getattr(node, "group", None)
        note(gc)
        if type(node) is leaf:
            continue
        inside = around(gc)
        for p in _parents(node):
            left = uses[p] - 1
            uses[p] = left
            gp = getattr(p, "group", None)
            if not left:
                if gp is None:
                    nodes[None].append(p)
                else:
                    nodes.setdefault(gp, []).append(p)
            if gp is not gc:
                while gp is not None and gp not in inside:
                    count = outside[gp] - 1
                    outside[gp] = count
                    if not count:
                        ready.setdefault(gp.parent, []).append(gp)
                    gp = gp.parent
    if len(order) != len(uses):
        return None
    order.reverse()
    groups.reverse()
    return order, groups


def _made(group: Group) -> int:
    return group.serial


from .nodes import Add as _Add
from .nodes import Binary as _Binary
from .nodes import Mul as _Mul
from .nodes import Unary as _Unary
