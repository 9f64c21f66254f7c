"""Writers the reliability bench found writing in place now keep an old file
whole when the write fails half-way (a kill or a full disk looks the same)."""

from __future__ import annotations

from graphviz_dl import datasets
from graphviz_dl import race as race_module
from graphviz_dl.cli import main


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
    real_writer = race_module.csv.writer

    class FullDisk:
        """A CSV writer whose disk fills up after a few rows."""

        def __init__(self, handle):
            self.rows = 0
            self.inner = real_writer(handle)

        def writerow(self, row):
            self.rows += 1
            if self.rows > 3:
                raise OSError(28, "No space left on device")
            self.inner.writerow(row)

    monkeypatch.setattr(race_module.csv, "writer", FullDisk)
    code = main(["race", "--steps", "5", "--csv", str(path)])
    assert code != 0
    assert "No space left on device" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "old complete file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]
