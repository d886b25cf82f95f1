"""values: every printed figure can be read by the value grammar."""

from checks.engine import Context, rule
from checks.findings import Outcome, Violation


@rule("values.unreadable", "error")
def unreadable(ctx: Context) -> Outcome:
    """A printed value that the value grammar cannot read.

    Fires when `value_printed` is neither a number with known qualifiers (≥, 以上, 左右, [..], 3~5, *)
    nor a known wording (持续提升, 基本消除, 按省下达目标, —). Does not fire on any notation listed in
    the domain notes. Why: an unreadable figure silently escapes every other rule.
    """
    bad = ctx.obs[ctx.obs["kind"] == "unreadable"]
    return Outcome(len(ctx.obs), [
        Violation(f"{r.value_printed!r} cannot be read ({r.parse_error}); see {r.file} line {r.file_line}, column value_printed",
                  (r.id,)) for r in bad.itertuples(index=False)])
