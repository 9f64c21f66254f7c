"""Toy datasets: reproducible from their seed, the shapes they promise, CSV in and out."""

import math

import numpy as np
import pytest

from graphviz_dl import datasets
from graphviz_dl.datasets import Dataset, DatasetFileError

NAMES = list(datasets.GENERATORS)


def same(a: Dataset, b: Dataset) -> bool:
    return (
        np.array_equal(a.X, b.X)
        and np.array_equal(a.y, b.y)
        and np.array_equal(a.train_index, b.train_index)
        and np.array_equal(a.test_index, b.test_index)
    )


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_other_seed_other_data(name):
    a = datasets.make_dataset(name, seed=3)
    b = datasets.make_dataset(name, seed=3)
    c = datasets.make_dataset(name, seed=4)
    assert same(a, b)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("name", NAMES)
def test_sizes_split_and_dtypes(name):
    data = datasets.make_dataset(name, n_points=101, test_fraction=0.3, seed=0)
    assert data.X.shape == (101, 1 if name == "line" else 2)
    assert data.X.dtype == np.float64
    assert data.test_index.size == 30 and data.train_index.size == 71
    assert np.array_equal(
        np.sort(np.concatenate([data.train_index, data.test_index])), np.arange(101)
    )
    if data.task == "regression":
        assert data.y.dtype == np.float64 and data.n_classes == 0
    else:
        assert data.y.dtype == np.int64
        counts = np.bincount(data.y, minlength=data.n_classes)
        if name != "xor":  # xor's classes follow random quadrants
            assert counts.max() - counts.min() <= 1  # classes as even as possible


@pytest.mark.parametrize("name", NAMES)
def test_noise_moves_the_same_points_further(name):
    """Positions = clean + noise·(the same standard normal draws)."""
    clean = datasets.make_dataset(name, noise=0.0, seed=2)
    some = datasets.make_dataset(name, noise=0.1, seed=2)
    more = datasets.make_dataset(name, noise=0.3, seed=2)
    if name == "line":
        np.testing.assert_allclose(more.y - clean.y, 3 * (some.y - clean.y), atol=1e-12)
        np.testing.assert_array_equal(more.X, clean.X)
    else:
        np.testing.assert_allclose(more.X - clean.X, 3 * (some.X - clean.X), atol=1e-12)
        np.testing.assert_array_equal(more.y, clean.y)
    assert np.array_equal(clean.test_index, more.test_index)


def test_the_test_fraction_never_moves_a_point():
    a = datasets.moons(seed=1, test_fraction=0.1)
    b = datasets.moons(seed=1, test_fraction=0.5)
    np.testing.assert_array_equal(a.X, b.X)
    assert b.test_index.size == 100


def test_clean_shapes():
    moons = datasets.moons(400, noise=0.0)
    top = moons.X[moons.y == 0] + [0.5, 0.25]
    bottom = moons.X[moons.y == 1] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(*top.T), 1.0)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1, bottom[:, 1] - 0.5), 1.0)
    assert (top[:, 1] >= 0).all() and (bottom[:, 1] <= 0.5).all()

    circles = datasets.circles(200, noise=0.0, factor=0.4)
    radius = np.hypot(*circles.X.T)
    np.testing.assert_allclose(radius[circles.y == 0], 1.0)
    np.testing.assert_allclose(radius[circles.y == 1], 0.4)

    xor = datasets.xor(300, noise=0.0)
    assert np.array_equal(xor.y, (xor.X[:, 0] * xor.X[:, 1] > 0).astype(int))
    assert np.abs(xor.X).min() >= datasets.XOR_PADDING

    spiral = datasets.spiral(200, noise=0.0)
    assert np.hypot(*spiral.X.T).max() <= 1.0

    blobs = datasets.blobs(300, noise=0.0, n_classes=3)
    assert blobs.task == "multiclass" and blobs.n_classes == 3
    for k in range(3):
        angle = math.pi / 2 + 2 * math.pi * k / 3
        members = blobs.X[blobs.y == k]
        centre = np.broadcast_to([math.cos(angle), math.sin(angle)], members.shape)
        np.testing.assert_allclose(members, centre, atol=1e-12)

    line = datasets.line(50, noise=0.0, slope=2.0, intercept=-1.0)
    np.testing.assert_allclose(line.y, 2 * line.X[:, 0] - 1)
    assert line.task == "regression" and line.n_inputs == 1


def test_blobs_with_two_classes_are_binary():
    blobs = datasets.blobs(n_classes=2)
    assert blobs.task == "binary" and set(blobs.y.tolist()) == {0, 1}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: datasets.moons(1), "n_points"),
        (lambda: datasets.moons(10.5), "n_points"),
        (lambda: datasets.moons(noise=-0.1), "noise"),
        (lambda: datasets.moons(noise=math.nan), "noise"),
        (lambda: datasets.moons(test_fraction=1.0), "test_fraction"),
        (lambda: datasets.blobs(n_classes=4), "2 or 3"),
        (lambda: datasets.circles(factor=1.5), "factor"),
        (lambda: datasets.make_dataset("swirl"), "moons, circles"),
    ],
)
def test_bad_settings_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_add_and_remove_points():
    data = datasets.moons(20, seed=0)
    index = data.add_point([0.1, -0.2], 1)
    assert index == 20 and data.n_points == 21
    assert index in data.train_index and data.y[index] == 1
    test_point = data.add_point((0.3, 0.3), 0, test=True)
    assert test_point in data.test_index
    assert data.name == "moons (edited)"
    with pytest.raises(ValueError, match="whole numbers from 0 to 1"):
        data.add_point([0, 0], 2)
    with pytest.raises(ValueError, match="2 coordinate"):
        data.add_point([0.0], 1)
    with pytest.raises(ValueError, match="finite"):
        data.add_point([math.inf, 0.0], 1)

    before = data.X.copy()
    data.remove_point(3)
    assert data.n_points == 21
    np.testing.assert_array_equal(data.X, np.delete(before, 3, axis=0))
    assert np.array_equal(
        np.sort(np.concatenate([data.train_index, data.test_index])), np.arange(21)
    )
    assert test_point - 1 in data.test_index
    with pytest.raises(IndexError):
        data.remove_point(21)


def test_points_added_to_an_empty_dataset():
    data = datasets.empty("binary")
    assert data.n_points == 0 and data.extent() == (-1.5, 1.5, -1.5, 1.5)
    data.add_point([0.5, 0.5], 0)
    data.add_point([-0.5, -0.5], 1)
    assert data.y.tolist() == [0, 1] and data.train_index.tolist() == [0, 1]
    regression = datasets.empty("regression", n_inputs=1)
    regression.add_point([0.2], 1.7)
    assert regression.y.tolist() == [1.7]


def test_extent_holds_every_point():
    for name in NAMES:
        data = datasets.make_dataset(name)
        x0, x1, y0, y1 = data.extent()
        assert (data.X[:, 0] > x0).all() and (data.X[:, 0] < x1).all()
        vertical = data.y if data.n_inputs == 1 else data.X[:, 1]
        assert (vertical > y0).all() and (vertical < y1).all()


@pytest.mark.parametrize("name", ["moons", "blobs", "line"])
def test_csv_round_trip(tmp_path, name):
    options = {"n_classes": 3} if name == "blobs" else {}
    data = datasets.make_dataset(name, n_points=30, seed=5, **options)
    path = tmp_path / "points.csv"
    data.to_csv(path)
    back = Dataset.from_csv(path)
    assert same(data, back)
    assert (back.task, back.n_classes, back.name) == (data.task, data.n_classes, name)


def test_csv_without_split_or_comment_infers_the_task(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x0,x1,label\n0,0,0\n1,1,1\n0.5,0.2,2\n1,0,0\n2,2,1\n")
    data = Dataset.from_csv(path, test_fraction=0.4, seed=1)
    assert data.task == "multiclass" and data.n_classes == 3
    assert data.test_index.size == 2 and data.name == "mine"
    path.write_text("x,y\n0.5,1.25\n-0.5,0.75\n")
    assert Dataset.from_csv(path, test_fraction=0.0).task == "regression"


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (
            "x0,x1,y,split\n0,0,0,train\n0,abc,1,train\n",
            3,
            "x1",
            "'abc' is not a number",
        ),
        ("x0,x1,y,split\n0,0,0,train\n0,1,1\n", 3, None, "expected 4 fields"),
        ("x0,x1,y,split\n0,0,0,validate\n", 2, "split", "'train' or 'test'"),
        ("x0,x1,y,split\n0,nan,0,train\n", 2, "x1", "finite"),
        ("x0,x1,colour\n0,0,0\n", 1, None, "unknown column 'colour'"),
        ("x0,x1\n0,0\n", 1, None, "target column"),
        ("# task: binary\nx0,x1,y\n0,0,0\n1,1,2\n", 4, None, "labels 0 and 1"),
        ("# task: binary\nx0,x1,y\n0,0,0.5\n", 3, None, "whole number"),
        ("", None, None, "no header row"),
    ],
)
def test_csv_errors_name_file_line_and_field(tmp_path, text, line, field, words):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DatasetFileError) as caught:
        Dataset.from_csv(path)
    error = caught.value
    assert (error.line, error.field) == (line, field)
    message = str(error)
    assert message.startswith("bad.csv") and words in message
    if line is not None:
        assert f"line {line}" in message


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DatasetFileError, match="nowhere.csv: cannot be read"):
        Dataset.from_csv(tmp_path / "nowhere.csv")


def test_a_dataset_checks_its_own_fields():
    with pytest.raises(ValueError, match="split the points"):
        Dataset(np.zeros((3, 2)), np.zeros(3), "binary", 2, [0, 1], [1])
    with pytest.raises(ValueError, match="unknown task"):
        Dataset(np.zeros((1, 2)), np.zeros(1), "ranking", 2, [0], [])
    with pytest.raises(ValueError, match="finite"):
        Dataset(np.full((1, 2), np.nan), np.zeros(1), "binary", 2, [0], [])
