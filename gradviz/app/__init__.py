"""The desktop app (QtWidgets): main window, canvas, editor, inputs, player, panels.

Entry points: `launch.run_app` (the ``gradviz`` command) and `launch.show`.
"""
