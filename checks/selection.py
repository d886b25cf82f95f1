"""`--select` / `--ignore`, like ruff: tokens are rule ids (`targets.flat`, `suites.percent-range`)
or families (`targets`, `suites`); ignore wins over select. An unknown token is a usage error.
An opt-in rule (`@rule(..., opt_in=True)`) runs only when `--select` names it or its family."""

from __future__ import annotations

from pathlib import Path

import click


def select_rules(rules: list, with_suites: bool, select: list[str], ignore: list[str],
                 dataset_dir: Path | None = None) -> tuple[list, set[str] | None]:
    """(rules to run, suite names to run or None for no suite) within what the command offers."""
    from checks.rules import RULES
    from checks.suites import suite_names

    suites = suite_names(dataset_dir)
    known = {r.id for r in RULES} | {r.family for r in RULES} | {"suites"} | {f"suites.{n}" for n in suites}
    for option, tokens in (("--select", select), ("--ignore", ignore)):
        unknown = [t for t in tokens if t not in known]
        if unknown:
            raise click.BadParameter(f"unknown rule or family {', '.join(unknown)} (see `check rules`; families: "
                                     f"{', '.join(sorted({r.family for r in RULES} | {'suites'}))})", param_hint=option)

    def chosen(rule_id: str, family: str, opt_in: bool = False) -> bool:
        if (select or opt_in) and rule_id not in select and family not in select:
            return False
        return rule_id not in ignore and family not in ignore

    kept = [r for r in rules if chosen(r.id, r.family, r.opt_in)]
    names = {n for n in suites if chosen(f"suites.{n}", "suites")} if with_suites else set()
    return kept, (names if names else None)
