"""The node inspector: everything about the selected node, at full precision.

Id, op, parents, value, gradient, the local derivatives and the formula, as
they stand at the current step; for an input (leaf) also a box to type a new
value, which goes back through the same command as a double-click edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.numfmt import format_number, precise_number
from ui.explorer.leaf_tools import parse_number

NOTHING = "Click a node in the graph to see its details here."


_precise = precise_number


class NodeInspector(QWidget):
    """Shows the model's selected node; edits a leaf's value through a signal."""

    leafValueEntered = Signal(str, float)
    message = Signal(str)

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodeInspector")
        self.setAccessibleName("Node inspector")
        self.model = model
        self.hint = QLabel(NOTHING, self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("inspectorHint")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, caption in (
            ("id", "Node"),
            ("op", "Op"),
            ("parents", "Inputs"),
            ("value", "Value"),
            ("grad", "Gradient"),
            ("local", "Local derivatives"),
            ("formula", "Formula"),
            ("check", "Gradient check"),
        ):
            label = QLabel(self)
            label.setObjectName(f"inspector{key.capitalize()}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
            form.addRow(caption, label)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("inspectorValueEdit")
        self.edit.setAccessibleName("New value for the selected input")
        self.edit.setPlaceholderText("new value")
        self.apply = QPushButton("Set", self)
        self.apply.setObjectName("inspectorApply")
        self.edit.returnPressed.connect(self._apply)
        self.apply.clicked.connect(self._apply)
        self.edit_row = QWidget(self)
        row = QHBoxLayout(self.edit_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.apply)
        form.addRow("Change input", self.edit_row)
        self.form = QWidget(self)
        self.form.setLayout(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.hint)
        layout.addWidget(self.form)
        layout.addStretch(1)
        for signal in (
            model.programChanged,
            model.valuesChanged,
            model.selectionChanged,
            model.gradChecksChanged,
        ):
            signal.connect(self._update)
        model.positionChanged.connect(self._update_numbers)
        self._update()

    def _update(self, *_args) -> None:
        node_id = self.model.selected
        program = self.model.program
        shown = program is not None and node_id is not None
        self.hint.setVisible(not shown)
        self.form.setVisible(shown)
        if not shown:
            return
        walk = program.walk
        node = self.model.node(node_id)
        name = walk.name(node_id)
        f = self.fields
        f["id"].setText(f"{name}  ({node_id})" if name != node_id else node_id)
        if node.op is None:
            f["op"].setText("input (leaf): its value is given, not computed")
            f["parents"].setText("—")
            f["local"].setText("—")
            f["formula"].setText(f"{name} = {format_number(node.data)}")
        else:
            f["op"].setText(
                f"{node.op.name} ({node.op.symbol}) — {node.op.explanation}"
            )
            ids = program.index.ids
            parents = program.index.parents[program.index.position_of(node_id)]
            parent_names = [walk.name(ids[p]) for p in parents]
            f["parents"].setText(", ".join(parent_names))
            lines = []
            for operand, (parent, local) in enumerate(
                zip(parent_names, node.local_grads)
            ):
                symbolic = node.op.derivative_text(operand, parent_names, name)
                lines.append(f"∂{name}/∂{parent} = {symbolic} = {_precise(local)}")
            f["local"].setText("\n".join(lines))
            f["formula"].setText(f"{name} = {node.op.render(parent_names)}")
        check = self.model.grad_checks.get(node_id)
        if check is None:
            f["check"].setText("not run (Step ▸ Check gradients)")
        else:
            mark = {"✓": "✓ matches", "kink": "kink (not wrong)"}.get(
                check.mark, "✗ does not match"
            )
            why = f" — {check.reason()}" if check.reason() else ""
            f["check"].setText(
                f"{mark}: analytic {_precise(check.analytic)}, "
                f"numeric {_precise(check.numeric)}{why}"
            )
        self.edit_row.setEnabled(node.op is None)
        self.edit.setText(repr(node.data) if node.op is None else "")
        self._update_numbers()

    def _update_numbers(self, *_args) -> None:
        node_id = self.model.selected
        if self.model.program is None or node_id is None:
            return
        index = self.model.position_of(node_id)
        known = self.model.known()
        grads = self.model.grads()
        node = self.model.node(node_id)
        value = (
            _precise(node.data) if known[index] else "? (not computed yet at this step)"
        )
        words = self._non_finite_words(node_id) if known[index] else ""
        self.fields["value"].setText(value + words)
        arrived = self.model.grad_known()[index]
        self.fields["grad"].setText(
            _precise(float(grads[index]))
            if arrived
            else "? (no gradient has arrived yet)"
        )

    def _non_finite_words(self, node_id: str) -> str:
        """ " — not a number: …" for the node where numbers stop and after it."""
        mark = self.model.non_finite_mark(node_id)
        if mark is None:
            return ""
        origin = self.model.non_finite
        where = f" at line {origin.line}" if origin.line else ""
        if mark == "first":
            return f" — not a number: the first one, {origin.why}{where}"
        return f" — not a number: downstream of {origin.name} ({origin.why}{where})"

    def _apply(self) -> None:
        node_id = self.model.selected
        if node_id is None or not self.model.is_leaf(node_id):
            return
        try:
            value = parse_number(self.edit.text())
        except ValueError as exc:
            self.message.emit(f"{self.model.name(node_id)}: {exc}")
            return
        self.leafValueEntered.emit(node_id, value)
