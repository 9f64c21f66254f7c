"""``graphviz-dl dot`` and ``graphviz-dl steps``: programs in, text out, errors as FILE:line:col."""

import io
import shutil
import subprocess

import pytest

from graphviz_dl import cli


@pytest.fixture
def program(tmp_path, chain_rule):
    path = tmp_path / "chain.txt"
    path.write_text(chain_rule, encoding="utf-8")
    return path


def test_steps_prints_one_step_a_line(program, capsys):
    assert cli.main(["steps", str(program)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    # 4 forward steps, the seed, and one backward step per operand edge (7)
    assert len(lines) == 12 and err == ""
    assert lines[0].split()[:2] == ["1", "forward"]
    assert "a = t1 · t2 = 0.5 × −1.5 = −0.75" in lines[0]
    assert lines[4].split()[1] == "seed"
    assert lines[-1].startswith("12  backward")
    assert "∂L/∂t2" in lines[-1] and "= −3.5" in lines[-1]


def test_dot_prints_the_graph_with_gradients(program, capsys):
    assert cli.main(["dot", str(program)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph") and out.rstrip().endswith("}")
    assert "<b>t1</b>" in out and "grad 10.5" in out  # ∂L/∂t1 = 10.5


def test_dot_forward_only_leaves_gradients_at_zero(program, capsys):
    assert cli.main(["dot", "--forward-only", str(program)]) == 0
    out = capsys.readouterr().out
    assert "grad 10.5" not in out and "grad 0.0" in out


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("x = 3.0\ny = x * x\n"))
    assert cli.main(["steps", "-"]) == 0
    out = capsys.readouterr().out
    assert "y = x · x = 3.0 × 3.0 = 9.0" in out


def test_a_gallery_example_by_name(capsys):
    assert cli.main(["steps", "--example", "chain-rule"]) == 0
    assert "∂L/∂t1" in capsys.readouterr().out
    assert cli.main(["dot", "--example", "nope"]) == 1
    assert "chain-rule" in capsys.readouterr().err


def test_a_bad_program_is_file_line_col_message(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_text("x = 2.0\ny = x ^ 2 * q\n", encoding="utf-8")
    for command in ("dot", "steps"):
        assert cli.main([command, str(path)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"{path}:2:13: unknown name 'q' — did you mean 'x'?\n"


def test_a_bad_program_on_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("x = (1 +\n"))
    assert cli.main(["dot", "-"]) == 1
    assert capsys.readouterr().err.startswith("<stdin>:1:")


def test_a_file_saved_with_a_byte_order_mark(tmp_path, capsys):
    path = tmp_path / "bom.txt"
    path.write_bytes("x = 3.0\ny = x * x\n".encode("utf-8-sig"))
    assert cli.main(["steps", str(path)]) == 0
    assert "= 9.0" in capsys.readouterr().out


def test_a_missing_file(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert cli.main(["steps", str(missing)]) == 1
    assert capsys.readouterr().err.startswith(f"{missing}: cannot read:")


def test_a_file_that_is_not_text(tmp_path, capsys):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"x = \xff\xfe\n")
    assert cli.main(["dot", str(path)]) == 1
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_the_output(program, capsys):
    cli.main(["dot", str(program)])
    dot_text = capsys.readouterr().out
    result = subprocess.run(
        ["dot", "-Tsvg"], input=dot_text, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
