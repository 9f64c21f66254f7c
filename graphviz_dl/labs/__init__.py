"""The state of each lab, as plain models that announce their changes (psygnal).

A view upstairs takes its model, connects to its signals and writes back only
through its methods; nothing here imports Qt.
"""
