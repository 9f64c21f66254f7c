"""The explorer's menu actions (names, keys, tips) and the menus it adds to
the window that hosts it."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

KEY = QKeySequence.StandardKey
SHORTCUTS = [
    ("→ / ←", "next / previous step"),
    ("Home / End", "first / last step"),
    ("Space", "play / pause"),
    ("Ctrl+Return", "build the program"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
    ("Ctrl++ / Ctrl+− / Ctrl+0", "zoom in / out / fit"),
    (
        "Ctrl+F",
        "find a node by name, op or value (Enter / Shift+Enter: next / previous)",
    ),
    (
        "Ctrl+Shift+A / Ctrl+Shift+D",
        "trace the selected node's ancestors / descendants",
    ),
    ("Esc (on the graph)", "clear the trace"),
    ("Ctrl+G", "check gradients with finite differences"),
    ("Ctrl+click two inputs, Ctrl+L", "the loss surface over those two inputs"),
    ("F5", "presenter mode (large text, no side panels)"),
    ("double-click an input", "type a new value"),
]


def make_action(
    owner: QWidget, name: str, text: str, slot, shortcut=None, tip: str = ""
) -> QAction:
    """An action on ``owner`` (so its key works even with no menu bar)."""
    action = QAction(text, owner)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def file_actions(lab) -> dict[str, QAction]:
    """File ▸ Open, Save, Save as and the three exports."""
    files = lab.files

    def act(*args, **kwargs) -> QAction:
        return make_action(lab, *args, **kwargs)

    return {
        "open": act(
            "openProgram", "&Open program…", files.open_program_dialog, KEY.Open
        ),
        "save": act(
            "saveProgram", "&Save program", files.save_program_dialog, KEY.Save
        ),
        "saveAs": act(
            "saveProgramAs",
            "Save program &as…",
            files.save_program_as_dialog,
            KEY.SaveAs,
        ),
        "dot": act("exportDot", "Export &DOT…", lambda: files.export_dialog("dot")),
        "png": act("exportPng", "Export &PNG…", lambda: files.export_dialog("png")),
        "svg": act("exportSvg", "Export S&VG…", lambda: files.export_dialog("svg")),
    }


def explorer_actions(lab) -> dict[str, QAction]:
    """Every action of an :class:`~ui.explorer.lab.ExplorerLab`, by short name."""
    view = lab.graph_view

    def act(*args, **kwargs) -> QAction:
        return make_action(lab, *args, **kwargs)

    actions = {
        **file_actions(lab),
        "build": act(
            "buildProgram",
            "&Build program",
            lab.build_program,
            "Ctrl+Return",
            "Build the graph from the program text",
        ),
        "check": act(
            "checkGradients",
            "&Check gradients",
            lab.check_gradients,
            "Ctrl+G",
            "Compare every node's gradient with a finite difference",
        ),
        "zoomIn": act("zoomInAction", "Zoom &in", view.zoom_in, KEY.ZoomIn),
        "zoomOut": act("zoomOutAction", "Zoom &out", view.zoom_out, KEY.ZoomOut),
        "fit": act("zoomFitAction", "&Fit graph", view.fit, "Ctrl+0"),
        "present": act(
            "presenterMode", "&Presenter mode", lab.set_presenter_mode, "F5"
        ),
        "find": act("findNode", "&Find node…", lab.graph_panel.focus_search, KEY.Find),
        "surface": act(
            "showLossSurface",
            "Show &loss surface",
            lambda: lab.request_loss_surface(),
            "Ctrl+L",
            "The optimizer lab on the graph's output over two inputs "
            "(Ctrl+click them, or right-click one)",
        ),
        "randomSurface": act(
            "showRandomSliceSurface",
            "Loss surface along two &random directions",
            lambda: lab.request_loss_surface(random_directions=True),
            tip="The output on a plane through every named input at once "
            "(filter-normalized directions, as Li et al. 2018)",
        ),
    }
    actions["constants"] = act(
        "showConstantGradients",
        "Show gradients of &constants",
        lab.model.set_constant_grads,
        tip="Give constants (the 2 in 2·x) their own backward steps",
    )
    actions["constants"].setCheckable(True)
    actions.update(navigation_actions(lab))
    actions["present"].setCheckable(True)
    for action in lab.step_panel.step_actions():
        lab.addAction(action)
    return actions


def navigation_actions(lab) -> dict[str, QAction]:
    """Tracing the selected node, clearing the trace, and the minimap's switch."""
    panel = lab.graph_panel

    def act(*args, **kwargs) -> QAction:
        return make_action(lab, *args, **kwargs)

    actions = {
        "ancestors": act(
            "traceAncestors",
            "Trace &ancestors",
            lambda: panel.tracer.trace(None, "ancestors"),
            "Ctrl+Shift+A",
            "Dim everything the selected node does not depend on",
        ),
        "descendants": act(
            "traceDescendants",
            "Trace &descendants",
            lambda: panel.tracer.trace(None, "descendants"),
            "Ctrl+Shift+D",
            "Dim everything the selected node's gradient does not come from",
        ),
        "clearTrace": act("clearTrace", "&Clear trace", panel.tracer.clear),
        "minimap": act(
            "showMinimap",
            "&Minimap",
            panel.minimap.set_enabled,
            tip="The whole graph beside it; click or drag in it to move the view",
        ),
    }
    actions["minimap"].setCheckable(True)
    actions["minimap"].setChecked(True)
    return actions


def explorer_menus(lab) -> dict[str, list]:
    """What the explorer adds to each menu: actions, submenus, None for a line."""
    a = lab.actions_by_name
    return {
        "&File": [
            a["open"],
            lab.files.recent_menu,
            lab.typing.recover_action,
            a["save"],
            a["saveAs"],
            None,
            a["dot"],
            a["png"],
            a["svg"],
        ],
        "&Edit": [a["build"], lab.typing.back_action, a["find"]],
        "&View": [
            a["zoomIn"],
            a["zoomOut"],
            a["fit"],
            a["minimap"],
            None,
            a["ancestors"],
            a["descendants"],
            a["clearTrace"],
            None,
            *lab.folds.view_actions(),
            None,
            a["present"],
            lab.fusion.action,
            None,
            *(dock.toggleViewAction() for dock in lab.docks.values()),
        ],
        "&Step": [
            *lab.step_panel.step_actions(),
            lab.folds.actions["stepInto"],
            None,
            a["constants"],
            a["check"],
            a["surface"],
            a["randomSurface"],
        ],
    }
