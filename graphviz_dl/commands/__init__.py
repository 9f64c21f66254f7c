"""One module per ``graphviz-dl`` command, each with ``add_arguments`` and ``run``."""
