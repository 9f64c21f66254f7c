"""Showing a program's fused neurons written out, and back, at the same step.

:func:`unfused_program` prepares the unfused twin of a loaded program (see
:mod:`graphviz_dl.unfuse`); :func:`matching_position` finds, in the other
twin's walkthrough, the step that does the same thing to the same node, so
switching views keeps a person's place; :func:`sync_leaves` carries typed
input values across.
"""

from __future__ import annotations

import numpy as np

from ...engine import recompute
from ...unfuse import Unfused, has_fused, unfuse
from ...walkthrough import FORWARD, SEED, walkthrough
from .program import Cancelled, Program, Progress, prepare_values


def can_unfuse(program: Program | None) -> bool:
    """Whether the program has a fused neuron to write out."""
    return program is not None and has_fused(program.index)


def unfused_program(
    program: Program,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[Program, Unfused]:
    """The program with every fused neuron expanded, and the node map."""
    result = unfuse(program.index)
    values = {name: result.copies[value] for name, value in program.values.items()}
    twin = prepare_values(
        values, progress=progress, cancelled=cancelled, index=result.index
    )
    return twin, result


def sync_leaves(source: Program, target: Program, id_map: dict[str, str]) -> bool:
    """Give ``target``'s leaves ``source``'s values (an input typed in one
    view shows in the other); recompute it if any changed. True if so."""
    changed = False
    for i in source.index.leaves:
        target_id = id_map.get(source.index.ids[i])
        if target_id is None:
            continue
        node = target.index.node(target_id)
        value = source.index.nodes[i].data
        if node.data != value and not (np.isnan(node.data) and np.isnan(value)):
            node.data = value
            changed = True
    if changed:
        recompute(target.root, target.index.nodes)
        target.walk = walkthrough(
            target.index, constant_grads=target.walk.constant_grads
        )
    return changed


def matching_position(
    source: Program, target: Program, position: int, id_map: dict[str, str]
) -> int:
    """The position in ``target``'s walkthrough that has just done what
    ``source``'s step ``position`` did, on the matching node: the same
    forward step, the seed, or the same-numbered gradient arrival. Where the
    node has no counterpart, the same share of the way through."""
    if position <= 0:
        return 0
    steps = source.walk.steps
    if position >= len(steps):
        return len(target.walk)
    step = steps[position - 1]
    wanted = id_map.get(step.node)
    if wanted is not None:
        if step.phase == SEED:
            return _first(target, lambda s: s.phase == SEED)
        if step.phase == FORWARD:
            found = _first(target, lambda s: s.phase == FORWARD and s.node == wanted)
            if found:
                return found
        else:
            arrival = sum(
                1
                for s in steps[:position]
                if s.node == step.node and s.phase == step.phase
            )
            found = _nth(target, wanted, step.phase, arrival)
            if found:
                return found
    share = position / max(1, len(steps))
    return round(share * len(target.walk))


def _first(program: Program, accept) -> int:
    for step in program.walk.steps:
        if accept(step):
            return step.index + 1
    return 0


def _nth(program: Program, node: str, phase: str, n: int) -> int:
    """One past the ``n``-th step of ``phase`` on ``node`` (its last if fewer)."""
    found = 0
    for step in program.walk.steps:
        if step.node == node and step.phase == phase:
            found = step.index + 1
            n -= 1
            if n <= 0:
                break
    return found
