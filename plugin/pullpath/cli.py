"""The ``pullpath`` command: a front door that only calls the engine and renders.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 usage or input error (one line
on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pullpath.errors import InputError
from pullpath.report import EXTENSIONS, RENDERERS

if TYPE_CHECKING:
    from pullpath.engine import Report
    from pullpath.inventory import Inventory
    from pullpath.role_assignments import RoleAssignments
    from pullpath.waivers import Waiver

# Each command imports what it needs when it runs: the engine, the renderers, the rule docs and the
# package version cost more to import than a small plan costs to judge.
FAIL_LEVELS = {"fail": "FAIL", "warn": "WARN", "unknown": "UNKNOWN"}  # names of pullpath.model.Verdict
STDOUT = "-"
FILE_WIDTH = 100  # the table's width in a file, a pipe or a build log
# An output whose name says another format is almost always mis-paired; without --format, the
# suffix picks the format (the first of its set), and any other suffix is the table.
_SUFFIX_FORMATS = {".sarif": ("sarif",), ".json": ("json", "sarif"), ".xml": ("junit",), ".md": ("markdown",)}


def _destinations(
    formats: tuple[str, ...], outputs: tuple[str, ...], output_dir: str | None
) -> list[tuple[str, str | None]]:
    """Pair formats with outputs in order: (format, file), file None for stdout.

    A format without its own --output goes to DIR/pullpath.<ext> with --output-dir, else to stdout;
    ``-o -`` is stdout. At most one format may go to stdout. Without any --format, each --output's
    suffix says its format (``-o report.json`` writes JSON, not the table into a .json file).
    """
    formats = formats or tuple(_format_of(target) for target in outputs) or ("table",)
    if len(outputs) > len(formats):
        raise click.UsageError(
            f"{len(outputs)} --output for {len(formats)} --format: each --output pairs with the --format "
            "in the same position"
        )
    pairs: list[tuple[str, str | None]] = []
    for position, fmt in enumerate(formats):
        target: str | None = outputs[position] if position < len(outputs) else None
        if target is None and output_dir:
            target = os.path.join(output_dir, f"pullpath.{EXTENSIONS[fmt]}")
        if target == STDOUT:
            target = None
        suffix = os.path.splitext(target or "")[1].lower()
        if fmt not in _SUFFIX_FORMATS.get(suffix, (fmt,)):
            raise click.UsageError(
                f"--output {target} is paired with --format {fmt}, but its name says "
                f"{' or '.join(_SUFFIX_FORMATS[suffix])}; --format and --output pair in order "
                "(without --format, the suffix picks the format)"
            )
        pairs.append((fmt, target))
    on_stdout = [fmt for fmt, target in pairs if target is None]
    if len(on_stdout) > 1:
        raise click.UsageError(
            f"--format {', '.join(on_stdout)} would all go to stdout; give all but one an --output "
            "or use --output-dir"
        )
    files = [os.path.realpath(target) for _, target in pairs if target]
    if len(set(files)) != len(files):
        raise click.UsageError("two formats would be written to the same --output file")
    return pairs


def _format_of(target: str) -> str:
    return _SUFFIX_FORMATS.get(os.path.splitext(target)[1].lower(), ("table",))[0]


def _emit(
    report: Report, destinations: list[tuple[str, str | None]], inputs: list[str], quiet: bool = False
) -> None:
    """Render every format first, then write every file together (all or none), then print.

    ``inputs`` and every file the analysis read (``report.inputs``) are refused as outputs. What
    goes to a terminal gets its width and, unless ``NO_COLOR`` is set, colour; a file or a pipe
    gets 100 columns and no colour.
    """
    from pullpath.report import render

    colour, width = _terminal()
    rendered = [
        (
            render(report, fmt, colour and target is None, width if target is None else FILE_WIDTH, quiet),
            target,
        )
        for fmt, target in destinations
    ]
    files = [(target, content) for content, target in rendered if target is not None]
    if files:
        from pullpath.outputs import write_reports  # and tempfile, signal: only a run with -o needs them

        write_reports(files, [*inputs, *report.inputs])
    for content, target in rendered:
        if target is None:
            click.echo(content, nl=False)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _terminal() -> tuple[bool, int]:
    """(colour, width) for stdout: on a terminal its width ($COLUMNS first) and colour, unless
    ``NO_COLOR`` is set (https://no-color.org) or ``TERM=dumb``; elsewhere no colour, 100 columns."""
    if not sys.stdout.isatty():
        return False, FILE_WIDTH
    import shutil  # a terminal only: a pipe or a file never asks for a width

    colour = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return colour, shutil.get_terminal_size((FILE_WIDTH, 24)).columns


def _gate_options(command: _Command) -> _Command:
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(list(RENDERERS)),
            multiple=True,
            help="Report format (default table); repeat for several reports in one run.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, allow_dash=True),
            multiple=True,
            help="Write the report to FILE ('-' for stdout); the n-th --output goes with the n-th --format. "
            "Without --format, the suffix picks it: .json, .sarif, .xml (junit), .md (markdown), "
            "else the table.",
        ),
        click.option(
            "--output-dir",
            type=click.Path(file_okay=False),
            help="Write each --format without its own --output to DIR/pullpath.<ext>.",
        ),
        click.option(
            "--waivers",
            type=click.Path(dir_okay=False),
            help="YAML file of waivers (rule, workload pattern, reason, expiry date).",
        ),
        click.option(
            "--registry-inventory",
            type=click.Path(dir_okay=False),
            help="JSON from 'az acr list' or 'az acr show' for registries the input does not define.",
        ),
        click.option(
            "--role-assignments",
            type=click.Path(dir_okay=False),
            help="JSON from 'az role assignment list --all -o json': grants for identities the input does "
            "not create.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(list(FAIL_LEVELS)),
            default="fail",
            show_default=True,
            help="Lowest verdict that fails the gate (exit 1).",
        ),
        click.option(
            "--soft-fail", is_flag=True, help="Exit 0 whatever the verdicts (input errors still exit 2)."
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            help="The table shows only what fails the gate, and nothing when nothing does.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_BOUNDARY = click.option(
    "--boundary",
    type=click.Path(file_okay=False),
    help="Read no source file that resolves outside DIR (default: the git checkout holding the sources, "
    "else their folder).",
)


_WORKSPACE = click.option(
    "--workspace",
    envvar="TF_WORKSPACE",
    metavar="NAME",
    help="The Terraform workspace the .tf sources are applied in, the value of terraform.workspace "
    "(default: TF_WORKSPACE, as terraform reads it). Without it, what depends on the workspace is UNKNOWN.",
)


def _print_version(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        from pullpath import __version__

        click.echo(f"pullpath, version {__version__}")
        context.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Can this Azure workload actually pull its container image?

    \b
      terraform show -json plan.out > plan.json
      pullpath plan plan.json        judge the pull paths of a plan
      pullpath scan infra/           judge .tf sources, before any plan
      pullpath explain PP101         what a rule means and how to fix it

    Exit codes: 0 nothing fails the gate, 1 something does, 2 a usage or input error.
    """


@cli.command("plan")
@click.argument("plan_json", type=click.Path())
@click.option(
    "--source-dir",
    type=click.Path(file_okay=False),
    help="The .tf sources of the plan: resolve what a plan cannot carry (locals, module internals), "
    "add file and line to findings, read the azurerm version from .terraform.lock.hcl.",
)
@_BOUNDARY
@_WORKSPACE
@_gate_options
def plan_command(
    plan_json: str,
    source_dir: str | None = None,
    boundary: str | None = None,
    workspace: str | None = None,
    **options: Any,
) -> int:
    """Judge the pull paths of PLAN_JSON (terraform show -json plan.out > plan.json; '-' reads stdin)."""
    if source_dir is None and _given_on_command_line("workspace"):
        raise click.UsageError(
            "--workspace names the workspace of .tf sources: give --source-dir too (a plan already "
            "carries the values of the workspace it was made in)"
        )
    if os.path.isdir(plan_json):
        raise InputError(
            f"{plan_json}: is a directory; pullpath plan reads a plan JSON file (terraform show -json "
            f"plan.out > plan.json), pullpath scan {plan_json} judges the .tf files of a folder"
        )
    from pullpath.engine import analyse_plan, analyse_plan_with_sources

    if source_dir is None:
        with _progress(plan_json) as progress:
            report = analyse_plan(plan_json, progress=progress)
        _warn(report)
        return _finish(report, [plan_json], **options)
    report = analyse_plan_with_sources(plan_json, source_dir, boundary=boundary, workspace=workspace or None)
    _warn(report)
    return _finish(report, [plan_json], **options)


@cli.command("scan")
@click.argument("directory", type=click.Path())
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A .tfvars or .tfvars.json file, as terraform -var-file (repeatable; later files win).",
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a root module variable, as terraform -var (repeatable; wins over every file).",
)
@_BOUNDARY
@_WORKSPACE
@_gate_options
def scan_command(
    directory: str,
    var_files: tuple[str, ...],
    variables: tuple[str, ...],
    boundary: str | None = None,
    workspace: str | None = None,
    **options: Any,
) -> int:
    """Judge the pull paths of the .tf sources under DIRECTORY, before anyone runs terraform plan.

    Every folder with .tf files is a root module (as checkov -d sees a monorepo), except folders
    that another folder uses as a local module source.
    """
    from pullpath.engine import analyse_tree

    with _progress(directory) as progress:
        report = analyse_tree(
            directory, var_files, _assignments(variables), progress, boundary, workspace or None
        )
    _warn(report)
    return _finish(report, [directory, *var_files], **options)


PROGRESS_BYTES = 10 * 1024 * 1024
PROGRESS_FILES = 1000


@contextmanager
def _progress(path: str) -> Iterator[Callable[[float], None] | None]:
    """A progress bar on stderr for a large input when a person watches; stdout is never touched.

    Large means a plan over 10 MB or a source tree of over 1,000 files.
    """
    if not _stderr_is_terminal() or not _large(path):
        yield None
        return
    label = "pullpath: reading plan" if os.path.isfile(path) else "pullpath: reading sources"
    with click.progressbar(length=1000, label=label, file=sys.stderr) as bar:
        yield lambda fraction: bar.update(max(int(fraction * 1000) - bar.pos, 0))


def _large(path: str) -> bool:
    if os.path.isfile(path):
        return os.path.getsize(path) > PROGRESS_BYTES
    files = 0
    for _, _, names in os.walk(path):
        files += len(names)
        if files > PROGRESS_FILES:
            return True
    return False


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _given_on_command_line(parameter: str) -> bool:
    """Whether the user typed the option (rather than its environment variable supplying it)."""
    source = click.get_current_context().get_parameter_source(parameter)
    return source is click.core.ParameterSource.COMMANDLINE


def _assignments(variables: tuple[str, ...]) -> dict[str, str]:
    from pullpath.readers.hcl.variables import parse_assignment

    return dict(parse_assignment(assignment) for assignment in variables)


def _warn(report: Report) -> None:
    """Problems that did not stop the analysis (a file that does not parse): one stderr line each."""
    from pullpath.sensitive import redactor

    hide = redactor(report)
    for warning in report.warnings:
        click.echo(f"pullpath: warning: {' '.join(hide.text(warning).split())}", err=True)


@cli.command("rules")
def rules_command() -> int:
    """List every rule: ID, severity and title."""
    from tabulate import tabulate

    from pullpath.rules import ALL_RULES

    rows = [[rule.id, rule.severity, rule.title] for rule in ALL_RULES.values()]
    click.echo(tabulate(rows, headers=["ID", "severity", "title"], disable_numparse=True))
    return 0


@cli.command("explain")
@click.argument("rule_id")
@click.option("--raw", is_flag=True, help="Print the rule's page as Markdown (docs/rules/RULE_ID.md).")
def explain_command(rule_id: str, raw: bool = False) -> int:
    """Explain RULE_ID: why it breaks, a failing and a fixed example, the fixes, the references."""
    from pullpath.docs import render_rule
    from pullpath.rules import ALL_RULES

    rule = ALL_RULES.get(rule_id.strip().upper())
    if rule is None:
        raise click.BadParameter(f"no rule {rule_id!r}; 'pullpath rules' lists them", param_hint="RULE_ID")
    if raw:
        click.echo(render_rule(rule), nl=False)
        return 0
    from pullpath.report.terminal_markdown import for_terminal

    colour, width = _terminal()
    click.echo(for_terminal(render_rule(rule), min(width, FILE_WIDTH), colour), nl=False, color=colour)
    return 0


@cli.command("policies-dir")
def policies_dir_command() -> int:
    """Print the folder of pullpath's checkov checks, for checkov's --external-checks-dir.

    An installed pullpath carries them as ``pullpath.policies`` (the repository's ``policies/``), so
    a pipeline needs no clone: ``checkov -d . --external-checks-dir "$(pullpath policies-dir)"``.
    """
    import importlib.util

    spec = importlib.util.find_spec("pullpath.policies")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    if not folders or not os.path.isdir(folders[0]):
        raise InputError(
            "this copy of pullpath carries no checkov checks (run from a source folder?): "
            "use the repository's policies/ folder"
        )
    click.echo(os.path.abspath(folders[0]))
    return 0


def _finish(
    report: Report,
    inputs: list[str],
    fmt: tuple[str, ...],
    output: tuple[str, ...],
    output_dir: str | None,
    waivers: str | None,
    registry_inventory: str | None,
    role_assignments: str | None,
    fail_on: str,
    soft_fail: bool,
    quiet: bool,
) -> int:
    """What every gate command does once it has a report: review, render, write, decide the exit code.

    Waivers, the registry inventory and the role assignments apply here, so every gate command gets
    them the same way.
    """
    from pullpath.engine import review
    from pullpath.model import Verdict

    destinations = _destinations(fmt, output, output_dir)
    report = review(
        report,
        Verdict[FAIL_LEVELS[fail_on]],
        inventory=_load_inventory(registry_inventory) if registry_inventory else None,
        waivers=_load_waivers(waivers) if waivers else (),
        role_assignments=_load_role_assignments(role_assignments) if role_assignments else None,
    )
    for notice in report.notices:
        click.echo(f"pullpath: warning: {notice.message}", err=True)
    if output_dir:
        try:
            os.makedirs(output_dir, exist_ok=True)
        except OSError as error:
            raise InputError(f"{output_dir}: cannot create output directory: {error.strerror}") from None
    given = (waivers, registry_inventory, role_assignments)
    _emit(report, destinations, [*inputs, *(path for path in given if path)], quiet)
    return 0 if soft_fail or not report.fails_gate() else 1


def _load_inventory(path: str) -> Inventory:
    from pullpath.inventory import load_inventory

    return load_inventory(path)


def _load_role_assignments(path: str) -> RoleAssignments:
    from pullpath.role_assignments import load_role_assignments

    return load_role_assignments(path)


def _load_waivers(path: str) -> tuple[Waiver, ...]:
    from pullpath.waivers import load_waivers  # and YAML with it: only a run with --waivers needs them

    return load_waivers(path)


def _fail(message: str) -> int:
    click.echo(f"pullpath: error: {' '.join(message.split())}", err=True)
    return 2


def _usage(error: click.UsageError) -> int:
    """A usage mistake in one line that names the help to read; ``pullpath`` alone prints the help.

    click 8.2 and later raise a usage error holding the whole help when a group gets no command.
    """
    if type(error).__name__ == "NoArgsIsHelpError" and error.ctx is not None:
        click.echo(error.ctx.get_help(), err=True)
        return 2
    where = f"; see '{error.ctx.command_path} --help'" if error.ctx is not None else ""
    return _fail(error.format_message().rstrip(".") + where)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes one line on stderr."""
    try:
        result = cli.main(args=argv, prog_name="pullpath", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        return _fail("aborted")
    except click.UsageError as error:
        return _usage(error)
    except click.ClickException as error:
        return _fail(error.format_message())
    except InputError as error:
        return _fail(str(error))
    except RecursionError:
        return _fail("input nested too deeply")
    except MemoryError:
        return _fail("input too large for the available memory")
    except Exception as error:  # the gate must answer in one line, never with a traceback
        return _fail(f"internal error ({type(error).__name__}); please report it with the input shape")
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run())
