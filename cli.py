"""`check`: consistency checks for indicator datasets.

\b
Exit codes (every command):
  0  nothing unwaived at or above the failing severity
  1  findings that fail the run (see --fail-on, --new-only)
  2  usage error, or input the checker cannot read (a malformed CSV, a missing column, an
     unknown unit, a bad encoding, a duplicate id, a dangling reference, a bad setting or
     --previous file), or an output that cannot be written: each problem is printed with its
     file, line and column, and no report is written.
  3  internal error (a bug): one line; `check --debug ...` shows the traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
SEVERITY_CHOICES = ["error", "warning", "info", "never"]


class CheckGroup(click.Group):
    """Turns an InputError anywhere below into its messages and exit code 2, a file that cannot be
    written into one line and exit 2, and any other exception into one line and exit 3: never a
    traceback, unless `check --debug` asks for it."""

    def invoke(self, ctx: click.Context):
        from checks.errors import InputError
        try:
            return super().invoke(ctx)
        except InputError as error:
            if ctx.params.get("debug"):
                raise
            click.secho(f"input error: {len(error.problems)} problem(s) in {error.subject}; nothing was checked and no report was written", fg="red", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as error:
            if ctx.params.get("debug"):
                raise
            click.secho(f"cannot write {error.filename or 'an output'}: {error.strerror or error}", fg="red", err=True)
            ctx.exit(EXIT_INPUT)
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            click.secho(f"internal error (a bug in Seed, not in the dataset): {type(error).__name__}: {error}; "
                        "run `check --debug ...` for the traceback", fg="red", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=CheckGroup, help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seed-checks", prog_name="check")
@click.option("--debug", is_flag=True, help="Show the traceback of an error instead of one line.")
def main(debug) -> None:
    pass


def dataset_option(function):
    return click.option("--dataset", "dataset_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("datasets"),
                        show_default=True, help="Dataset folder.")(function)


def output_options(function):
    options = [
        click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=Path("reports/validation-report.html"),
                     show_default=True, help="Where the HTML report is written."),
        click.option("--no-report", is_flag=True, help="Do not write the HTML report."),
        click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the findings as JSON."),
        click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write JUnit XML (one test case per rule)."),
        click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="error", show_default=True,
                     help="Lowest severity of an unwaived finding that fails the run (exit 1)."),
        click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="JSON of a previous run (e.g. main's): findings are marked new / open, and resolved ones listed."),
        click.option("--new-only", is_flag=True, help="With --previous: only new findings fail the run."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command("all")
@dataset_option
@output_options
@click.option("--no-suites", is_flag=True, help="Skip the Great Expectations suites (saves ~3 s of start-up).")
def check_all(dataset_dir, report, no_report, json_path, junit_path, fail_on, previous, new_only, no_suites):
    """Run every layer: schemas, Great Expectations suites, rules, coverage, provenance."""
    from checks.rules import RULES
    sys.exit(_run(dataset_dir, RULES, not no_suites, report, no_report, json_path, junit_path, fail_on, previous, new_only))


@main.command("family")
@click.argument("families", nargs=-1, required=True)
@dataset_option
@output_options
def check_family(families, dataset_dir, report, no_report, json_path, junit_path, fail_on, previous, new_only):
    """Run the rules of one or more families (see `check rules`), e.g. `check family targets units`."""
    from checks.rules import FAMILIES, RULES
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        raise click.BadParameter(f"unknown famil{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; known: {', '.join(FAMILIES)}", param_hint="FAMILIES")
    selected = [r for r in RULES if r.family in families]
    sys.exit(_run(dataset_dir, selected, False, report, no_report, json_path, junit_path, fail_on, previous, new_only))


@main.command("suites")
@dataset_option
@output_options
def check_suites(dataset_dir, report, no_report, json_path, junit_path, fail_on, previous, new_only):
    """Run only the Great Expectations suites (schemas/expectations/*.json)."""
    sys.exit(_run(dataset_dir, [], True, report, no_report, json_path, junit_path, fail_on, previous, new_only))


@main.command("schemas")
@dataset_option
def check_schemas(dataset_dir):
    """Validate the tables (pandera schemas and references between tables) and stop."""
    from checks.dataset import load
    dataset = load(dataset_dir)
    click.echo(f"{dataset_dir}: {len(dataset.documents)} documents, {len(dataset.indicators)} indicators, "
               f"{len(dataset.observations)} observations: every table is valid")


@main.command("draft")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--document", required=True, help="Id of the new document (a lower-case slug).")
@dataset_option
@click.option("--title", default="", help="Title (default: the front matter's title or the first line).")
@click.option("--issuer", default="", help="Issuing body, as printed.")
@click.option("--region", default="", help="Region id the document describes (→ regions.csv); also pre-fills each row.")
@click.option("--kind", default="", help="plan / progress_report / article / summary.")
@click.option("--as-of", "as_of", default="", help="YYYY or YYYY-MM.")
@click.option("--base-year", "base_year", default="", help="The base year the document declares, if any.")
def check_draft(source, document, dataset_dir, title, issuer, region, kind, as_of, base_year):
    """Draft observation rows from a new source into observations/<DOCUMENT>.draft.csv."""
    from checks.draft import document_row_csv, draft_document
    result = draft_document(source, document, dataset_dir, title=title, issuer=issuer, region=region, kind=kind,
                            as_of=as_of, base_year=base_year)
    click.echo(f"source: {result.source_file} (sha256 {result.document_row['sha256']})")
    if result.document_written:
        click.echo(f"documents.csv: row {document!r} present")
    else:
        click.echo("documents.csv: fill in the empty fields of this row and add it (issuer, region, kind, as_of are yours to give):")
        click.echo(document_row_csv(result.document_row), nl=False)
    click.echo(f"draft: {result.draft_file}: {len(result.rows)} figures, {result.prefilled} with an indicator pre-filled; "
               "complete indicator, region, role (and a prose figure's period), then rename it to "
               f"{document}.csv and run `check all`")


@main.command("rules")
@click.option("--verbose", "-v", is_flag=True, help="Print each rule's full description.")
def list_rules(verbose):
    """List every rule with its id, severity and what it checks."""
    from checks.rules import RULES
    for current in RULES:
        click.echo(f"{current.id:44} {current.severity:8} {current.summary}")
        if verbose:
            body = current.description.split("\n", 1)[1:] or [""]
            click.echo("\n".join("    " + line for line in body[0].strip().splitlines()) + "\n")


@main.command("settings")
def list_settings():
    """List every threshold the rules use, with its default and meaning."""
    from checks.settings import describe
    for section, key, default, meaning in describe():
        click.echo(f"[{section}] {key} = {default!r}\n    {meaning}")


def _run(dataset_dir, rules, with_suites, report, no_report, json_path, junit_path, fail_on, previous, new_only) -> int:
    from checks.dataset import load
    from checks.outputs import write_atomically
    from checks.pipeline import execute
    from checks.terminal import Progress, print_summary

    if new_only and previous is None:
        raise click.UsageError("--new-only needs --previous")
    previous_run = _read_previous(previous) if previous else None
    with Progress() as progress:
        progress.step("loading and validating tables")
        dataset = load(dataset_dir)
        progress.step("running rules" + (" and Great Expectations suites" if with_suites else ""))
        result = execute(dataset, rules, with_suites=with_suites, previous=previous_run)
        progress.step("writing outputs")
        # chart data only where a chart may be drawn: the HTML report, or a JSON it can be rebuilt from
        data = result.to_json(fail_on if fail_on != "never" else "error", new_only, charts=not no_report or bool(json_path))
        data["run"]["fail_on"] = fail_on
        failing = [] if fail_on == "never" else result.failing(fail_on, new_only)
        data["run"]["failing"] = len(failing)
        if json_path:
            write_atomically(json_path, json.dumps(data, ensure_ascii=False, indent=1))
        if junit_path:
            from checks.report_junit import render_junit
            write_atomically(junit_path, render_junit(data))
        if not no_report:
            from checks.report_html import render_html
            write_atomically(report, render_html(data))
    print_summary(data, failing, None if no_report else report)
    return EXIT_FINDINGS if failing else EXIT_OK


def _read_previous(path: Path) -> dict:
    from checks.waivers import read_previous
    return read_previous(path)


if __name__ == "__main__":
    main()
