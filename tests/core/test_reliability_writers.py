"""Writers the reliability bench found writing in place now keep an old file
whole when the write fails half-way (a kill or a full disk looks the same)."""

from __future__ import annotations

from graphviz_dl import datasets
from graphviz_dl.cli import main
from graphviz_dl.race import Race


def test_a_dataset_whose_csv_fails_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "points.csv"
    path.write_text("old complete file\n", encoding="utf-8")
    data = datasets.make_dataset("moons", n_points=20, seed=0)

    def broken(self):
        raise MemoryError("out of memory half-way")

    monkeypatch.setattr(datasets.Dataset, "csv_text", broken)
    try:
        data.to_csv(path)
    except MemoryError:
        pass
    assert path.read_text(encoding="utf-8") == "old complete file\n"


def test_a_race_csv_that_fails_half_way_keeps_the_old_file(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "race.csv"
    path.write_text("old complete file\n", encoding="utf-8")

    def half_then_fail(self, target):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("step,x,y\n0,1.0")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Race, "to_csv", half_then_fail)
    code = main(["race", "--steps", "5", "--csv", str(path)])
    assert code != 0
    assert "No space left on device" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "old complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]
