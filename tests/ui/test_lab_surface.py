"""Optimizer lab: the surface view — choosing, typing and zooming surfaces."""

from __future__ import annotations

import numpy as np
import pytest

from graphviz_dl.surfaces import SURFACES, get_surface


@pytest.fixture
def lab(open_lab):
    widget = open_lab(1100, 700)
    widget.surface_view.ensure_grid()
    return widget


def _choose(lab, qtbot, name):
    chooser = lab.surface_chooser
    with qtbot.waitSignal(lab.surface_view.gridShown, timeout=5000):
        chooser.setCurrentIndex(chooser.findData(name))
        chooser.activated.emit(chooser.currentIndex())


def test_choosing_a_surface_changes_image_and_contours(lab, qtbot):
    view = lab.surface_view
    before_image = view.image.image.copy()
    before_contours = np.array(view.contours.getData()[0])
    _choose(lab, qtbot, "beale")
    beale = get_surface("beale")
    assert lab.model.surface is beale
    assert view.image.image.shape == (300, 300)
    assert not np.array_equal(view.image.image, before_image, equal_nan=True)
    after_contours = np.array(view.contours.getData()[0])
    assert len(after_contours) > 0
    assert len(after_contours) != len(before_contours) or not np.allclose(
        after_contours, before_contours, equal_nan=True
    )
    # the image covers the surface's domain, one pixel per grid sample
    rect = view.image.mapRectToParent(view.image.boundingRect())
    (x0, x1), (y0, y1) = beale.domain
    assert rect.left() < x0 < rect.left() + (x1 - x0) / 100
    assert rect.bottom() > y1 > rect.bottom() - (y1 - y0) / 100
    # the chosen surface's known minima are marked
    spots = np.column_stack(view.minima.getData())
    np.testing.assert_allclose(spots, np.array(beale.minima).reshape(-1, 2))
    # row-major: pixel [i, j] is f(xs[j], ys[i]), in log colours for Beale
    xs, ys, z = beale.grid(300, 300)
    zmin, span = np.nanmin(z), np.nanmax(z) - np.nanmin(z)
    i, j = 40, 250
    expected = np.log10(beale.value(xs[j], ys[i]) - zmin + span * 1e-6)
    assert view.image.image[i, j] == pytest.approx(expected)
    assert view.image.image[j, i] != pytest.approx(expected)


def test_typed_formula_becomes_the_surface(lab, qtbot):
    field = lab.surface_formula
    field.setText("f(x, y) = (1 - x)^2 + 100*(y - x^2)^2")
    with qtbot.waitSignal(lab.surface_view.gridShown, timeout=5000):
        field.returnPressed.emit()
    surface = lab.model.surface
    assert surface.value(1.0, 1.0) == 0.0
    assert surface.value(0.0, 0.0) == 1.0
    assert not lab.formula_error.isVisible()
    assert lab.surface_chooser.currentData() == "__formula__"


def test_formula_with_an_error_is_shown_inline_and_surface_kept(lab, qtbot):
    before = lab.model.surface
    field = lab.surface_formula
    field.setText("f(x, y) = (1 - x^2 + y")
    field.returnPressed.emit()
    assert lab.model.surface is before
    assert lab.formula_error.isVisible()
    text = lab.formula_error.text()
    assert "line 1" in text and "column" in text
    assert lab.undo_stack.count() == 0
    # typing again clears the message
    field.textEdited.emit("f(x, y) = x")
    assert not lab.formula_error.isVisible()


def test_zooming_recomputes_the_grid_for_the_visible_region(lab, qtbot):
    view = lab.surface_view
    with qtbot.waitSignal(view.gridShown, timeout=5000):
        view.set_view_range(((0.5, 1.5), (0.5, 1.5)))
    (x0, x1), (y0, y1) = view.last_grid.domain
    assert x0 == pytest.approx(0.5, abs=0.05) and x1 == pytest.approx(1.5, abs=0.05)
    assert y0 == pytest.approx(0.5, abs=0.05) and y1 == pytest.approx(1.5, abs=0.05)
    rect = view.image.mapRectToParent(view.image.boundingRect())
    assert rect.width() < 1.1


def test_surface_with_undefined_region_draws_without_crashing(lab, qtbot):
    lab.surface_formula.setText("f(x, y) = log(x) + y^2")
    with qtbot.waitSignal(lab.surface_view.gridShown, timeout=5000):
        lab.surface_formula.returnPressed.emit()
    shown = lab.surface_view.last_grid.display
    assert np.isnan(shown).any() and np.isfinite(shown).any()


def test_every_builtin_surface_draws(lab):
    for name in SURFACES:
        lab.select_surface(name)
        lab.surface_view.ensure_grid()
        assert np.isfinite(lab.surface_view.image.image).any(), name


def test_the_formula_field_shows_the_formula_drawn(lab, qtbot):
    field = lab.surface_formula
    for text in ("f = x^2 + y^2", "f = x*y"):
        field.setText(text)
        with qtbot.waitSignal(lab.surface_view.gridShown, timeout=5000):
            field.returnPressed.emit()
    assert field.text() == "f = x*y" == lab.model.surface.formula
    lab.undo_stack.undo()  # the first formula is drawn again, and shown
    assert lab.model.surface.formula == "f = x^2 + y^2" == field.text()
    lab.select_surface("beale")  # a built-in: nothing typed, its formula a hint
    assert field.text() == "" and "(1.5 − x + x·y)²" in field.placeholderText()
    lab.undo_stack.undo()
    assert field.text() == "f = x^2 + y^2"
