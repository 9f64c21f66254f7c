"""Start the app: ``graphviz-dl [PROGRAM_FILE] [--example NAME] [--step K] [--screenshot OUT.png]``.

``--screenshot`` renders the window offscreen at the chosen step, writes a PNG
and exits: the README's pictures are made this way, and so are tests. A
screenshot never reads or writes the person's saved settings, so it looks the
same on every machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer

from ui.common.event_loop import close_window, run_until_closed
from ui.common.screenshot import save_screenshot

ORGANIZATION = "graphviz-dl"
APPLICATION = "graphviz-dl"
DEFAULT_EXAMPLE = "chain-rule"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphviz-dl",
        description="Step through backpropagation node by node, and race optimizers "
        "across loss surfaces. Commands: run, open, dot, steps, race, bench (see "
        "graphviz-dl COMMAND --help); without one the app opens.",
    )
    parser.add_argument(
        "program", nargs="?", metavar="PROGRAM_FILE", help="a program to open"
    )
    parser.add_argument(
        "--example", metavar="NAME", help="open a gallery example, e.g. chain-rule"
    )
    parser.add_argument(
        "--lab",
        choices=["explorer", "optimizers", "training"],
        default="explorer",
        help="the tab to show",
    )
    parser.add_argument(
        "--surface", metavar="NAME", help="optimizer lab: the loss surface"
    )
    parser.add_argument(
        "--steps",
        type=int,
        metavar="N",
        help="optimizer lab: advance the race by N steps",
    )
    parser.add_argument(
        "--dataset", metavar="NAME", help="training lab: the data, e.g. spiral"
    )
    parser.add_argument(
        "--epochs", type=int, metavar="N", help="training lab: train N epochs"
    )
    add_view_options(parser)
    return parser


def add_view_options(parser: argparse.ArgumentParser) -> None:
    """The options every way of opening a graph shares: where to stand, what
    to select, presenter mode, and a screenshot instead of a window."""
    parser.add_argument(
        "--step",
        type=int,
        metavar="K",
        help="show the walkthrough after K steps (negative counts from the end)",
    )
    parser.add_argument(
        "--select", metavar="NAME", help="select the node with this name"
    )
    parser.add_argument(
        "--presenter", action="store_true", help="start in presenter mode"
    )
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="render the window to a PNG and exit"
    )
    parser.add_argument(
        "--size",
        default="1280x800",
        metavar="WxH",
        help="window size for --screenshot (default 1280x800)",
    )
    parser.set_defaults(
        lab="explorer", surface=None, steps=None, dataset=None, epochs=None
    )


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(
            f"graphviz-dl: --size wants WIDTHxHEIGHT, not {text!r}"
        ) from None
    if width < 200 or height < 150:
        raise SystemExit("graphviz-dl: --size must be at least 200x150")
    return width, height


def main(argv: Sequence[str] | None = None) -> int:
    """Open the app (or write a screenshot); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parsed = parse_command_line(build_parser(), argv)
    if isinstance(parsed, int):
        return parsed
    args, size = parsed
    return run_app(args, size, _open_content)


def parse_command_line(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[argparse.Namespace, tuple[int, int]] | int:
    """The options and the window size, or the exit code when there is nothing
    to open (``--help``, or a usage error, already printed)."""
    try:
        args = parser.parse_args(list(argv))
        return args, parse_size(args.size)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        return int(exc.code or 0)


def run_app(
    args: argparse.Namespace,
    size: tuple[int, int],
    open_content,
    *,
    all_labs: bool = False,
) -> int:
    """Make the window, put ``open_content(window)`` in it (which returns a
    problem in words, or None), apply the options and run until it closes.
    ``all_labs`` builds every lab before ``open_content`` (a session has a
    part for each)."""
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    owns_app = QApplication.instance() is None
    app = QApplication.instance() or QApplication(
        [sys.argv[0] if sys.argv else APPLICATION]
    )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)

    from ui.main_window import MainWindow

    # The explorer opens first; the optimizer lab (pyqtgraph, ~1 s to import)
    # joins a moment later, unless it is needed right away.
    labs_now = bool(
        all_labs
        or args.screenshot
        or args.lab != "explorer"
        or args.surface
        or args.steps is not None
        or args.dataset
        or args.epochs is not None
    )
    if labs_now:
        configure_pyqtgraph()
    window = MainWindow(remember=not args.screenshot, load_labs=labs_now)
    window.confirm_close = not args.screenshot
    if args.screenshot:
        window.resize(*size)
    problem = open_content(window, args)
    if problem:
        print(f"graphviz-dl: {problem}", file=sys.stderr)
        if args.screenshot:
            close_window(window)
            return 2
    window.show()
    if args.presenter:
        window.set_presenter_mode(True)
    start = Startup(window, args, labs_now)
    QTimer.singleShot(0, start.begin)
    run_until_closed(window, owns_app)
    close_window(window)
    return start.exit_code


class Startup:
    """What happens once the event loop runs: wait for the program to load,
    apply the command line's options, and take the screenshot if asked.

    Everything runs inside the one event loop of :func:`run_until_closed`:
    closing the window at any moment (even mid-load) ends it.
    """

    def __init__(self, window, args: argparse.Namespace, labs_now: bool) -> None:
        self.window = window
        self.args = args
        self.labs_now = labs_now
        self.exit_code = 0
        self._started = False
        self._closing = _ClosingNow(window)
        window.loader.refused.connect(self._refused)  # may come before begin()

    def begin(self) -> None:
        loader = self.window.loader
        if loader.busy:
            loader.busyChanged.connect(self._load_settled)
            loader.failed.connect(lambda _message: self._load_settled(False))
            return
        self._ready()

    def _refused(self, error) -> None:
        """The starting program, built in the background, is wrong: say so as
        for one refused at once (later builds' errors are the editor's)."""
        if self._started:
            return
        where = f"{self.args.program}: " if self.args.program else ""
        session = getattr(self.args, "file", None)  # graphviz-dl open SESSION
        where = f"{session}: field 'program': " if session else where
        message = f"Line {error.line}, column {error.col}: {error.message}"
        print(f"graphviz-dl: {where}{message}", file=sys.stderr)
        if self.args.screenshot:
            self._started = True
            self._finish(2)

    def _load_settled(self, busy: bool) -> None:
        # Not when closed mid-load: closing cancels the load (busy turns False)
        # while the window still counts as visible, and the labs added then
        # would hold up the exit by seconds.
        if not busy and self.window.isVisible() and not self._closing.now:
            self._ready()

    def _ready(self) -> None:
        if self._started:
            return
        self._started = True
        window, args = self.window, self.args
        _warn_not_numbers(window, args)
        problem = _apply_lab_options(window, args) or _apply_position(window, args)
        if problem:
            print(f"graphviz-dl: {problem}", file=sys.stderr)
            if args.screenshot:
                self._finish(2)
                return
        if args.screenshot:
            self._finish(save_screenshot(window, args.screenshot))
        elif not self.labs_now:
            _add_labs_later(window)

    def _finish(self, code: int) -> None:
        self.exit_code = code
        self.window.close()  # run_until_closed ends the loop


class _ClosingNow(QObject):
    """Whether the window is in the middle of closing: a Close event has
    arrived and the event loop has not turned since."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.now = False
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Close:
            self.now = True
            QTimer.singleShot(0, self, self._over)
        return False

    def _over(self) -> None:
        self.now = False


def configure_pyqtgraph() -> None:
    """pyqtgraph's global options, set once before any plot exists."""
    import pyqtgraph

    pyqtgraph.setConfigOptions(imageAxisOrder="row-major")


def _add_labs_later(window) -> None:
    configure_pyqtgraph()
    window.add_known_labs()


def _open_content(window, args) -> str | None:
    """Load the program file, the example, or the default example."""
    if args.program:
        if not window.open_program(args.program):
            message = window.statusBar().currentMessage() or "cannot be opened"
            # "Line 3, column 7: …" alone does not say which file it is about
            named = os.path.basename(args.program) in message
            return message if named else f"{args.program}: {message}"
        return None
    name = args.example or DEFAULT_EXAMPLE
    if not window.load_example(name) and args.example:
        from graphviz_dl.gallery import EXAMPLES

        names = ", ".join(example.name for example in EXAMPLES)
        return f"no example called {name!r}; choose one of: {names}"
    return None


def _warn_not_numbers(window, args) -> None:
    """The status bar's warning about values that stop being numbers, on
    stderr too: a ``--screenshot`` run has no status bar to read."""
    program = window.model.program
    problem = program.first_non_finite() if program is not None else None
    if problem:
        named = args.program or getattr(args, "file", None) or args.example
        where = f"{named}: " if named else ""
        print(
            f"graphviz-dl: {where}warning: not a number from here on: {problem}",
            file=sys.stderr,
        )


def _apply_position(window, args) -> str | None:
    if args.step is not None:
        length = window.model.length
        window.model.set_position(
            args.step if args.step >= 0 else length + 1 + args.step
        )
    if args.select:
        node_id = window.model.find(args.select)
        if node_id is None:
            return f"no node called {args.select!r}"
        window.model.select(node_id)
    return None


def _apply_lab_options(window, args) -> str | None:
    if args.lab != "explorer" and not window.select_lab(args.lab):
        return f"the {args.lab} lab is not part of this build"
    if args.surface is not None or args.steps is not None:
        lab = window.lab("optimizers")
        if lab is None:
            return "--surface and --steps need the optimizer lab"
        try:
            if args.surface is not None:
                lab.select_surface(args.surface)
            if args.steps is not None:
                lab.advance(args.steps)
        except (KeyError, ValueError) as exc:
            return str(exc.args[0] if exc.args else exc)
    if args.dataset is not None or args.epochs is not None:
        lab = window.lab("training")
        if lab is None:
            return "--dataset and --epochs need the training lab"
        try:
            if args.dataset is not None:
                lab.select_dataset(args.dataset)
            if args.epochs is not None:
                lab.train_epochs(args.epochs)
        except ValueError as exc:
            return str(exc)
    return None


if __name__ == "__main__":
    sys.exit(main())
