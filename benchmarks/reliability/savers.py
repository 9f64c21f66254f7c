"""Kill during save, in the child: write one kind of file over and over in a
forked copy of the app, SIGKILL the copy at a random moment, and check that
the file is one of the two complete versions (the old or the new).

The app starts once (the real entry point, real settings in a scratch home);
each round forks it, so fifty kills do not cost fifty start-ups. Each writer
alternates between two states whose files differ (a leaf's value, the race's
length, a learning rate, the window's size) and writes through the app's own
functions; both complete versions are recorded first, and each is written
twice to make sure the same state gives the same bytes.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.reliability import session

Writer = Callable[[int], None]
APP_KINDS = {
    "explorer-dot": "explorer",
    "explorer-png": "explorer",
    "explorer-svg": "explorer",
    "program-save": "explorer",
    "settings-explorer": "explorer",
    "session-app": "explorer",
    "race-csv": "optimizers",
    "optimizer-png": "optimizers",
    "optimizer-svg": "optimizers",
    "settings-optimizers": "optimizers",
    "training-csv": "training",
    "settings-training": "training",
}
CONTROL_KINDS = ("session-core", "atomic-control", "plain-control")
"""Kinds written without the app: the core's session writer, and the controls."""
KINDS = (*APP_KINDS, *CONTROL_KINDS)
SUFFIX = {"explorer-dot": ".dot", "explorer-png": ".png", "explorer-svg": ".svg"}
SUFFIX |= {"optimizer-png": ".png", "optimizer-svg": ".svg", "program-save": ".txt"}


def control_writer(kind: str, out: Path) -> tuple[Writer, Path]:
    """Two 2 MB texts, written with ``atomic_write_text`` or a plain write;
    or two sessions written by the core's ``save_session``."""
    from graphviz_dl.atomic import atomic_write_text

    if kind == "session-core":
        from benchmarks.reliability.work import big_program
        from graphviz_dl.session import Session, save_session

        sessions = [Session(big_program(20_000), position=p) for p in (3, 5)]
        path = out.with_suffix(".gdl-session")
        return (lambda state: save_session(sessions[state], path)), path

    texts = [
        "".join(f"{state} row {i:07d}\n" for i in range(150_000)) for state in (0, 1)
    ]
    if kind == "atomic-control":
        return (lambda state: atomic_write_text(out, texts[state])), out
    return (lambda state: out.write_text(texts[state], encoding="utf-8")), out


def app_writer(kind: str, window, out: Path) -> tuple[Writer, Path]:
    """The writer of ``kind`` through the app's functions, and the file it writes."""
    if kind.startswith("explorer-") or kind == "program-save":
        return _explorer_writer(kind, window, out.with_suffix(SUFFIX[kind]))
    if kind == "session-app":
        return _session_writer(window, out.with_suffix(".gdl.json"))
    if kind == "settings-explorer":
        from PySide6.QtCore import QSettings

        def write_window(state: int) -> None:
            window.resize(1000 + 100 * state, 700)
            window.save_settings()

        return write_window, Path(QSettings().fileName())
    if kind in ("race-csv", "optimizer-png", "optimizer-svg", "settings-optimizers"):
        return _optimizer_writer(kind, window.lab("optimizers"), out)
    lab = window.lab("training")
    lab.model.set_playing(False)
    if kind == "training-csv":

        def write_points(state: int) -> None:
            lab.select_dataset(("moons", "circles")[state])
            if not lab.save_csv(str(path)):
                raise OSError(lab.status.text())

        path = out.with_suffix(".csv")
        return write_points, path

    def write_training(state: int) -> None:
        lab.learning_rate.setValue((0.01, 0.03)[state])
        lab.save_settings()

    return write_training, Path(lab._settings.fileName())


def _session_writer(window, path: Path) -> tuple[Writer, Path]:
    """File ▸ Save session, at two steps of the RNN example's walkthrough."""
    window.load_example("rnn")

    def write_session(state: int) -> None:
        window.model.set_position((3, 9)[state])
        if not window.sessions.save(path):
            raise OSError(window.statusBar().currentMessage())

    return write_session, path


def _explorer_writer(kind: str, window, out: Path) -> tuple[Writer, Path]:
    if kind == "program-save":
        from benchmarks.reliability.work import big_program

        texts = [big_program(20_000), big_program(20_000) + "# saved again\n"]

        def write_program(state: int) -> None:
            window.editor.setPlainText(texts[state])
            if not window.save_program(out):
                raise OSError(window.statusBar().currentMessage())

        return write_program, out
    # A big graph's PNG is written by a background job, and a forked copy has
    # no worker threads: the PNG kind uses a graph drawn in the GUI thread.
    window.load_example("tanh-neuron" if kind == "explorer-png" else "rnn")
    program = window.model.program
    leaf = min(program.leaf_ids)

    def write_export(state: int) -> None:
        window.set_leaf_value(leaf, (0.5, -0.5)[state])
        if not window.export(out):
            raise OSError(window.statusBar().currentMessage())

    return write_export, out


def _optimizer_writer(kind: str, lab, out: Path) -> tuple[Writer, Path]:
    model = lab.model
    model.set_playing(False)

    def race(state: int) -> None:
        model.reset()
        lab.advance((40, 80)[state])

    if kind == "race-csv":
        path = out.with_suffix(".csv")
        return (lambda state: (race(state), lab.export_csv(str(path)))), path
    if kind == "settings-optimizers":

        def write_settings(state: int) -> None:
            model.set_hyper(0, "lr", (0.01, 0.02)[state])
            lab.save_settings()

        return write_settings, Path(lab._settings.fileName())
    path = out.with_suffix(SUFFIX[kind])
    return (lambda state: (race(state), lab.export_image(str(path)))), path


def fork_rounds(write: Writer, target: Path, rounds: int, seed: int) -> dict:
    """References first, then ``rounds`` forked writers killed at random."""
    refs, deterministic, cycle = _references(write, target)
    rng = random.Random(seed)
    torn: list[int] = []
    litter = mixed = 0
    for index in range(rounds):
        state = index % 2
        write(state)  # the old complete file
        read, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy that writes until it is killed
            os.close(read)
            try:
                os.write(write_end, b"go")
                while True:
                    state = 1 - state
                    write(state)
            except BaseException:  # noqa: BLE001 - report nothing, just stop
                os._exit(3)
        os.close(write_end)
        os.read(read, 2)
        os.close(read)
        time.sleep(rng.uniform(0.0, 2.0 * cycle))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        data = target.read_bytes() if target.exists() else b""
        if not (data in refs if deterministic else complete(data, target.suffix)):
            torn.append(index)
            if complete(data, target.suffix):
                mixed += 1
            if len(torn) == 1:  # kept for a person to look at
                (target.parent / f"neither-{target.name}").write_bytes(data)
        litter += _remove_litter(target)
    return {
        "rounds": rounds,
        "torn": len(torn),
        "torn_rounds": torn[:10],
        "mixed": mixed,
        "litter": litter,
        "deterministic": deterministic,
        "write_ms": round(1000 * cycle, 1),
        "path": target.name,
        "bytes": [len(r) for r in refs],
    }


def complete(data: bytes, suffix: str) -> bool:
    """Whether ``data`` looks like a whole file of its kind (used only when
    the same state does not give the same bytes twice)."""
    if not data:
        return False
    if suffix == ".png":
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    if suffix == ".svg":
        return data.rstrip().endswith(b"</svg>")
    if suffix == ".csv":
        lines = data.decode("utf-8", "replace").split("\n")
        if lines[-1] != "":
            return False
        widths = {line.count(",") for line in lines[:-1] if not line.startswith("#")}
        return len(widths) == 1
    if suffix == ".dot":
        return data.rstrip().endswith(b"}")
    if suffix in (".ini", ".conf"):
        import configparser

        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(data.decode("utf-8"))
        except (configparser.Error, UnicodeDecodeError):
            return False
        return data.endswith(b"\n")
    return data.endswith(b"\n")


def _references(write: Writer, target: Path) -> tuple[list[bytes], bool, float]:
    refs = []
    start = time.perf_counter()
    for state in (0, 1, 0, 1):
        write(state)
        refs.append(target.read_bytes())
    cycle = (time.perf_counter() - start) / 4
    deterministic = refs[0] == refs[2] and refs[1] == refs[3] and refs[0] != refs[1]
    return refs[:2], deterministic, cycle


def _remove_litter(target: Path) -> int:
    """Temporary files a killed writer left beside the target (then removed)."""
    found = 0
    for path in target.parent.glob(f".{target.name}.*"):
        path.unlink(missing_ok=True)
        found += 1
    return found


def kill_rounds(kind: str, out: Path, rounds: int, seed: int) -> int:
    """The ``save`` child: report one ``KILLS`` line for ``kind``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind in CONTROL_KINDS:
        write, target = control_writer(kind, out)
        session.say("KILLS", kind=kind, **fork_rounds(write, target, rounds, seed))
        return 0
    from benchmarks.reliability.child import LAB_ARGS

    def shown(window) -> None:
        try:
            write, target = app_writer(kind, window, out)
            figures = fork_rounds(write, target, rounds, seed)
            session.say("KILLS", kind=kind, **figures)
        except Exception as exc:  # noqa: BLE001 - the parent reports it
            session.say("KILLS", kind=kind, error=f"{type(exc).__name__}: {exc}")
        window.close()

    return session.run_app(list(LAB_ARGS[APP_KINDS[kind]]), shown)
