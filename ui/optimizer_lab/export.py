"""Saving the race: the surface picture (PNG or SVG) and the trajectories (CSV).

Every file is written beside its target and renamed over it only once it is
complete (:mod:`graphviz_dl.atomic`): a failed or killed export leaves the old
file as it was, and the failure comes back as OSError with the reason.
"""

from __future__ import annotations

from pathlib import Path

from graphviz_dl.atomic import atomic_path, atomic_write_bytes
from graphviz_dl.race import Race

MIN_PNG_WIDTH = 800


def export_picture(view, path: str | Path) -> None:
    """Save ``view`` (a surface view) with its paths and a legend: SVG when the
    name ends in .svg, else PNG at least :data:`MIN_PNG_WIDTH` pixels wide."""
    from pyqtgraph.exporters import ImageExporter, SVGExporter

    view.ensure_grid()
    hover = view.hover.isVisible()
    view.hover.setVisible(False)
    view.legend.setVisible(True)
    try:
        target = view.ci
        if str(path).lower().endswith(".svg"):
            atomic_write_bytes(path, SVGExporter(target).export(toBytes=True))
            return
        exporter = ImageExporter(target)
        exporter.parameters()["width"] = max(MIN_PNG_WIDTH, view.width())
        image = exporter.export(toBytes=True)
    finally:
        view.hover.setVisible(hover)
        view.legend.setVisible(False)
    save_png(image, path)


def save_png(image, path: str | Path) -> None:
    """Write the QImage ``image`` to ``path`` as PNG; OSError says why not."""
    if image is None or image.isNull():
        raise OSError("the picture is empty: there was nothing to draw")
    with atomic_path(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise OSError(
                f"the PNG encoder could not write a {image.width()}×{image.height()}"
                " picture (is the disk full?)"
            )


def export_trajectories(race: Race, path: str | Path) -> None:
    """Every step of every run as CSV (see :meth:`graphviz_dl.race.Race.to_csv`)."""
    race.to_csv(path)  # atomic in the core
