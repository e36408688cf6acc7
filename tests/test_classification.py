"""Tests for monitor.methods.classification (class breaks for maps)."""

import dataclasses
import math

import mapclassify
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from monitor.methods import classification
from monitor.methods.classification import (
    FISHER_JENKS_MAX_N,
    FISHER_JENKS_SAMPLE_N,
    K_MAX,
    MAP_SCHEMES,
    SCHEMES,
    BreaksError,
    class_labels,
    classify,
    diverging_breaks,
    fisher_jenks_bins,
    parse_breaks,
    std_mean_multiples,
)

ONE_TO_TEN = np.arange(1, 11, dtype=float)


def german(v: float) -> str:
    """A simple German formatter: one decimal, decimal comma."""
    return f"{v:.1f}".replace(".", ",")


def test_scheme_ids_are_stable():
    # the ids are part of links (klassen=...): changing them breaks old links
    assert list(SCHEMES) == [
        "quantile",
        "natural_breaks",
        "equal_interval",
        "std_mean",
        "fixed",
        "diverging",
    ]
    assert all(SCHEMES[s].id == s for s in SCHEMES)
    assert not SCHEMES["fixed"].uses_k
    assert tuple(s for s in SCHEMES if s != "diverging") == MAP_SCHEMES


def test_classify_dispatches_through_the_registry(monkeypatch):
    calls = []
    real = SCHEMES["equal_interval"].classifier

    def spy(y, k, options):
        calls.append((y.size, k))
        return real(y, k, options)

    entry = dataclasses.replace(SCHEMES["equal_interval"], classifier=spy)
    monkeypatch.setattr(classification, "SCHEMES", {**SCHEMES, "equal_interval": entry})
    c = classify([1.0, np.nan, 3.0, 4.0], "equal_interval", 3)
    assert calls == [(3, 3)]  # the finite values and the checked k
    assert c.scheme == "equal_interval"


# --------------------------------------------------------------------------
# the schemes on hand-computed examples


def test_quantiles_of_one_to_ten():
    # 20 %, 40 %, ... quantiles with linear interpolation at position p * (n - 1):
    # 0.2 * 9 = 1.8 -> 2 + 0.8 = 2.8; 0.4 * 9 = 3.6 -> 4.6; 6.4; 8.2; 10
    c = classify(ONE_TO_TEN, "quantile", 5)
    assert c.scheme == "quantile"
    assert c.k == 5
    assert c.k_requested == 5
    assert_allclose(c.bins, [2.8, 4.6, 6.4, 8.2, 10.0])
    assert_allclose(c.lower, [1.0, 2.8, 4.6, 6.4, 8.2])
    assert_array_equal(c.yb, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    assert_array_equal(c.counts, [2, 2, 2, 2, 2])
    assert c.notes == ()


def test_quantile_bins_are_not_rounded_only_labels_are():
    # scipy gives 2.8000000000000003 and 6.3999999999999995; the classes use
    # them as they are, the labels show 2.8 and 6.4
    c = classify(ONE_TO_TEN, "quantile", 5)
    assert c.bins.tolist() == mapclassify.Quantiles(ONE_TO_TEN, k=5).bins.tolist()
    assert c.bins[0] == 2.8000000000000003
    assert class_labels(c) == [
        "1 – 2.8",
        "2.8 – 4.6",
        "4.6 – 6.4",
        "6.4 – 8.2",
        "8.2 – 10",
    ]


@pytest.mark.filterwarnings("ignore:Not enough unique values")
def test_tied_values_at_a_quantile_stay_where_mapclassify_puts_them():
    # the 40 % quantile of the three tied 23.7 is 23.699999999999996 in
    # scipy's arithmetic, so mapclassify puts them above it; rounding the
    # bound to 23.7 had moved all three into the class below
    y = np.array([19.2, 20.1, 20.2, 23.7, 23.7, 23.7, 29.5, 35.7, 40.7])
    c = classify(y, "quantile", 5)
    ref = mapclassify.Quantiles(y, k=5)
    assert c.bins[1] == 23.699999999999996
    assert_array_equal(c.yb, ref.yb)
    assert c.yb.tolist() == [0, 0, 1, 2, 2, 2, 2, 3, 3]


def test_natural_break_is_the_largest_value_of_its_class():
    # natural breaks are data values: 1.2345678901234567 rounded to 12 digits
    # lies below itself and put its own area into the next class
    values = [1.0, 1.1, 1.2345678901234567, 5.0, 5.1]
    c = classify(values, "natural_breaks", 2)
    assert c.bins.tolist() == [1.2345678901234567, 5.1]
    assert c.yb.tolist() == [0, 0, 0, 1, 1]


def test_equal_interval_one_to_ten():
    # width (10 - 1) / 3 = 3 -> upper bounds 4, 7, 10
    # (.., 4]: 1 2 3 4 | (4, 7]: 5 6 7 | (7, 10]: 8 9 10
    c = classify(ONE_TO_TEN, "equal_interval", 3)
    assert_allclose(c.bins, [4.0, 7.0, 10.0])
    assert_array_equal(c.counts, [4, 3, 3])


def test_natural_breaks_three_clear_groups():
    values = [1, 2, 3, 10, 11, 12, 20, 21, 22]
    c = classify(values, "natural_breaks", 3)
    assert_allclose(c.bins, [3, 12, 22])
    assert_array_equal(c.counts, [3, 3, 3])


def test_std_mean_tiny_set():
    # values 2 4 4 4 5 5 7 9: mean 40 / 8 = 5; squared deviations
    # 9 1 1 1 0 0 4 16 = 32; population SD sqrt(32 / 8) = 2.
    # k = 5 -> multiples -2 -1 1 2 -> cuts 1, 3, 7, 9; 1 lies below the
    # minimum 2 and 9 is the maximum, so the bins are 3, 7, 9 (k = 3).
    # (.., 3]: 2 | (3, 7]: 4 4 4 5 5 7 | (7, 9]: 9
    c = classify([2, 4, 4, 4, 5, 5, 7, 9], "std_mean", 5)
    assert_allclose(c.bins, [3, 7, 9])
    assert_array_equal(c.counts, [1, 6, 1])
    assert c.k == 3
    assert c.note_codes() == ("k_reduced",)
    assert c.notes[0].params == {"k_requested": 5, "k": 3}
    assert c.params["mean"] == 5.0
    assert c.params["sd"] == 2.0
    assert c.params["multiples"] == (-1.0, 1.0)


def test_std_mean_even_k_has_mean_as_break():
    # same data, k = 4 -> multiples -1 0 1 -> cuts 3, 5, 7, then max 9
    c = classify([2, 4, 4, 4, 5, 5, 7, 9], "std_mean", 4)
    assert_allclose(c.bins, [3, 5, 7, 9])
    assert_array_equal(c.counts, [1, 5, 1, 1])
    assert c.notes == ()


def test_std_mean_sample_sd():
    # ddof = 1: SD sqrt(32 / 7) = 2.13809; k = 3 -> 5 -+ 2.13809
    c = classify([2, 4, 4, 4, 5, 5, 7, 9], "std_mean", 3, ddof=1)
    sd = math.sqrt(32 / 7)
    assert_allclose(c.bins, [5 - sd, 5 + sd, 9])


def test_std_mean_matches_mapclassify_when_all_cuts_inside():
    # mean 10, sample SD sqrt(200 / 9) = 4.714: cuts 0.57 5.29 14.71 19.43
    values = np.array([0, 10, 10, 10, 10, 10, 10, 10, 10, 20], dtype=float)
    c = classify(values, "std_mean", 5, ddof=1)
    ref = mapclassify.StdMean(values)
    assert_allclose(c.bins, ref.bins)
    assert_array_equal(c.counts, ref.counts)


@pytest.mark.parametrize(
    ("k", "multiples"),
    [
        (2, (0.0,)),
        (3, (-1.0, 1.0)),
        (4, (-1.0, 0.0, 1.0)),
        (5, (-2.0, -1.0, 1.0, 2.0)),
        (6, (-2.0, -1.0, 0.0, 1.0, 2.0)),
        (9, (-4.0, -3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 4.0)),
    ],
    ids=lambda v: str(v) if isinstance(v, int) else "",
)
def test_std_mean_multiples(k, multiples):
    assert std_mean_multiples(k) == multiples


def test_fixed_breaks_add_the_maximum():
    c = classify(ONE_TO_TEN, "fixed", breaks=[3, 6])
    assert_allclose(c.bins, [3, 6, 10])
    assert_allclose(c.lower, [1, 3, 6])
    assert_array_equal(c.counts, [3, 3, 4])
    assert c.note_codes() == ("max_added",)
    assert c.notes[0].params["max"] == 10.0
    assert c.k_requested is None


def test_fixed_breaks_covering_the_maximum_are_kept():
    c = classify(ONE_TO_TEN, "fixed", 5, breaks=[5, 20])
    assert_allclose(c.bins, [5, 20])
    assert_array_equal(c.counts, [5, 5])
    assert c.notes == ()


def test_fixed_first_break_below_the_minimum():
    # the user's classes stay (comparable legends); the empty first class
    # gets lower bound = its upper bound
    c = classify([7, 8], "fixed", breaks=[5, 10])
    assert_allclose(c.lower, [5, 5])
    assert_array_equal(c.counts, [0, 2])
    assert class_labels(c) == ["5", "5 – 10"]


def test_value_on_a_break_belongs_to_the_lower_class():
    c = classify([3, 3.0001, 6], "fixed", breaks=[3, 6])
    assert_array_equal(c.yb, [0, 1, 1])


def test_diverging_via_classify():
    # max |x| = 3.7; k = 4 -> width 2 * 3.7 / 4 = 1.85, rounded up to 2
    # -> upper bounds -2 0 2 4, first lower bound -4
    c = classify([-1.0, 0.5, 3.7, np.nan], "diverging", 4)
    assert_allclose(c.bins, [-2, 0, 2, 4])
    assert_allclose(c.lower, [-4, -2, 0, 2])
    assert_array_equal(c.yb, [1, 2, 3, -1])
    assert c.params["width"] == 2.0


# --------------------------------------------------------------------------
# edge cases


def test_nan_and_inf_get_class_minus_one():
    # finite values 1 3 5: median 3 -> bins 3, 5
    c = classify([1, np.nan, 3, np.inf, 5], "quantile", 2)
    assert_allclose(c.bins, [3, 5])
    assert_array_equal(c.yb, [0, -1, 0, -1, 1])
    assert_array_equal(c.counts, [2, 1])
    assert c.n_missing == 2


@pytest.mark.parametrize("scheme", ["quantile", "natural_breaks", "equal_interval"])
def test_fewer_distinct_values_than_k(scheme):
    c = classify([1, 1, 2, 2, 3], scheme, 5)
    assert c.k == 3
    assert c.k_requested == 5
    assert "k_reduced" in c.note_codes()
    assert c.counts.sum() == 5
    assert c.bins[-1] == 3


def test_quantile_ties_reduce_k():
    # four 1s and one 2: the 25/50/75 % quantiles are all 1 -> bins 1, 2
    c = classify([1, 1, 1, 1, 2], "quantile", 4)
    assert_allclose(c.bins, [1, 2])
    assert_array_equal(c.counts, [4, 1])
    assert c.note_codes() == ("k_reduced",)


@pytest.mark.parametrize(
    "scheme", ["quantile", "natural_breaks", "equal_interval", "std_mean"]
)
def test_all_values_equal(scheme):
    c = classify([4, 4, np.nan, 4], scheme, 5)
    assert c.k == 1
    assert_allclose(c.bins, [4])
    assert_allclose(c.lower, [4])
    assert_array_equal(c.yb, [0, 0, -1, 0])
    assert c.note_codes() == ("all_equal",)
    assert class_labels(c, german) == ["4,0"]


def test_diverging_keeps_the_sign_of_equal_values():
    # every area +2: max |x| = 2, k = 4 -> width 1 -> -1 0 1 2, all in class 3
    c = classify([2, 2, 2], "diverging", 4)
    assert_allclose(c.bins, [-1, 0, 1, 2])
    assert_array_equal(c.yb, [3, 3, 3])


def test_diverging_all_zero():
    c = classify([0, 0], "diverging", 4)
    assert c.k == 1
    assert c.note_codes() == ("all_equal",)


@pytest.mark.parametrize("values", [[], [np.nan, np.nan]], ids=["empty", "all_nan"])
@pytest.mark.parametrize("scheme", ["quantile", "std_mean", "diverging"])
def test_no_finite_values(values, scheme):
    c = classify(values, scheme, 5)
    assert c.k == 0
    assert c.bins.size == 0
    assert_array_equal(c.yb, [-1] * len(values))
    assert c.note_codes() == ("no_values",)
    assert class_labels(c) == []


def test_fixed_without_values_keeps_user_classes():
    c = classify([np.nan], "fixed", breaks=[1, 2])
    assert_allclose(c.bins, [1, 2])
    assert_array_equal(c.counts, [0, 0])


def test_natural_breaks_large_input_is_sampled_deterministically():
    y = np.random.default_rng(7).gamma(2.0, 3.0, FISHER_JENKS_MAX_N + 1)
    a = classify(y, "natural_breaks", 5)
    b = classify(y, "natural_breaks", 5)
    assert a.note_codes() == ("sampled",)
    assert a.notes[0].params == {"n_sample": FISHER_JENKS_SAMPLE_N, "n": y.size}
    assert a.k == 5
    assert a.bins[-1] == y.max()
    assert a.counts.sum() == y.size
    assert_array_equal(a.bins, b.bins)


def test_natural_breaks_are_exact_up_to_the_limit():
    y = np.random.default_rng(8).gamma(2.0, 3.0, 700)  # more than the demo raster
    c = classify(y, "natural_breaks", 5)
    assert c.notes == ()
    assert_array_equal(c.bins, fisher_jenks_bins(y, 5))


def test_result_arrays_are_read_only():
    c = classify(ONE_TO_TEN, "quantile", 5)
    with pytest.raises(ValueError, match="read-only"):
        c.bins[0] = 0


# --------------------------------------------------------------------------
# argument errors


@pytest.mark.parametrize(
    "k", [1, 10, 2.5, True, "5"], ids=["1", "10", "float", "bool", "str"]
)
def test_k_out_of_range(k):
    with pytest.raises(ValueError, match="k must be"):
        classify(ONE_TO_TEN, "quantile", k)


def test_k_is_not_checked_for_fixed():
    c = classify(ONE_TO_TEN, "fixed", 99, breaks=[5, 10])
    assert c.k == 2


def test_unknown_scheme():
    with pytest.raises(ValueError, match="unknown classification scheme 'jenks'"):
        classify(ONE_TO_TEN, "jenks", 5)


@pytest.mark.parametrize(
    ("breaks", "code"),
    [
        ([5, 3], "not_increasing"),
        ([3, 3], "not_increasing"),
        ([], "empty"),
        (None, "missing"),
        ([1, np.nan], "not_finite"),
        (list(range(K_MAX + 1)), "too_many"),
        # 9 breaks ending below the maximum 10: adding it would give 10 classes
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], "too_many"),
    ],
    ids=["unsorted", "duplicate", "empty", "none", "nan", "ten", "max_exceeds"],
)
def test_bad_fixed_breaks(breaks, code):
    with pytest.raises(BreaksError) as err:
        classify(ONE_TO_TEN, "fixed", breaks=breaks)
    assert err.value.code == code
    assert isinstance(err.value, ValueError)


# --------------------------------------------------------------------------
# labels


def test_german_labels_quantiles():
    c = classify(ONE_TO_TEN, "quantile", 5)
    assert class_labels(c, german) == [
        "1,0 – 2,8",
        "2,8 – 4,6",
        "4,6 – 6,4",
        "6,4 – 8,2",
        "8,2 – 10,0",
    ]


def test_labels_first_lower_bound_is_the_minimum():
    c = classify([12.3, 13.0, 15.0, np.nan], "fixed", breaks=[13, 15])
    assert class_labels(c, german) == ["12,3 – 13,0", "13,0 – 15,0"]


def test_labels_default_format_and_separator():
    c = classify(ONE_TO_TEN, "equal_interval", 3)
    assert class_labels(c) == ["1 – 4", "4 – 7", "7 – 10"]
    assert class_labels(c, sep=" bis ") == ["1 bis 4", "4 bis 7", "7 bis 10"]


# --------------------------------------------------------------------------
# diverging breaks


@pytest.mark.parametrize(
    ("k", "nice", "expected"),
    [
        # max |x| = 3.7
        (4, True, [-2, 0, 2, 4]),  # w = 7.4 / 4 = 1.85 -> 2
        (5, True, [-3, -1, 1, 3, 5]),  # w = 7.4 / 5 = 1.48 -> 2
        (2, True, [0, 5]),  # w = 3.7 -> 5
        (4, False, [-1.85, 0, 1.85, 3.7]),  # exact width
        (3, False, [-1.2333333333, 1.2333333333, 3.7]),  # w = 7.4 / 3
    ],
    ids=["k4_nice", "k5_nice", "k2_nice", "k4_exact", "k3_exact"],
)
def test_diverging_breaks(k, nice, expected):
    assert_allclose(diverging_breaks([-1.0, 0.2, 3.7], k, nice=nice), expected)


def test_diverging_breaks_small_values():
    # max |x| = 0.07, k = 4 -> w = 0.035 -> 0.05
    assert_allclose(diverging_breaks([-0.07, 0.01], 4), [-0.05, 0, 0.05, 0.1])


def test_diverging_breaks_needs_values():
    with pytest.raises(ValueError, match="finite"):
        diverging_breaks([np.nan], 4)


# --------------------------------------------------------------------------
# parsing typed breaks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5; 10,5; 20", [5, 10.5, 20]),
        ("5, 10.5, 20", [5, 10.5, 20]),
        ("5;10,5;20", [5, 10.5, 20]),
        ("5 10,5 20", [5, 10.5, 20]),
        ("5; 10.5; 20", [5, 10.5, 20]),
        ("  1 ;; 2\t3\n", [1, 2, 3]),
        ("0,5", [0.5]),
        (".5; 1", [0.5, 1]),
        ("\u22122; 0; +2 %", [-2, 0, 2]),
        ("-2,5, 0, 2,5", [-2.5, 0, 2.5]),
    ],
    ids=[
        "semicolon_decimal_comma",
        "comma_space_decimal_point",
        "no_spaces",
        "whitespace",
        "semicolon_decimal_point",
        "blank_and_empty_parts",
        "single",
        "leading_point",
        "typographic_minus_percent",
        "negative_comma_space",
    ],
)
def test_parse_breaks(text, expected):
    assert_allclose(parse_breaks(text), expected)


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "no breaks"),
        (" ; ", "empty", "no breaks"),
        ("abc", "invalid_number", "'abc'"),
        ("1.234,5", "invalid_number", "thousands"),
        ("5,10,20", "invalid_number", "separate values"),
        ("1e3", "invalid_number", "'1e3'"),
        ("10; 5", "not_increasing", "10 is followed by 5"),
        ("5; 5", "not_increasing", "duplicate"),
    ],
    ids=[
        "empty",
        "only_separators",
        "word",
        "thousands_separator",
        "ambiguous_commas",
        "exponent",
        "decreasing",
        "duplicate",
    ],
)
def test_parse_breaks_errors(text, code, fragment):
    with pytest.raises(BreaksError, match=fragment) as err:
        parse_breaks(text)
    assert err.value.code == code
