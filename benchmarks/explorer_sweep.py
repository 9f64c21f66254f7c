"""The explorer's size sweep: typed programs of 1k to 20k value nodes.

A chain program ``x{i} = tanh(x{i-1} * w + 0.1)`` (four value nodes a line) is
prepared, shown, walked to its last step and painted in the window at
1280×800, as ``graphviz-dl FILE --step -1 --screenshot`` does in-process.
For each size it prints load to first paint, the walk to the end, one step's
redraw (p50/p95) and the resident memory the GUI gained per node, so cost
growing faster than the nodes shows as a rising per-node column.
"""

from __future__ import annotations

import gc
import resource
import statistics
import time

SIZES = (1_000, 2_000, 5_000, 10_000, 20_000)
GOALS = {2_000: 0.3, 10_000: 1.0}


def chain_program(nodes: int) -> str:
    """A typed program of about ``nodes`` value nodes (a chain of tanh lines)."""
    lines = ["x0 = 0.5", "w = 1.01"]
    lines += [f"x{i} = tanh(x{i - 1} * w + 0.1)" for i in range(1, max(2, nodes // 4))]
    return "\n".join(lines)


def _rss_mb() -> float:
    """Resident memory now, in MB (Linux: from /proc; else the peak)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one_size(app, nodes: int, steps: int) -> dict[str, float]:
    from graphviz_dl.labs.explorer.program import prepare_program
    from ui.main_window import MainWindow

    window = MainWindow(remember=False, load_labs=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    gc.collect()
    before = _rss_mb()
    source = chain_program(nodes)
    start = time.perf_counter()
    program = prepare_program(source)
    prepared = time.perf_counter()
    window.model.set_program(program)
    window.grab()
    shown = time.perf_counter()
    window.model.go_last()
    window.grab()
    walked = time.perf_counter()
    rss = _rss_mb() - before
    model = window.model
    model.set_position(model.length // 3)
    app.processEvents()
    times = []
    for _ in range(steps):
        begin = time.perf_counter()
        model.step_forward()
        app.processEvents()
        times.append(time.perf_counter() - begin)
    times.sort()
    size = program.size
    window.close()
    window.deleteLater()
    app.processEvents()
    return {
        "nodes": size,
        "prepare": prepared - start,
        "first paint": shown - start,
        "to end": walked - start,
        "walk": walked - shown,
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "kb/node": rss * 1024 / size,
    }


def sweep(app, sizes=SIZES, steps: int = 60) -> list[dict[str, float]]:
    """Run every size once and print a table row as each finishes."""
    print("nodes   prepare  load→paint  walk→end  total  step p50  step p95  KB/node")
    rows = []
    for nodes in sizes:
        row = _one_size(app, nodes, steps)
        rows.append(row)
        print(
            f"{row['nodes']:>6}  {row['prepare']:6.2f} s  {row['first paint']:7.2f} s"
            f"  {row['walk']:6.2f} s  {row['to end']:5.2f} s"
            f"  {row['p50'] * 1000:5.1f} ms  {row['p95'] * 1000:5.1f} ms"
            f"  {row['kb/node']:6.1f}",
            flush=True,
        )
    print("goals: 2,000 nodes ≤ 0.3 s and 10,000 ≤ 1 s to the end, step p95 ≤ 16 ms")
    return rows
