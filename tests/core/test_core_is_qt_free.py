"""The core must load on a machine without Qt: importing it pulls in no GUI module."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import graphviz_dl
    for module in pkgutil.walk_packages(graphviz_dl.__path__, "graphviz_dl."):
        importlib.import_module(module.name)
    gui = sorted(
        name for name in sys.modules
        if name.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "ui"}
    )
    print(gui)
    """
)


def test_importing_every_core_module_loads_no_gui_module():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
