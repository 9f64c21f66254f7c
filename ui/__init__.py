"""The Qt app on top of :mod:`graphviz_dl`: one module per view, docked in a main window."""
