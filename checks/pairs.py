"""Pairs of observations for the rules that compare two figures, built as dataframe merges
(never a Python loop over pairs) and bounded by key.

- `role_side`: a target aims, every other role states what was; figures pair only on one side.
- `keyed_join`: each row of one frame with each row of another of the same key (same-figure,
  part-whole, derived, growth, outcomes); the second frame's columns carry a prefix.
- `earlier_pairs` / `latest_earlier`: each row with every (the latest) earlier row of its series
  (targets, plausibility); `latest_earlier_rows`: the latter as positions (`latest_earlier_blocks`: of a
  frame paired with itself, a block at a time).
- `ordered_pairs`: every pair of rows of one frame within a key, each pair once (a before b by id);
  `key_groups`: the groups it would pair, for a rule that pairs only some.
- `baseline_pairs` / `target_pairs`: each target with the latest status figure known before it,
  and with every earlier target of its series (targets, plausibility); `comparable` and
  `numeric_pairs` (`numeric_among`: as a mask) split off the pairs a comparison cannot decide, with the reason.

A key group whose pairs would outnumber `[limits] max_pairs_per_key` is left out of the join,
and so are the largest remaining groups while the join as a whole would exceed its budget
(`[limits] max_pairs_per_observation` per observation of the dataset); each is recorded on the
context (`Context.oversized`); the engine reports each one as a finding and
an undecided comparison of the rule that paired it, so a hostile or broken dataset costs a
finding, never a huge allocation.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from checks.engine import Context, per_run

# A series: one indicator in one region and scope, over the years.
SERIES = ["indicator", "region", "scope"]
COLUMNS = ["id", "document", "as_of", *SERIES, "year", "kind", "trend", "lower", "upper", "value", "cumulative", "direction",
           "quantity", "value_printed", "numeric", "unit_id", "converted", "role", "section", "line", "quote"]
KEYS = ["id", "document", "as_of", *SERIES, "year", "role"]  # what pairing a target with an earlier figure reads


@dataclass(frozen=True)
class OversizedGroup:
    """A key group left unpaired: `left` × `right` rows would exceed the limit."""

    key: tuple[str, ...]  # the key values, as text
    columns: tuple[str, ...]
    left: int
    right: int
    limit: str = "max_pairs_per_key"  # the [limits] setting that left it out (max_pairs_per_key or max_pairs_per_observation)


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of `frame` as named tuples of Python values, like `itertuples(index=False)`, but
    each column turned into a list once: iterating a string or categorical column element by
    element through pandas costs a call per value, the largest part of formatting many findings."""
    row = namedtuple("Row", [str(c) for c in frame.columns], rename=True)  # type: ignore[misc]
    return map(row._make, zip(*(frame.iloc[:, k].tolist() for k in range(frame.shape[1])), strict=True))


def per_distinct(values: pd.Series, judge: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`judge` (a function of a Series, value by value: a regular expression, a length) of `values`,
    computed once per distinct value and spread back: printed values, quotes and period keys repeat."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return pd.Series(judge(pd.Series(distinct)).to_numpy()[codes], index=values.index)


def role_side(role: pd.Series) -> pd.Series:
    """What each figure states: "aim" for a target, "status" for what was (baseline, actual,
    change). Figures of one period relate only on the same side: an actual margin is the
    difference of two actual rates, never of the targets set for the same year."""
    side = pd.Categorical.from_codes((role != "target").to_numpy(dtype=np.int8), categories=["aim", "status"])  # codes: pairs match them
    return pd.Series(side, index=role.index)


def keyed_join(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str] | None = None,
               prefix: str = "b_", equal: tuple[list[str], list[str]] | None = None,
               columns: list[str] | tuple[list[str], list[str]] | None = None) -> pd.DataFrame:
    """Rows of `left` with the rows of `right` whose key matches; `right`'s columns carry `prefix`.
    Key groups over the limit are dropped and recorded on the context. In the order of a merge:
    `left`'s rows in turn, each with its matches in `right`'s order. `equal`: further columns of
    `left` and of `right` that must be equal too (the pairs of the key kept where they are, as a
    filter of the join would keep them, without making the others); the limits count the key's groups.
    `columns`: the columns of both the pairs carry, or of `left` and of `right` (default: every column)."""
    right_on = right_on or left_on
    left, right, left_key, right_key = _bounded(ctx, left, right, left_on, right_on)
    if equal is not None:
        more_left, more_right = join_keys(left, right, *equal)
        left_key, right_key = _combined([left_key, more_left], [right_key, more_right])
    if columns is not None:
        left_columns, right_columns = columns if isinstance(columns, tuple) else (columns, columns)
        left, right = left[left_columns], right[right_columns]
    return side_by_side(left, right, *_matches(left_key, right_key), prefix)


def ordered_pairs(ctx: Context, obs: pd.DataFrame, key: list[str], prefix: str = "b_", columns: list[str] | None = None,
                  ids_ascend: bool | None = None) -> pd.DataFrame:
    """Every pair of rows of `obs` with the same key, once (the row with the smaller id first), in
    the order of a self-merge; `columns` of both (default: every column). Only the pairs kept are
    built (a fresh index: no caller reads where a pair stood among a self-merge's). `ids_ascend`: True
    when the ids are known to ascend with the rows (rows of the parsed frame in its order, whose ids do:
    parsed_ids_ascend); else they are compared."""
    obs, _, codes, _ = _bounded(ctx, obs, obs, key, key)
    x, y = _two_of_a_key(codes)
    ids = obs["id"].to_numpy()
    if ids_ascend or ascending(ids):  # ids ascending with the rows (a dataset's mostly are): x, before y, has the smaller
        a, b = x, y
    else:
        first = ids[x] < ids[y]
        second = ~first
        second[second] = ids[y[second]] < ids[x[second]]  # (equal ids pair neither way)
        a, b = np.where(first, x, y)[first | second], np.where(first, y, x)[first | second]
    # as a self-merge orders them: by the left row, then the right (each pair one number, sorted and read back)
    a, b = np.divmod(np.sort(a * max(len(codes), 1) + b), max(len(codes), 1))
    shown = obs if columns is None else obs[columns]
    return side_by_side(shown, shown, a, b, prefix)


def key_groups(ctx: Context, obs: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """`obs` without the key groups ordered_pairs would leave out (recorded on the context as it
    records them), and each row's group as a number from 0: for a rule that judges whole groups
    first and pairs the rows of a few (ordered_pairs of those rows leaves nothing more out)."""
    obs, _, codes, _ = _bounded(ctx, obs, obs, key, key)
    return obs, pd.factorize(codes)[0]


@per_run
def parsed_ids_ascend(ctx: Context) -> bool:
    """The parsed frame's ids ascend with its rows (compared once a run: 1 M text ids, ~0.01 s), and so do
    those of any of its rows taken in its order."""
    return ascending(ctx.obs["id"].to_numpy())


def ascending(values: np.ndarray) -> bool:
    """Each value greater than the one before: ids in the order of their rows (0.011 s for 1 M ids), so a
    row's place orders them as its id does."""
    return bool((values[1:] > values[:-1]).all())


def _two_of_a_key(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every two rows of the same key, once each (positions x < y), from one sort."""
    n = len(key)
    order = _sorting([key, np.arange(n)])  # by key, then position: each key's rows in their order
    ordered = key[order]
    new = np.ones(n, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    slot = np.arange(n) - starts[group]  # where each sorted row stands among its key's
    size = np.diff(np.append(starts, n))[group]
    later = size - 1 - slot  # the rows after it in its key
    first = np.repeat(np.arange(n), later)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
    return order[first], order[second]


def earlier_pairs(ctx: Context, later: pd.DataFrame, earlier: pd.DataFrame, series: list[str], columns: list[str] | None = None) -> pd.DataFrame:
    """Each row of `later` with every row of `earlier` in the same series and an earlier year;
    the earlier row's columns carry the prefix b_ (`columns` of both, with year; default every column)."""
    pairs = keyed_join(ctx, later, earlier, series, columns=None if columns is None else list(dict.fromkeys(["year", *columns])))
    return pairs[pairs["b_year"] < pairs["year"]]


def latest_earlier(ctx: Context, later: pd.DataFrame, earlier: pd.DataFrame, series: list[str], columns: list[str] | None = None) -> pd.DataFrame:
    """Each row of `later` with the latest row(s) of `earlier` in the same series and an earlier
    year; the earlier row's columns carry the prefix b_ (`columns` of both, default every column).
    The latest earlier year of each row is found by one sort of both frames' (series, year), then
    only the rows of that year are joined: never every earlier row of the series (16 a series in
    the benchmark: 7 pairs a row, for 1 kept). A frame paired with itself is sorted once and each
    row's earlier rows read off the sort. Key groups over the limits are left out and recorded as
    by keyed_join."""
    later, earlier, a, b = latest_earlier_rows(ctx, later, earlier, series)
    if columns is not None:
        later, earlier = later[columns], earlier[columns]
    return side_by_side(later, earlier, a, b, "b_")


def latest_earlier_rows(ctx: Context, later: pd.DataFrame, earlier: pd.DataFrame, series: list[str]):
    """latest_earlier's pairs as positions: `later` and `earlier` without the key groups left out, and
    the positions in them of each pair's later and earlier row (for a rule that reads columns by position)."""
    later, earlier, later_key, earlier_key = _bounded(ctx, later, earlier, series, series)
    earlier_year = earlier["year"].to_numpy(dtype=np.int64)
    if later is earlier:
        a, b = _latest_earlier_of_itself(later_key, earlier_year)
    else:
        latest = _latest_earlier_year(later_key, later["year"].to_numpy(dtype=np.int64), earlier_key, earlier_year)
        keyed = np.flatnonzero(latest != NO_YEAR)
        a, b = _matches(*_combined([later_key[keyed], latest[keyed]], [earlier_key, earlier_year]))
        a = keyed[a]
    return later, earlier, a, b


def latest_earlier_blocks(ctx: Context, frame: pd.DataFrame, series: list[str], rows: int) -> tuple[pd.DataFrame, Iterator[tuple[np.ndarray, np.ndarray]]]:
    """latest_earlier_rows of a frame paired with itself, its pairs made for `rows` later rows at a time: `frame`
    without the key groups left out, and the blocks of pairs (positions in it), in latest_earlier_rows' order. For
    a rule that judges the pairs block by block: at 1 M, 1.7 M consecutive pairs made whole are a dozen arrays of
    13 MB, fresh memory each run that numpy asks the kernel to back with huge pages (faulted with compaction)."""
    frame, _, key, _ = _bounded(ctx, frame, frame, series, series)
    order, later, first, counts = _previous_groups(key, frame["year"].to_numpy(dtype=np.int64))
    return frame, (_expanded(order, later[start:start + rows], first[start:start + rows], counts[start:start + rows])
                   for start in range(0, max(len(later), 1), rows))


def _latest_earlier_of_itself(key: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_matches of each row with the rows of the latest earlier year of its key, in a frame paired
    with itself (_previous_groups, every pair made at once)."""
    return _expanded(*_previous_groups(key, year))


def _previous_groups(key: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For a frame paired with itself, one sort by (key, year, position); a row's matches are the (key, year)
    group before its own when that group is of its key. The sort's order, and for each row that has matches
    (ascending): the place in the order of its first match, and how many it has (its matches follow in the order)."""
    n = len(key)
    order = _sorting([key, year, np.arange(n)])
    key_sorted, year_sorted = key[order], year[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (key_sorted[1:] != key_sorted[:-1]) | (year_sorted[1:] != year_sorted[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    follows = np.zeros(len(starts), dtype=bool)  # the group before is of the same key (an earlier year)
    follows[1:] = key_sorted[starts[1:]] == key_sorted[starts[:-1]]
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    rows = np.flatnonzero(follows[group])
    before = group[rows] - 1
    return order, rows, starts[before], sizes[before]


def _expanded(order: np.ndarray, rows: np.ndarray, first: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of _previous_groups' `rows`: each row with its `counts` matches, from place `first` on in `order`."""
    matched = np.repeat(first - (np.cumsum(counts) - counts), counts)  # each pair's group start, less the pairs before its row
    matched += np.arange(len(matched))
    return np.repeat(rows, counts), order[matched]


def _sorting(columns: list[np.ndarray]) -> np.ndarray:
    """An order of rows by integer `columns`, the first the most significant (ties in any order):
    one argsort of one int64 made of them when it fits (numpy's unstable argsort of 1 M int64 is
    ~10x faster than a stable or lexicographic one), each column numbered densely first if need
    be, numpy's lexsort when even that does not fit."""
    for dense in (False, True):
        combined, size = np.zeros(len(columns[0]), dtype=np.int64), 1
        for given in columns:
            if not len(given):
                return np.zeros(0, dtype=np.int64)
            column = np.unique(given, return_inverse=True)[1].reshape(-1) if dense else given
            low, span = int(column.min()), int(column.max()) - int(column.min()) + 1
            size *= span
            if size >= 1 << 62:
                break
            combined = combined * span + (column - low)
        else:
            return np.argsort(combined)
    return np.lexsort(columns[::-1])


def side_by_side(left: pd.DataFrame, right: pd.DataFrame, at_left: np.ndarray, at_right: np.ndarray, prefix: str) -> pd.DataFrame:
    """The rows of `left` at positions `at_left` beside those of `right` at `at_right` (its columns prefixed).
    Frames of numbers, flags and categoricals only (what the pairings mostly carry) are taken column by column
    with numpy, a categorical through its codes: pandas' frame take checks the positions again for every
    block, a third of its time (at 1 M the pairings' takes 0.14 -> ~0.09 s)."""
    if not (_plain(left) and _plain(right)):
        return pd.concat([left.take(at_left).reset_index(drop=True), right.take(at_right).add_prefix(prefix).reset_index(drop=True)], axis=1)
    columns = {name: _taken(column, at_left) for name, column in left.items()}
    columns.update({f"{prefix}{name}": _taken(column, at_right) for name, column in right.items()})
    return pd.DataFrame(columns, copy=False)


def rows_at(frame: pd.DataFrame, at: np.ndarray, columns: list[str] | None = None) -> pd.DataFrame:
    """frame[columns].take(at): the `columns` (default: every column) of its rows at positions `at`, their index
    labels kept. Columns of numbers, flags and categoricals are taken one by one with numpy, as side_by_side
    takes them, and never selected as a frame first (a selection copies them whole): for the rules' large
    selections (figures of a level, figures with a number, a pairing's larger frame narrowed)."""
    names = list(frame.columns) if columns is None else columns
    if not (frame.columns.is_unique and len(set(names)) == len(names) and all(_plain_dtype(frame[name].dtype) for name in names)):
        return (frame if columns is None else frame[columns]).take(at)
    return pd.DataFrame({name: _taken(frame[name], at) for name in names}, index=frame.index[at], copy=False)


def _plain(frame: pd.DataFrame) -> bool:
    """Every column of `frame` a numpy number or flag or a categorical, each named once (side_by_side)."""
    return frame.columns.is_unique and all(_plain_dtype(dtype) for dtype in frame.dtypes)


def _plain_dtype(dtype) -> bool:
    return isinstance(dtype, pd.CategoricalDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "biuf")


def _taken(column: pd.Series, at: np.ndarray) -> np.ndarray | pd.Categorical:
    """The values of a column of numbers, flags or categories at positions `at` (in bounds: made by a pairing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(column.array.codes[at], dtype=column.dtype, validate=False)
    return column.to_numpy()[at]


def _matches(left_key: np.ndarray, right_key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (left, right) of every pair of equal keys: the left rows in order, each with its
    matches in the right's order (as a merge orders them). One sort of the right keys; each left key
    searched for once among their distinct values (where two searches of the right's sorted rows, and
    a sort of the left keys to keep those in the cache, took a third longer: 0.12 -> 0.09 s at 1 M)."""
    order = np.argsort(right_key, kind="stable")
    ordered = right_key[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)  # where each distinct right key's rows start in the order, and how many
    sizes = np.diff(np.append(starts, len(ordered)))
    if len(starts):
        at = np.minimum(np.searchsorted(ordered[starts], left_key), len(starts) - 1)
        start, counts = starts[at], np.where(ordered[starts[at]] == left_key, sizes[at], 0)
    else:
        start = counts = np.zeros(len(left_key), dtype=np.int64)
    at_left = np.repeat(np.arange(len(left_key)), counts)
    firsts = np.repeat(start - (np.cumsum(counts) - counts), counts)  # each pair's group start, less the pairs before its left row
    return at_left, order[firsts + np.arange(len(at_left))]


def _codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """The values of two key columns as codes of one vocabulary (a missing value equal to a missing
    one, as a merge matches them), and how many codes there are: integers from -1 on, compared only for
    equality (or combined, _widened), never written to: a categorical's codes are its own (-1 a missing
    value), read as they are. Two categoricals are matched through their categories, never value by value."""
    if isinstance(left.dtype, pd.CategoricalDtype) and left is right:  # a column paired with itself: its codes
        codes = left.array.codes
        return codes, codes, len(left.cat.categories) + 1
    if isinstance(left.dtype, pd.CategoricalDtype) and isinstance(right.dtype, pd.CategoricalDtype):
        categories = left.cat.categories
        known = categories.get_indexer(right.cat.categories)
        new = known < 0
        known[new] = len(categories) + np.arange(int(new.sum()))
        # the same categories in the same order (mostly: two parts of one column): the codes as they are; else the right's
        # categories by their place among the left's (or after them), -1 (missing) taking the table's last: -1
        same = np.array_equal(known, np.arange(len(known)))
        right_codes = right.array.codes if same else np.take(np.append(known, -1), right.array.codes)
        return left.array.codes, right_codes, len(categories) + int(new.sum()) + 1
    if left.dtype == bool and right.dtype == bool:  # flags are their own codes
        return left.to_numpy(np.int64), right.to_numpy(np.int64), 2
    if left is right:  # a frame paired with itself: its values coded once
        codes, uniques = pd.factorize(left, use_na_sentinel=False)
        return codes, codes, max(len(uniques), 1)
    codes, uniques = pd.factorize(pd.concat([left, right], ignore_index=True), use_na_sentinel=False)
    return codes[: len(left)], codes[len(left):], max(len(uniques), 1)


def stacked(parts: list[pd.Series]) -> pd.Series:
    """The values of `parts`, one after another (a fresh index). Categoricals stay categorical, their
    categories united and sorted (so they group as the text does): a pairing on the result then
    matches codes, where a concatenation of two different categoricals would be text."""
    if len(parts) > 1 and all(isinstance(part.dtype, pd.CategoricalDtype) for part in parts):
        return pd.Series(union_categoricals([part.array for part in parts], sort_categories=True))
    return pd.concat(parts, ignore_index=True)


def _combined(left: list[np.ndarray], right: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Integer key columns of two frames as one int64 key each (equal where every column is equal)."""
    return join_keys(pd.DataFrame(dict(enumerate(left))), pd.DataFrame(dict(enumerate(right))), list(range(len(left))), list(range(len(right))))


def join_keys(left: pd.DataFrame, right: pd.DataFrame, left_on: list, right_on: list) -> tuple[np.ndarray, np.ndarray]:
    """One int64 per row of each frame, equal where all its key columns (`left_on` of `left`, `right_on`
    of `right`) are equal: what a merge would match, as integers. (Combined in place, on a copy of the first column's codes.)"""
    if left is right and list(left_on) == list(right_on):  # a frame paired with itself: each column coded once, one key
        key, size = np.zeros(len(left), dtype=np.int64), 1
        for name in left_on:
            column = left[name]
            codes, _, n = _codes(column, column)
            if size * n >= 1 << 62:
                distinct, inverse = np.unique(key, return_inverse=True)
                key, size = inverse.reshape(-1), len(distinct)
            key, size = _widened(key, size, codes, n)
        return key, key
    left_key, right_key, size = np.zeros(len(left), dtype=np.int64), np.zeros(len(right), dtype=np.int64), 1
    for left_column, right_column in zip(left_on, right_on, strict=True):
        left_codes, right_codes, n = _codes(left[left_column], right[right_column])
        if size * n >= 1 << 62:  # the combined key would overflow: renumber what is combined so far densely
            distinct, inverse = np.unique(np.concatenate([left_key, right_key]), return_inverse=True)
            left_key, right_key, size = inverse[: len(left_key)], inverse[len(left_key):], len(distinct)
        left_key, _ = _widened(left_key, size, left_codes, n)
        right_key, size = _widened(right_key, size, right_codes, n)
    return left_key, right_key


def _widened(key: np.ndarray, size: int, codes: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """`key` (`size` values apart) combined with a column's `codes` (`n` values from -1 on, _codes): key * n + codes,
    made in place where a key is under way (a 1 M-row key a column, no fresh array a column). Every key is then
    a constant away from one with each column's codes counted from 0: equal where every column is equal."""
    if size == 1:  # nothing combined yet: the key is a copy of the codes (written to in place by the next column)
        return codes.astype(np.int64), n
    key *= n
    key += codes
    return key, size * n


NO_YEAR = -(1 << 62)


def _latest_earlier_year(later_key: np.ndarray, later_year: np.ndarray, earlier_key: np.ndarray, earlier_year: np.ndarray) -> np.ndarray:
    """Per row of `later`: the latest year of `earlier` with its key before its own, NO_YEAR if none."""
    codes = np.concatenate([later_key, earlier_key])
    years = np.concatenate([later_year, earlier_year])
    is_earlier = np.concatenate([np.zeros(len(later_key), dtype=bool), np.ones(len(earlier_key), dtype=bool)])
    # by key, then year; a later row before the earlier rows of its own year, so only strictly earlier years precede it
    order = _sorting([codes, years, is_earlier.astype(np.int64)])
    codes, years, is_earlier = codes[order], years[order], is_earlier[order]
    last = np.maximum.accumulate(np.where(is_earlier, np.arange(len(order)), -1))  # the last earlier row so far
    found = (last >= 0) & (codes[np.maximum(last, 0)] == codes)
    latest = np.where(found, years[np.maximum(last, 0)], NO_YEAR)
    result = np.empty(len(order), dtype=np.int64)
    result[order] = latest
    return result[: len(later_key)]


def pairing_budget(ctx: Context) -> int:
    """The most pairs one pairing may make: [limits] max_pairs_per_observation for each observation
    of the dataset, and never less than one key group may make (max_pairs_per_key)."""
    return max(ctx.settings.max_pairs_per_key, ctx.settings.max_pairs_per_observation * len(ctx.obs))


def _bounded(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str]):
    """`left` and `right` without the key groups left out, and their keys (`_keys`): each group over
    max_pairs_per_key, then, while the pairing as a whole would exceed its budget, the largest groups
    left (many groups just under the per-key limit must not add up to an allocation of gigabytes
    either). The groups are counted on the integer keys; only when one is left out are they named."""
    left, right, coded = _narrowed(left, right, left_on, right_on)
    left_key, right_key = coded if coded is not None else join_keys(left, right, left_on, right_on)
    per_key, budget = ctx.settings.max_pairs_per_key, pairing_budget(ctx)
    if len(left) * len(right) <= min(per_key, budget):  # no group, nor all of them, can be over a limit: skip the counting
        return left, right, left_key, right_key
    if left is right and left_on == right_on:  # a frame paired with itself: each group's rows with each other
        pairs = np.unique(left_key, return_counts=True)[1] ** 2
    else:
        left_groups, left_sizes = np.unique(left_key, return_counts=True)
        right_groups, right_sizes = np.unique(right_key, return_counts=True)
        _, on_left, on_right = np.intersect1d(left_groups, right_groups, assume_unique=True, return_indices=True)
        pairs = left_sizes[on_left] * right_sizes[on_right]
    if not len(pairs) or (pairs.max() <= per_key and pairs.sum() <= budget):
        return left, right, left_key, right_key
    left, right = _left_out(ctx, left, right, left_on, right_on)
    return left, right, *join_keys(left, right, left_on, right_on)


def _narrowed(left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str]):
    """Two frames paired (mostly a few figures with many: the shares with every figure, the margins
    with every rate, the targets with every status figure): the larger frame without the rows holding
    a value of a categorical or flag key column that the smaller one never has (coded cheaply, through
    their categories; else by its first column), before the whole key is coded. Column by column, each
    on the rows the ones before left (at 1 M the first keeps 14-36 %, the others little less). Those
    rows match nothing: the pairs, their order and the groups counted against the limits are the same.
    With the frames, their keys when every key column was coded (else None)."""
    if left is right:
        return left, right, None
    cheap = [(a, b) for a, b in zip(left_on, right_on, strict=True) if all(
        isinstance(frame[c].dtype, pd.CategoricalDtype) or frame[c].dtype == bool for frame, c in ((left, a), (right, b)))]
    whole = len(cheap) == len(left_on)
    if not cheap:
        cheap = [(left_on[0], right_on[0])]
    narrow_right = len(right) > len(left)
    few, many = (left, right) if narrow_right else (right, left)
    rows: np.ndarray | None = None  # the larger frame's rows kept so far (None: all)
    for few_column, many_column in (cheap if narrow_right else [(b, a) for a, b in cheap]):
        kept = np.flatnonzero(_held(few[few_column], many[many_column], rows))
        rows = kept if rows is None else rows[kept]
    many = rows_at(many, rows if rows is not None else np.arange(len(many)))  # (cheap holds a column: rows is set)
    left, right = (few, many) if narrow_right else (many, few)
    return left, right, join_keys(left, right, [a for a, _ in cheap], [b for _, b in cheap]) if whole else None


def _held(few: pd.Series, many: pd.Series, rows: np.ndarray | None) -> np.ndarray:
    """Per row of `many` (those at `rows`, or all): is its value one `few` holds (a missing one held
    where `few` has a missing one, as a merge matches them)? Two categoricals are read through their
    categories and raw codes, a table per category looked up per row (no int64 codes of the whole
    column, as _codes makes for a key; line_profiler, every rule but coverage at 1 M: 0.12 -> 0.06 s); else by _codes."""
    if isinstance(few.dtype, pd.CategoricalDtype) and isinstance(many.dtype, pd.CategoricalDtype):
        present = np.zeros(len(few.cat.categories) + 1, dtype=bool)  # per category of `few`, and last a missing value (code -1)
        present[few.array.codes] = True  # (the Categorical's own codes: no Series made through .cat)
        known = few.cat.categories.get_indexer(many.cat.categories)
        table = np.append(np.where(known >= 0, present[known], False), present[-1])  # per category of `many`, last a missing one
        codes = many.array.codes
        return np.take(table, codes if rows is None else codes[rows])  # (code -1 takes the last)
    few_codes, many_codes, size = _codes(few, many if rows is None else many.take(rows))
    held = np.zeros(size, dtype=bool)
    held[few_codes] = True
    return held[many_codes]


def _left_out(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str]):
    """`left` and `right` without the key groups over a limit (see _bounded), each recorded on the context."""
    per_key, budget = ctx.settings.max_pairs_per_key, pairing_budget(ctx)
    sizes = left.groupby(left_on, dropna=False).size().rename("left").to_frame().join(
        right.groupby(right_on, dropna=False).size().rename("right").rename_axis(left_on), how="inner")
    sizes["pairs"] = sizes["left"] * sizes["right"]
    over_key = sizes[sizes["pairs"] > per_key]
    rest = sizes[sizes["pairs"] <= per_key].sort_values("pairs", ascending=False, kind="stable")
    # the largest groups first, as long as what would remain is over the budget
    over_budget = rest[rest["pairs"].sum() - (rest["pairs"].cumsum() - rest["pairs"]) > budget]
    if over_key.empty and over_budget.empty:
        return left, right
    for over, limit in ((over_key, "max_pairs_per_key"), (over_budget, "max_pairs_per_observation")):
        for key, row in over.iterrows():  # one entry per group left out, never per pair
            values = key if isinstance(key, tuple) else (key,)
            ctx.oversized.append(OversizedGroup(tuple(str(v) for v in values), tuple(left_on), int(row["left"]), int(row["right"]), limit))
    drop = over_key.index.append(over_budget.index)
    keep_left = ~pd.MultiIndex.from_frame(left[left_on]).isin(drop) if len(left_on) > 1 else ~left[left_on[0]].isin(drop)
    keep_right = ~pd.MultiIndex.from_frame(right[right_on]).isin(drop) if len(right_on) > 1 else ~right[right_on[0]].isin(drop)
    return left[keep_left], right[keep_right]


# --- the series pairings the target and plausibility rules share (computed once per run) ---

@per_run
def with_as_of(ctx: Context) -> pd.DataFrame:
    """The observations with their document's as-of date (`YYYY` or `YYYY-MM`, compared as text; "" where none):
    as_of_dates' codes spread as text (at 1 M 0.013 s, where looking up each row's document took 0.028)."""
    codes, dates = as_of_dates(ctx)
    as_of = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(dates, dtype="str")), index=ctx.obs.index).astype("str")
    return ctx.obs.assign(as_of=as_of)


def _as_of_text(ctx: Context, documents: pd.Series) -> pd.Series:
    """The as-of date of each document id, as text ("" where none)."""
    return documents.map(ctx.dataset.documents.set_index("id")["as_of"]).astype("str").fillna("")  # text: compared with <=


@per_run
def dimensions(ctx: Context) -> pd.DataFrame:
    """Each figure's unit dimension (`unit`) and its indicator's catalogue dimension (`catalogue`), as
    categoricals of one vocabulary, for the rules that compare them: compared as codes, where the parsed
    frame's text columns compare value by value (~0.04 CPU s a comparison at 1 M). Missing where the
    parsed frame holds None; a missing value compares unequal to every value, as there. The catalogue
    dimension is the indicator's (observations.build takes it from the catalogue by indicator): read
    from one row of each indicator and spread by the indicator's codes, not hashed row by row (at 1 M,
    a factorize of 1 M objects: 0.03 s)."""
    obs = ctx.obs
    unit_codes, units = pd.factorize(obs["unit_dimension"].to_numpy(dtype=object))  # hashed once (its values are few and shared)
    indicator = obs["indicator"].array.codes
    one_row = np.zeros(len(obs["indicator"].cat.categories) + 1, dtype=np.int64)  # a row of each indicator; last, of a missing one (code -1)
    one_row[indicator] = np.arange(len(obs))  # (whichever row is written last: an indicator's rows share its dimension)
    per_indicator = obs["catalogue_dimension"].to_numpy(dtype=object)[one_row] if len(obs) else np.full(len(one_row), None, dtype=object)
    vocabulary = sorted({value for value in [*units.tolist(), *per_indicator.tolist()] if isinstance(value, str)})
    at = {value: i for i, value in enumerate(vocabulary)}

    def coded(values: list) -> np.ndarray:
        return np.array([at.get(value, -1) if isinstance(value, str) else -1 for value in values], dtype=np.int64)
    return pd.DataFrame({"unit": pd.Categorical.from_codes(np.append(coded(units.tolist()), -1)[unit_codes], categories=vocabulary),
                         "catalogue": pd.Categorical.from_codes(np.take(coded(per_indicator.tolist()), indicator), categories=vocabulary)},
                        index=obs.index)


@per_run
def as_of_dates(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Each figure's as-of date (with_as_of) as its code among the distinct dates, and those dates (text),
    for the rules that read their years or their order: read per document (the document column's codes,
    a categorical's own), never hashed row by row."""
    rows, documents = pd.factorize(ctx.obs["document"], use_na_sentinel=False)
    codes, dates = pd.factorize(_as_of_text(ctx, pd.Series(documents)).to_numpy(dtype=object), use_na_sentinel=False)
    return codes[rows], np.asarray(dates, dtype=object)


def known_by(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs whose earlier figure was printed no later than the target (as-of dates)."""
    return pairs[pairs["b_as_of"] <= pairs["as_of"]]


@per_run
def baseline_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with the latest earlier baseline of its own document, and with the latest
    earlier status figure (baseline or actual, any section or document printed by the target's
    as-of date). Columns of the earlier figure carry the prefix b_; a pair found both ways once.
    Paired on positions and a few coded columns (the as-of date by its place among the dates, a
    status figure of an indicator or region no target has left out first); the pairs get every column once, at the end."""
    obs = with_as_of(ctx)
    role = obs["role"]
    keys = obs[["document", *SERIES, "year"]].assign(as_of=_as_of_order(ctx), at=np.arange(len(obs)))
    targets = keys[(role == "target").to_numpy()]
    own = latest_earlier(ctx, targets, keys[(role == "baseline").to_numpy()], ["document", *SERIES], columns=["at"])
    status = role.isin(["baseline", "actual"]).to_numpy()
    for column in ("indicator", "region"):
        status = status & obs[column].isin(targets[column].unique()).to_numpy()
    status = keys[status]
    known = known_by(earlier_pairs(ctx, targets, status, SERIES, columns=["at", "as_of", "document"]))
    latest = known[known["b_year"] == known.groupby("at")["b_year"].transform("max")]
    # one latest figure per target: its own document's first, then the first by id (by place where the ids ascend with the rows)
    ids = obs["id"].to_numpy()
    at, b_at = latest["at"].to_numpy(), latest["b_at"].to_numpy()
    anywhere = pd.DataFrame({"other": (latest["b_document"] != latest["document"]).to_numpy(), "at": at, "b_at": b_at})
    order = ["at", "other", "b_at"]
    if not parsed_ids_ascend(ctx):  # (obs: the parsed frame's rows)
        anywhere, order = anywhere.assign(id=ids[at], b_id=ids[b_at]), ["id", "other", "b_id"]
    anywhere = anywhere.sort_values(order).drop_duplicates(order[0])
    return widened(obs, pd.concat([own[["at", "b_at"]], anywhere[["at", "b_at"]]], ignore_index=True).drop_duplicates())


def _as_of_order(ctx: Context) -> np.ndarray:
    """Each figure's as-of date (text) as its place among the distinct dates: compared as the text is."""
    codes, dates = as_of_dates(ctx)
    place = np.empty(len(dates), dtype=np.int64)
    place[np.argsort(dates)] = np.arange(len(dates))
    return place[codes]


@per_run
def target_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with every earlier target of its series printed by its as-of date."""
    obs = with_as_of(ctx)
    targets = obs.loc[obs["role"] == "target", KEYS].assign(at=np.flatnonzero(obs["role"] == "target"))
    return widened(obs, known_by(earlier_pairs(ctx, targets, targets, SERIES)))


def widened(obs: pd.DataFrame, pairs: pd.DataFrame, columns: list[str] = COLUMNS, prefix: str = "b_") -> pd.DataFrame:
    """Pairs of rows of `obs` (their positions `at` and `b_at`, or `{prefix}at`) with the `columns` of
    both observations (the other one's prefixed), in the order of `pairs`: a wide frame built once,
    after pairing on the few key columns, never carried through every step of the pairing."""
    return side_by_side(obs[columns], obs[columns], pairs["at"].to_numpy(), pairs[f"{prefix}at"].to_numpy(), prefix)


def judged(obs: pd.DataFrame, pairs: pd.DataFrame, columns: list[str], prefix: str = "b_") -> pd.DataFrame:
    """The positions of `pairs` (`at`, `{prefix}at`) with the `columns` of both sides: what a rule
    compares, for every pair; what it prints is taken for the failures only (widened)."""
    return pd.concat([pairs[["at", f"{prefix}at"]].reset_index(drop=True), widened(obs, pairs, columns, prefix)], axis=1)


def comparable(pairs: pd.DataFrame, need_direction: bool = True) -> tuple[pd.DataFrame, dict[str, int]]:
    """Pairs a numeric comparison can decide, and why the others cannot. Whether a change is
    better or worse needs a direction; how large it is does not (need_direction=False)."""
    reasons = {
        "no better direction": (pairs["direction"] == "none") & need_direction,
        "target or baseline has no number (delegated, qualitative, state, —)": ~(pairs["numeric"] & pairs["b_numeric"]),
        "a five-year cumulative figure against a one-year value": pairs["cumulative"] != pairs["b_cumulative"],
        "units that do not convert": ~(pairs["converted"] & pairs["b_converted"]),
    }
    undecided = pd.Series(False, index=pairs.index)
    counts = {}
    for reason, mask in reasons.items():
        new = mask & ~undecided
        if new.any():
            counts[reason] = int(new.sum())
        undecided |= mask
    return pairs[~undecided], counts


def numeric_pairs(pairs: pd.DataFrame, prefix: str, reason: str = "one side has no number",
                  among: np.ndarray | None = None) -> tuple[pd.DataFrame, int, dict[str, int]]:
    """The pairs whose two sides both have a number (the other side's columns carry `prefix`),
    how many do not, and that count under `reason` (empty when none). `among`: only the pairs it
    marks are read (one filter of the frame, not two)."""
    decided, undecided, reasons = numeric_among(pairs, prefix, reason, among)
    return pairs[decided], undecided, reasons


def numeric_among(pairs: pd.DataFrame, prefix: str, reason: str = "one side has no number",
                  among: np.ndarray | None = None) -> tuple[np.ndarray, int, dict[str, int]]:
    """numeric_pairs as a mask of `pairs`: for a rule that filters a large pairing once, by this and its own test."""
    decided = (pairs["numeric"] & pairs[f"{prefix}numeric"]).to_numpy()
    if among is not None:
        decided = decided & among
    undecided = (len(pairs) if among is None else int(among.sum())) - int(decided.sum())
    return decided, undecided, ({reason: undecided} if undecided else {})
