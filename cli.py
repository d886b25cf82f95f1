"""`check`: consistency checks for indicator datasets.

\b
Exit codes (every command):
  0    nothing unwaived at or above the failing severity
  1    findings that fail the run (see --fail-on, --new-only)
  2    usage error, or input the checker cannot read (a malformed CSV, a missing column, an
       unknown unit, a bad encoding, a duplicate id, a dangling reference, a bad setting or
       --previous file), or an output that cannot be written: each problem is printed with its
       file, line and column, and no output is written.
  3    internal error (a bug): one line; `check --debug ...` shows the traceback.
  130  interrupted (Ctrl-C): the previous outputs are left as they were.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
SEVERITY_CHOICES = ["error", "warning", "info", "never"]
FULL_REPORT = Path("reports/validation-report.html")
OUTPUT_FILE = click.Path(dir_okay=False, path_type=Path)


class CheckGroup(click.Group):
    """Turns an InputError anywhere below into its messages and exit code 2, an output that cannot
    be written into one line and exit 2, Ctrl-C into exit 130, and any other exception into one
    line and exit 3: never a traceback, unless `check --debug` asks for it."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted: no output was written; previous outputs are untouched", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # the reader of standard output went away (`check all | head`): click ends quietly
            # (its outputs were written before anything was printed)
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            message, details, code = _explained(error)
            click.secho(message, fg="red", err=True)
            for detail in details:
                click.echo(f"  {detail}", err=True)
            ctx.exit(code)

    def main(self, *args, **kwargs):
        # click turns Ctrl-C outside invoke() into "Aborted!" and exit 1; keep it 130.
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:
            sys.exit(EXIT_INTERRUPTED)


def _explained(error: Exception) -> tuple[str, list, int]:
    """What an error stopping a command says (one line, and the problems of an input error), and its exit code."""
    from checks.errors import InputError
    from checks.outputs import OutputError
    if isinstance(error, InputError):
        return (f"input error: {len(error.problems)} problem(s) in {error.subject}; nothing was checked and no report was written",
                list(error.problems), EXIT_INPUT)
    if isinstance(error, OutputError):
        return f"output error: {error}; no output was written", [], EXIT_INPUT
    if isinstance(error, OSError):
        return f"cannot write {error.filename or 'an output'}: {error.strerror or error}", [], EXIT_INPUT
    return (f"internal error (a bug in Seed, not in the dataset): {type(error).__name__}: {error}; "
            "run `check --debug ...` for the traceback", [], EXIT_INTERNAL)


@click.group(cls=CheckGroup, help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seed-checks", prog_name="check")
@click.option("--debug", is_flag=True, help="Show the traceback of an error instead of one line, and check the parsed frames against their schemas.")
@click.pass_context
def main(ctx: click.Context, debug) -> None:
    from checks.config import discover
    if debug:  # also check the parsed frames against their schemas (schemas/parsed.py)
        from schemas.parsed import DEBUG_VARIABLE
        os.environ[DEBUG_VARIABLE] = "1"
    ctx.obj = discover(Path.cwd())
    ctx.default_map = ctx.obj.default_map()


def dataset_option(function):
    return click.option("--dataset", "dataset_dir", type=click.Path(path_type=Path), default=Path("datasets"),
                        show_default=True, help="Dataset folder (or a .xlsx workbook with one sheet per table).")(function)


def _split(values) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def run_options(function):
    options = [
        click.option("--report", type=OUTPUT_FILE, default=None,
                     help=f"Where the HTML report is written [default: {FULL_REPORT} for `check all`; none for a partial run]."),
        click.option("--no-report", is_flag=True, help="Do not write the HTML report."),
        click.option("--json", "json_path", type=OUTPUT_FILE, help="Also write the report as JSON (schemas/report.schema.json)."),
        click.option("--junit", "junit_path", type=OUTPUT_FILE, help="Also write JUnit XML (one test case per rule)."),
        click.option("--sarif", "sarif_path", type=OUTPUT_FILE, help="Also write SARIF 2.1.0 (GitHub code scanning)."),
        click.option("--markdown", "markdown_path", type=OUTPUT_FILE, help="Also write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)."),
        click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
                     help="What goes to standard output: text, the JSON report, or GitHub workflow-command annotations."),
        click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="error", show_default=True,
                     help="Lowest severity of an unwaived finding that fails the run (exit 1)."),
        click.option("--previous", type=OUTPUT_FILE,
                     help="JSON report of a previous run (e.g. main's): findings are marked new / open, and resolved ones listed."),
        click.option("--new-only", is_flag=True, help="With --previous: only new findings fail the run."),
        click.option("--select", multiple=True, help="Only these rule ids or families (comma-separated or repeated), like ruff."),
        click.option("--ignore", multiple=True, help="Leave out these rule ids or families (comma-separated or repeated)."),
        click.option("--quiet", "-q", is_flag=True, help="Print only the failing findings and the verdict."),
        click.option("--verbose", "-v", is_flag=True, help="Print every finding (waived ones marked) and the rule table."),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                     help="Colour in the terminal; auto honours NO_COLOR."),
        click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                     help="Language of the HTML report's own text (headings, labels); what the dataset and sources say stays as printed."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), envvar="SEED_CACHE_DIR",
                     help="Where the sources' scans are kept between runs, keyed by text and code "
                          "[default: $XDG_CACHE_HOME/seed, else ~/.cache/seed; never from the config file]."),
        click.option("--no-cache", is_flag=True, envvar="SEED_NO_CACHE", help="Scan every source afresh: read and write no cache."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command("all")
@dataset_option
@run_options
@click.option("--no-suites", is_flag=True, help="Skip the Great Expectations suites (saves ~3 s of start-up).")
@click.option("--data-docs", type=click.Path(file_okay=False, path_type=Path),
              help="Also build Great Expectations' own Data Docs in this folder (they load scripts from CDNs).")
@click.option("--engine", type=click.Choice(["pandas", "dask", "spark"]), default="pandas", show_default=True,
              help="Where the parse step and the rules run: in this process, or partitioned on Dask or Spark (local mode); the same findings.")
def check_all(no_suites, engine, **options):
    """Run every layer: schemas, Great Expectations suites, rules, coverage, provenance."""
    from checks.rules import RULES
    module, extra = ("pyspark", "spark") if engine == "spark" else ("dask", "distributed")
    if engine != "pandas" and importlib.util.find_spec(module) is None:
        raise click.UsageError(f"--engine {engine} needs {module}: pip install 'seed-checks[{extra}]'")
    sys.exit(_run(RULES, not no_suites, command_complete=not no_suites, engine=engine, **options))


@main.command("family")
@click.argument("families", nargs=-1, required=True)
@dataset_option
@run_options
def check_family(families, **options):
    """Run the rules of one or more families (see `check rules`), e.g. `check family targets units`."""
    from checks.rules import FAMILIES, RULES
    unknown = sorted(set(families) - set(FAMILIES) - {"suites"})
    if unknown:
        raise click.BadParameter(f"unknown famil{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
                                 f"known: {', '.join([*FAMILIES, 'suites'])}", param_hint="FAMILIES")
    selected = [r for r in RULES if r.family in families]
    sys.exit(_run(selected, "suites" in families, command_complete=False, **options))


@main.command("suites")
@dataset_option
@run_options
@click.option("--data-docs", type=click.Path(file_okay=False, path_type=Path),
              help="Also build Great Expectations' own Data Docs in this folder.")
def check_suites(**options):
    """Run only the Great Expectations suites (schemas/expectations/*.json and the dataset's expectations/*.json)."""
    sys.exit(_run([], True, command_complete=False, **options))


@main.command("schemas")
@dataset_option
def check_schemas(dataset_dir):
    """Validate the tables (pandera schemas and references between tables) and stop."""
    from checks.spreadsheet import load_dataset
    dataset = load_dataset(dataset_dir)
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
@dataset_option
def list_rules(verbose, dataset_dir):
    """List every rule with its id, severity and what it checks: the rules, then the Great
    Expectations suites Seed ships and the dataset's own (each a rule suites.<name>)."""
    from checks.rules import RULES
    from checks.suites import listed_suites
    for current in [*RULES, *listed_suites(dataset_dir)]:
        opt_in = f" [opt-in: --select {current.id}]" if current.opt_in else ""
        click.echo(f"{current.id:44} {current.severity:8} {current.summary}{opt_in}")
        if verbose:
            body = current.description.split("\n", 1)[1:] or [""]
            click.echo(f"    defined in {current.location}")
            click.echo("\n".join("    " + line for line in body[0].strip().splitlines()) + "\n")


@main.command("settings")
@dataset_option
@click.pass_obj
def list_settings(config, dataset_dir):
    """Print the configuration in force (where it comes from) and every threshold: the dataset's
    settings.toml value beside its default."""
    from checks.settings import describe, load_settings
    click.echo(f"# configuration: {config.source or 'none found (defaults)'}")
    for key, value in config.describe():
        click.echo(f"{key} = {value!r}")
    from checks.spreadsheet import is_workbook
    path = (Path(dataset_dir).parent if is_workbook(dataset_dir) else Path(dataset_dir)) / "settings.toml"
    settings = load_settings(path)
    click.echo(f"\n# thresholds: {path if path.exists() else f'{path} (missing: defaults)'}")
    for section, key, default, meaning in describe():
        value = getattr(settings, key)
        marker = "" if value == default else f"   (default {default!r})"
        click.echo(f"[{section}] {key} = {value!r}{marker}\n    {meaning}")


def _run(rules, with_suites, *, command_complete, dataset_dir, report, no_report, json_path, junit_path, sarif_path, markdown_path,
         output_format, fail_on, previous, new_only, select, ignore, quiet, verbose, color, lang="en", data_docs=None, engine="pandas",
         cache_dir=None, no_cache=False) -> int:
    from checks.engine import cyclic_gc_paused
    from checks.outputs import check_writable, write_all
    from checks.pipeline import execute
    from checks.report_model import Scope
    from checks.selection import select_rules
    from checks.spreadsheet import is_workbook, load_dataset
    from checks.terminal import Progress, use_colour

    if new_only and previous is None:
        raise click.UsageError("--new-only needs --previous")
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    select, ignore = _split(select), _split(ignore)
    rules, suite_names = select_rules(rules, with_suites, select, ignore, dataset_dir)
    with_suites = suite_names is not None
    complete = command_complete and not select and not ignore
    if not complete:  # the configured outputs are the complete run's: a partial run never overwrites them
        from click.core import ParameterSource

        from checks.config import OUTPUT_PARAMETERS
        ctx = click.get_current_context()
        configured = {name for name in OUTPUT_PARAMETERS if ctx.get_parameter_source(name) == ParameterSource.DEFAULT_MAP}
        report = None if "report" in configured else report
        json_path, junit_path, sarif_path, markdown_path = (None if name in configured else value for name, value in (
            ("json_path", json_path), ("junit_path", junit_path), ("sarif_path", sarif_path), ("markdown_path", markdown_path)))
    if report is None and not no_report and complete:
        report = click.get_current_context().find_root().obj.full_report or FULL_REPORT
    if no_report:
        report = None
    files = [(what, path) for what, path in (("--json", json_path), ("--junit", junit_path), ("--sarif", sarif_path),
                                            ("--markdown", markdown_path), ("--report", report)) if path]
    for what, path in files:
        check_writable(what, path)
    previous_report = _read_previous(previous) if previous else None

    text_stream = sys.stderr if output_format == "json" else sys.stdout
    with Progress(enabled=not quiet) as progress:
        progress.step("loading and validating tables")
        if engine == "pandas" or is_workbook(dataset_dir):
            dataset = load_dataset(dataset_dir)
        else:  # the observation files and sources are read in the engine's partitions
            from checks.distributed import load
            dataset = load(dataset_dir, engine)
        if not no_cache:
            from checks.scan_cache import default_directory
            dataset.scan_cache = cache_dir or default_directory()
        progress.step("running rules" + (" and Great Expectations suites" if with_suites else ""))
        result = execute(dataset, rules, with_suites=with_suites, suite_names=suite_names, data_docs=data_docs,
                         previous=previous_report.json_dict() if previous_report else None, engine=engine)
        progress.step("writing outputs")
        families = sorted({r.family for r in rules} | ({"suites"} if with_suites else set()))
        scope = Scope(complete=complete, families=families, rules=len(result.summaries), select=select, ignore=ignore)
        # chart data only where a chart may be drawn: the HTML report, or a JSON it can be rebuilt from
        model = result.report(fail_on, new_only, scope, charts=bool(report or json_path or output_format == "json"))
        with cyclic_gc_paused():  # the outputs are strings, dicts and lists (see engine.cyclic_gc_paused)
            write_all([(what, path, _render(what, model, lang)) for what, path in files])
    with cyclic_gc_paused():
        return _print(model, files, colour=use_colour(color, text_stream), text_stream=text_stream, output_format=output_format,
                      data_docs=data_docs if with_suites else None, partial_without_report=not complete and report is None and not no_report,
                      quiet=quiet, verbose=verbose)


def _print(model, files, *, colour, text_stream, output_format, data_docs, partial_without_report, quiet, verbose) -> int:
    """What goes to standard output: the JSON report or annotations when asked for, then the text
    summary naming the files written; the exit code."""
    from checks.terminal import print_text
    if output_format == "json":
        click.echo(model.to_text(), nl=False)
    elif output_format == "github":
        from checks.report_github import render_github
        click.echo(render_github(model), nl=False)
    written = [(what.lstrip("-"), str(path)) for what, path in files]
    if data_docs:
        written.append(("data docs", str(Path(data_docs) / "index.html")))
    if partial_without_report:
        written.append(("report", "none written for a partial run (give --report PATH)"))
    print_text(model, verbosity=-1 if quiet else 1 if verbose else 0, colour=colour, outputs=written, stream=text_stream)
    return EXIT_FINDINGS if model.counts.failing else EXIT_OK


def _read_previous(path: Path):
    """A previous run's report: read safely and shape-checked (waivers.read_previous), then
    validated against the report model; anything else is an input error naming the file."""
    from checks.errors import InputError, InputProblem
    from checks.report_model import NotAReport, validate_report
    from checks.waivers import PREVIOUS_SUBJECT, read_previous
    try:
        return validate_report(read_previous(path))
    except NotAReport as problem:
        raise InputError([InputProblem(str(path), f"{problem}: --previous takes the --json output of this Seed")], PREVIOUS_SUBJECT) from None


def _render(what: str, model, lang: str = "en"):
    """A function writing the output to the file it is given: each output is made while its file is
    written, so only one is held at a time (the JSON, the SARIF and the HTML stream)."""
    if what == "--json":
        return model.write_json
    if what == "--junit":
        from checks.report_junit import render_junit
        return lambda out: out.write(render_junit(model))
    if what == "--sarif":
        from checks.report_sarif import write_sarif
        from checks.rules import RULES
        return lambda out: write_sarif(model, out, {r.id: r.description for r in RULES})
    if what == "--markdown":
        from checks.report_markdown import render_markdown
        return lambda out: out.write(render_markdown(model))
    from checks.report_html import write_html
    return lambda out: write_html(model.json_dict(), out, lang=lang)


@main.command("export")
@dataset_option
@click.option("--xlsx", "xlsx_path", required=True, type=OUTPUT_FILE,
              help="The workbook to write: a findings sheet, then one sheet per table.")
@click.option("--no-suites", is_flag=True, help="Skip the Great Expectations suites.")
def check_export(dataset_dir, xlsx_path, no_suites):
    """Write the dataset and the findings of a run as an .xlsx workbook, for stewards who review in a
    spreadsheet (text a spreadsheet would take for a formula stays text)."""
    from checks.outputs import check_writable, write_one
    from checks.pipeline import execute
    from checks.report_model import Scope
    from checks.rules import RULES
    from checks.spreadsheet import export_workbook, load_dataset
    check_writable("--xlsx", xlsx_path)
    dataset = load_dataset(dataset_dir)
    result = execute(dataset, RULES, with_suites=not no_suites)
    families = sorted({r.family for r in RULES} | (set() if no_suites else {"suites"}))
    model = result.report(scope=Scope(complete=not no_suites, families=families, rules=len(result.summaries)), charts=False)
    write_one("--xlsx", xlsx_path, export_workbook(dataset, model))
    click.echo(f"xlsx: {xlsx_path} ({len(model.findings)} findings, {len(dataset.observations)} observations)")


@main.command("coverage")
@click.argument("document")
@dataset_option
def check_coverage(document, dataset_dir):
    """Numbers of one source DOCUMENT not yet entered, and quotes not found (while entering it).

    Reads the document's rows as they are, unfinished tables included; exit 1 when something is
    unaccounted for.
    """
    from checks.scanner import coverage_report
    sys.exit(coverage_report(document, Path(dataset_dir)))


if __name__ == "__main__":
    main()
