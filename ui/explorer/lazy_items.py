"""Scene items made when first needed: when they come into view or are asked for.

A graph of 10,000 nodes would need 23,000 Python-made ``QGraphicsItem`` objects
(~25 µs and ~6 KB each) before its first paint, though a window shows a few
dozen of them at reading size and the far-out overview draws the rest. Here
each node is only a point until the view paints near it or code asks for its
item by id; a made item is kept (its state is set as it is made, then updated
like any other).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem


class LazyItems(Mapping[str, QGraphicsItem]):
    """``{node id: item}`` for every node that has an item, made on demand.

    ``make(i)`` builds (and adds to the scene) the item of the ``i``-th id, or
    returns None when that node has none (a leaf has no op pill). Iterating
    walks every id and so makes every item: loops that only need the items
    already there use :meth:`made`.
    """

    def __init__(
        self,
        ids: Sequence[str],
        points: Sequence[tuple[float, float]],
        make: Callable[[int], QGraphicsItem | None],
        has_item: Callable[[int], bool] = lambda _i: True,
    ) -> None:
        self._ids = list(ids)
        self._where = {node_id: i for i, node_id in enumerate(self._ids)}
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        self._x, self._y = xy[:, 0], xy[:, 1]
        self._todo = np.array([has_item(i) for i in range(len(self._ids))], dtype=bool)
        self._count = int(self._todo.sum())
        self._make = make
        self._made: dict[str, QGraphicsItem] = {}

    def made(self) -> dict[str, QGraphicsItem]:
        """The items made so far (read only)."""
        return self._made

    def make_in(self, rect: QRectF) -> int:
        """Make the items whose centre lies in ``rect``; returns how many."""
        if not self._todo.any():
            return 0
        inside = (
            self._todo
            & (self._x >= rect.left())
            & (self._x <= rect.right())
            & (self._y >= rect.top())
            & (self._y <= rect.bottom())
        )
        wanted = np.flatnonzero(inside).tolist()
        for i in wanted:
            self._build(i)
        return len(wanted)

    def _build(self, i: int) -> QGraphicsItem | None:
        self._todo[i] = False
        item = self._make(i)
        if item is not None:
            self._made[self._ids[i]] = item
        return item

    def __getitem__(self, node_id: str) -> QGraphicsItem:
        item = self._made.get(node_id)
        if item is not None:
            return item
        i = self._where.get(node_id)
        if i is None or not self._todo[i]:
            raise KeyError(node_id)
        item = self._build(i)
        if item is None:
            raise KeyError(node_id)
        return item

    def __contains__(self, node_id: object) -> bool:
        if node_id in self._made:
            return True
        i = self._where.get(node_id)  # type: ignore[arg-type]
        return i is not None and bool(self._todo[i])

    def __iter__(self) -> Iterator[str]:
        return (node_id for node_id in self._ids if node_id in self)

    def __len__(self) -> int:
        return self._count


EMPTY = LazyItems([], [], lambda _i: None)
