"""The ``pcso-policy`` command line: parse options, call the command's module, return its code.

Only click is imported up front; each command imports its module (and so the
checks, the renderer or git support) when it runs, so a run pays for what it
uses and ``--version`` for nothing else.
"""

from __future__ import annotations

import datetime
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from pcso_policy import sanitise
from pcso_policy.commands import EXIT_OK, EXIT_USAGE
from pcso_policy.errors import PcsoPolicyError

FORMATS = ("github", "json", "junit", "sarif", "text")
"""``lint --format`` names; :data:`pcso_policy.reporters.REPORTERS` maps each to its reporter (tested)."""


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


def _rule_list(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """Rule ids and groups given with an option, comma-separated, the option repeated or both; None if not given."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from pcso_policy.commands import version

    version.run(sys.stdout)
    ctx.exit(EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
    help="Show the version of the tool, of its bundled rule set and of its national texts.",
)
@click.option("--debug", is_flag=True, help="Show a full traceback on unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Keep police policies correct, current and publishable: policies as code."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date review checks judge against (default: today).")
@click.option(
    "--select",
    metavar="RULES",
    multiple=True,
    help="Rule ids or groups to run, comma-separated or repeated (replaces the configured list).",
)
@click.option(
    "--ignore",
    metavar="RULES",
    multiple=True,
    help="Rule ids or groups not to run, comma-separated or repeated (replaces the configured list).",
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE (atomically); the terminal still gets the text report.",
)
@click.option("--statistics", is_flag=True, help="Print how many findings each rule raised.")
@click.option(
    "--color", "--colour", "colour", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Colour the text report: auto colours a terminal (NO_COLOR turns it off, FORCE_COLOR or CLICOLOR_FORCE on).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print the findings and nothing else: no summary line, no notes, no progress.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found, for jobs that only report (usage errors still exit 2).")
@click.option(
    "--stdin-filename", "stdin_filename", metavar="NAME",
    help="Lint standard input (a path of -) as if it were the file NAME (default name: <stdin>).",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the current findings in this baseline file (fixed ones drop out).",
)
@click.option(
    "--changed-since",
    "changed_since",
    metavar="REF",
    help="Lint only policies changed since git REF, and those citing or aligned with what changed.",
)
@click.option(
    "--cache-dir", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Cache folder (default: the project's folder in $PCSO_POLICY_CACHE_DIR, else ~/.cache/pcso-policy; never one git tracks).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache (what CI wants: its home folder is new each job).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Processes to lint with; 0 uses every core.")
@click.option(
    "--min-severity", "min_severity", type=click.Choice(["error", "warning", "info"]),
    help="Report and count only findings at this severity or above, in every format (the exit status still follows errors).",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes findings carry, write the files changed, and report what remains.")
@click.option("--diff", is_flag=True, help="Print what --fix would change as a unified diff, write nothing; exit 1 if it would.")
@click.option(
    "--unsafe-fixes", "unsafe_fixes", is_flag=True,
    help="With --fix or --diff, apply too the fixes a person should look at (such as a footer date set from the front matter).",
)
def lint(
    paths: tuple[str, ...],
    output_format: str,
    as_of: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: Path | None,
    output_file: Path | None,
    statistics: bool,
    colour: str,
    quiet: bool,
    exit_zero: bool,
    stdin_filename: str | None,
    baseline: Path | None,
    write_baseline: Path | None,
    changed_since: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    jobs: int,
    min_severity: str | None,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
) -> int:
    """Lint policy files (default: the configured paths, else policies/; - reads one from standard input)."""
    from pcso_policy.commands import lint as command

    settings = command.LintSettings(
        paths=paths,
        output_format=output_format,
        as_of=_date(as_of),
        select=_rule_list(select),
        ignore=_rule_list(ignore),
        config_file=config_file,
        output_file=output_file,
        statistics=statistics,
        colour=colour,
        quiet=quiet,
        exit_zero=exit_zero,
        stdin_filename=stdin_filename,
        baseline=baseline,
        write_baseline=write_baseline,
        changed_since=changed_since,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        jobs=jobs,
        min_severity=min_severity,
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
    )
    return command.run(settings, sys.stdout, sys.stderr)


_CONFIG = click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")


@main.command()
@_CONFIG
def rules(config_file: Path | None) -> int:
    """List every rule with its default severity and the check file that configures it."""
    from pcso_policy.commands import rules as command

    return command.run(command.RulesSettings(config_file), sys.stdout)


@main.command()
@click.argument("rule", metavar="RULE|KIND")
@_CONFIG
def explain(rule: str, config_file: Path | None) -> int:
    """Print a rule's documentation (what it finds, why, how to fix it, an example), or a check kind's
    (its rules, where it is used, its options and their defaults)."""
    from pcso_policy.commands import rules as command

    return command.explain(command.RulesSettings(config_file, rule), sys.stdout)


@main.command()
@_CONFIG
def kinds(config_file: Path | None) -> int:
    """List the check kinds that checks/*.yaml can use, and the check files using each."""
    from pcso_policy.commands import rules as command

    return command.kinds(command.RulesSettings(config_file), sys.stdout)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")
def align(paths: tuple[str, ...], output_format: str, config_file: Path | None) -> int:
    """Compare each aligns_with section with its national text, point by point."""
    from pcso_policy.commands import align as command

    return command.run(command.AlignSettings(paths, output_format, config_file), sys.stdout)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date reviews are judged on (default: today).")
@click.option("--owner", help="Only policies with this owner (case-insensitive).")
@click.option(
    "--due-within", "due_within", metavar="PERIOD",
    help="Only reviews due within PERIOD (90d, 12w, 6m, 2y), overdue ones included.",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv", "ics"]), default="text", show_default=True)
@click.option(
    "--output", "output_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (atomically) instead of the terminal.",
)
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when a listed review is overdue or has no readable next_review.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")
def reviews(
    paths: tuple[str, ...],
    as_of: str | None,
    owner: str | None,
    due_within: str | None,
    output_format: str,
    output_file: Path | None,
    fail_on_overdue: bool,
    config_file: Path | None,
) -> int:
    """List every policy's next review, most urgent first (default: the configured paths, else policies/)."""
    from pcso_policy.commands import reviews as command

    settings = command.ReviewSettings(paths, _date(as_of), owner, due_within, output_format, fail_on_overdue, config_file, output_file)
    return command.run(settings, sys.stdout)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--html", "html_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the static HTML report (replaced whole).",
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date reviews and findings are judged on (default: today).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")
def report(paths: tuple[str, ...], html_dir: Path, as_of: str | None, config_file: Path | None) -> int:
    """Write a self-contained HTML report: reviews, findings and alignment of every policy."""
    from pcso_policy.commands import report as command

    return command.run(command.ReportSettings(html_dir, paths, _date(as_of), config_file), sys.stdout)


@main.command()
@click.argument("path", type=click.Path())
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The DOCX file to write (atomically).",
)
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), help="A force's Word template (.docx) to render into.")
@_CONFIG
def render(path: str, output: Path, template: Path | None, config_file: Path | None) -> int:
    """Render one policy as a Word document (any status; unapproved ones are marked DRAFT)."""
    from pcso_policy.commands import render as command

    return command.run(command.RenderSettings(path, output, template, config_file), sys.stdout)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the DOCX files and manifest.json.",
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date the lint gate judges against (default: today).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), help="A force's Word template (.docx) to render into.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file to use.")
def publish(paths: tuple[str, ...], out: Path, as_of: str | None, template: Path | None, config_file: Path | None) -> int:
    """Publish approved policies that lint without errors as checked DOCX files, with a manifest."""
    from pcso_policy.commands import publish as command

    settings = command.PublishSettings(out=out, paths=paths, as_of=_date(as_of), template=template, config_file=config_file)
    return command.run(settings, sys.stdout)


_INIT_PARTS = ("all", "config", "policies", "checks", "pre-commit", "github", "gitlab", "gitignore")
"""``init --add`` names: ``all`` and the parts of :data:`pcso_policy.commands.init.PARTS` (tested)."""


@main.command()
@click.argument("folder", metavar="[DIR]", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--add", "add", multiple=True, type=click.Choice(_INIT_PARTS), metavar="PART",
    help=f"Write only this part (repeatable; {', '.join(_INIT_PARTS)}); needed when DIR is not empty.",
)
def init(folder: Path, add: tuple[str, ...]) -> int:
    """Set up a policy repository in DIR (default: here); existing files are never overwritten."""
    from pcso_policy.commands import init as command

    return command.run(command.InitSettings(folder, add), sys.stdout)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = main.main(args=args, prog_name="pcso-policy", standalone_mode=False)
    except click.exceptions.Exit as stop:
        return stop.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_USAGE
    except PcsoPolicyError as error:
        click.echo(sanitise.line(f"pcso-policy: error: {error}"), err=True)  # one line, whatever a name holds
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback unless asked
        if debug:
            traceback.print_exc()
        else:
            click.echo(sanitise.line(f"pcso-policy: internal error: {error}. Rerun with --debug for details and report it."), err=True)
        return EXIT_USAGE
    return code if isinstance(code, int) else EXIT_OK
