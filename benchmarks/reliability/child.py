"""The child processes of the reliability bench (each mode starts the app).

    python -m benchmarks.reliability.child quit --lab training --delay 1.2
    python -m benchmarks.reliability.child quit --lab explorer --delay -1
    python -m benchmarks.reliability.child soak --lab explorer --seconds 20
    python -m benchmarks.reliability.child save --kind race-csv --out F --rounds 5
    python -m benchmarks.reliability.child settings
    python -m benchmarks.reliability.child session FILE

Each talks to the parent in tagged lines on stdout (:func:`session.say`) and
exits with the app's own exit code, the way the app's entry point does
(``EXIT`` says whether it left at once). The parent's environment must already
point HOME and XDG_CONFIG_HOME at a scratch folder: children use (and may
garble) the settings there, never a person's.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from benchmarks.reliability import session, work

LAB_ARGS = {"explorer": [], "optimizers": ["--lab", "optimizers"]}
LAB_ARGS["training"] = ["--lab", "training"]


def quit_during_work(lab: str, delay: float, nodes: int = work.BIG_NODES) -> int:
    """Start ``lab``'s long work, close the window ``delay`` s later (a
    negative delay: once the explorer's load is done, saying how long it took)."""
    from PySide6.QtCore import QTimer

    argv = list(LAB_ARGS[lab])
    if lab == "explorer":
        folder = Path(tempfile.mkdtemp(prefix="reliability-"))
        argv.append(str(work.write_big_program(folder, nodes)))

    def shown(window) -> None:
        busy = work.start_long_work(window, lab)
        started = time.monotonic()

        def close() -> None:
            session.say("CLOSE", busy=busy(), delay=delay)
            window.close()

        if delay >= 0:
            QTimer.singleShot(int(delay * 1000), close)
            return

        def done(still_busy: bool = False) -> None:
            if still_busy:
                return
            session.say("WORK", seconds=round(time.monotonic() - started, 3))
            close()

        if not busy():
            done()
        elif lab == "explorer":  # the moment the load ends, not when drawn
            window.loader.busyChanged.connect(done)

    return session.run_app(argv, shown)


def soak(lab: str, seconds: float, every: float, seed: int) -> int:
    """Drive ``lab`` with a change every ``every`` s for ``seconds`` s; report
    exceptions, memory after warm-up and at the end, and GUI stalls."""
    from PySide6.QtCore import QTimer

    watch = session.Watch()
    watch.install()
    rng = random.Random(seed)
    # Warm-up is the first quarter: the training lab fills its 500 rewind
    # snapshots and meets each dataset within about a minute (RSS 203 → 253 MB
    # in 45 s, then flat); a leak still shows over the remaining three quarters.
    warmup = seconds / 4
    state: dict = {"changes": 0}

    def shown(window) -> None:
        actions = work.soak_actions(window, lab, rng)
        meter = session.StallMeter(window)
        started = time.perf_counter()
        timer = QTimer(window)

        def change() -> None:
            elapsed = time.perf_counter() - started
            if "rss_start" not in state and elapsed >= warmup:
                state["rss_start"] = session.rss_bytes()
                meter.start()  # stalls count after warm-up, like memory
            if elapsed >= seconds:
                timer.stop()
                meter.stop()
                session.say(
                    "SOAK",
                    lab=lab,
                    seconds=round(elapsed, 1),
                    changes=state["changes"],
                    rss_start=state.get("rss_start", 0),
                    rss_end=session.rss_bytes(),
                    stalls=meter.stalls,
                    worst_stall=round(meter.worst, 3),
                    **watch.summary(),
                )
                window.close()
                return
            rng.choice(actions)()
            state["changes"] += 1
            timer.start(int(1000 * every * rng.uniform(0.5, 1.5)))

        timer.setSingleShot(True)
        timer.timeout.connect(change)
        actions[0]()
        timer.start(int(1000 * every))

    code = session.run_app(list(LAB_ARGS[lab]), shown)
    session.say("EXCEPTIONS", **watch.summary())
    return code


def report_settings() -> int:
    """Start the app on whatever settings are there; say what a person sees."""
    from PySide6.QtCore import QTimer

    def shown(window) -> None:
        def report() -> None:
            labs, messages = session.labs_and_messages(window)
            elapsed = time.monotonic() - session.STARTED
            session.say("SETTINGS", labs=labs, messages=messages, elapsed=elapsed)
            window.close()

        QTimer.singleShot(0, report)

    return session.run_app(["--lab", "optimizers"], shown)


def open_session(path: str) -> int:
    """Open the session ``path`` over the default example, as File ▸ Open
    session does; say what a person sees and whether the program was kept."""
    from PySide6.QtCore import QTimer

    def shown(window) -> None:
        def attempt() -> None:
            from graphviz_dl.session import SessionError, read_session

            before = window.model.program.source
            start = time.perf_counter()
            opened = window.sessions.open(path)
            try:
                program = read_session(path).program
            except SessionError:
                program = None
            editor = window.lab("explorer").editor.toPlainText()
            session.say(
                "SESSION",
                opened=opened,
                seconds=time.perf_counter() - start,
                message=window.statusBar().currentMessage(),
                kept=window.model.program is not None
                and window.model.program.source == before,
                in_editor=program is not None and editor == program,
            )
            window.close()

        QTimer.singleShot(0, attempt)

    return session.run_app([], shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability.child")
    sub = parser.add_subparsers(dest="mode", required=True)
    quit_ = sub.add_parser("quit")
    quit_.add_argument("--lab", choices=list(LAB_ARGS), required=True)
    quit_.add_argument("--delay", type=float, default=1.0)
    quit_.add_argument("--nodes", type=int, default=work.BIG_NODES)
    soak_ = sub.add_parser("soak")
    soak_.add_argument("--lab", choices=list(LAB_ARGS), required=True)
    soak_.add_argument("--seconds", type=float, default=20.0)
    soak_.add_argument("--every", type=float, default=2.0)
    soak_.add_argument("--seed", type=int, default=0)
    save = sub.add_parser("save")
    save.add_argument("--kind", required=True)
    save.add_argument("--out", required=True)
    save.add_argument("--rounds", type=int, default=5)
    save.add_argument("--seed", type=int, default=0)
    sub.add_parser("settings")
    opening = sub.add_parser("session")
    opening.add_argument("path")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.mode == "quit":
        return quit_during_work(args.lab, args.delay, args.nodes)
    if args.mode == "soak":
        return soak(args.lab, args.seconds, args.every, args.seed)
    if args.mode == "save":
        from benchmarks.reliability.savers import kill_rounds

        return kill_rounds(args.kind, Path(args.out), args.rounds, args.seed)
    if args.mode == "session":
        return open_session(args.path)
    return report_settings()


def leave(code: int) -> None:
    """Exit as the app's own entry point does (``ui.cli.run``), saying whether
    it left at once and, if not, why."""
    if "ui.common.quick_exit" not in sys.modules:
        sys.exit(code)
    from ui.common.quick_exit import leave as leave_app

    leave_app(code, lambda why: session.say("EXIT", quick=why is None, why=why))


if __name__ == "__main__":
    leave(main())
