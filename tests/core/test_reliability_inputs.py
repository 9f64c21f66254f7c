"""Qt-free parts of the reliability checks: the fuzzer, and corrupt data
and session files read by the core (see ``graphviz-dl bench reliability``)."""

from __future__ import annotations

import pytest

from benchmarks.reliability import corrupt_files, fuzz
from benchmarks.reliability.report import FAIL


def test_a_thousand_fuzzed_programs_raise_only_expression_errors():
    result = fuzz.fuzz(1000, seed=16, workers=2, chunk=250)
    assert result.programs == 1000
    assert result.unexpected == []
    assert 0 < result.accepted < 1000  # both kinds of program were made


def test_the_fuzzer_is_reproducible_from_seed_and_index():
    assert fuzz.program(7, 123) == fuzz.program(7, 123)
    assert fuzz.program(7, 123) != fuzz.program(7, 124)


@pytest.mark.parametrize("case", ["binary", "empty", "NaN-filled", "5 MB field"])
def test_a_corrupt_csv_is_refused_naming_the_file(tmp_path, case):
    path = tmp_path / "points.csv"
    path.write_bytes(corrupt_files.csv_content(case))
    seen = corrupt_files.read_one(str(path))
    assert seen["kind"] == "DatasetFileError", seen
    assert "points.csv" in seen["message"]


def test_corrupt_session_files_are_refused_naming_file_and_field(tmp_path):
    rows = corrupt_files.session_rows(tmp_path)
    assert len(rows) == len(corrupt_files.SESSION_CASES)
    assert not [row for row in rows if row.verdict == FAIL], rows
