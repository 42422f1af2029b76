"""The ``pullpath`` command: a front door that only calls the engine and renders.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 usage or input error (one line
on stderr, never a traceback).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from pullpath import __version__
from pullpath.engine import Report, analyse_plan, analyse_plan_with_sources, analyse_tree
from pullpath.errors import InputError
from pullpath.model import Verdict
from pullpath.outputs import write_atomic
from pullpath.report import RENDERERS, render

FAIL_LEVELS = {"fail": Verdict.FAIL, "warn": Verdict.WARN, "unknown": Verdict.UNKNOWN}


def _emit(report: Report, fmt: str, output: str | None, inputs: list[str]) -> None:
    if output:
        write_atomic(output, render(report, fmt, colour=False), inputs)
    else:
        click.echo(render(report, fmt, colour=sys.stdout.isatty()), nl=False)


def _exit_code(report: Report, fail_on: str, soft_fail: bool) -> int:
    worst = report.worst()
    if soft_fail or worst is None:
        return 0
    return 1 if worst >= FAIL_LEVELS[fail_on] else 0


def _gate_options(command):  # type: ignore[no-untyped-def]
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(list(RENDERERS)),
            default="table",
            show_default=True,
            help="Report format.",
        ),
        click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE."),
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
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pullpath")
def cli() -> None:
    """Can this Azure workload actually pull its container image?"""


@cli.command("plan")
@click.argument("plan_json", type=click.Path())
@click.option(
    "--source-dir",
    type=click.Path(file_okay=False),
    help="The .tf sources of the plan: resolve what a plan cannot carry (locals, module internals), "
    "add file and line to findings, read the azurerm version from .terraform.lock.hcl.",
)
@_gate_options
def plan_command(plan_json: str, source_dir: str | None = None, **options: Any) -> int:
    """Judge the pull paths of PLAN_JSON (terraform show -json plan.out > plan.json)."""
    if source_dir is None:
        return _finish(analyse_plan(plan_json), [plan_json], **options)
    report = analyse_plan_with_sources(plan_json, source_dir)
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
@_gate_options
def scan_command(
    directory: str, var_files: tuple[str, ...], variables: tuple[str, ...], **options: Any
) -> int:
    """Judge the pull paths of the .tf sources under DIRECTORY, before anyone runs terraform plan.

    Every folder with .tf files is a root module (as checkov -d sees a monorepo), except folders
    that another folder uses as a local module source.
    """
    report = analyse_tree(directory, var_files, _assignments(variables))
    _warn(report)
    return _finish(report, [directory], **options)


def _assignments(variables: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for assignment in variables:
        name, separator, value = assignment.partition("=")
        if not separator or not name.strip():
            raise click.BadParameter(f"{assignment!r}: expected NAME=VALUE", param_hint="--var")
        values[name.strip()] = value
    return values


def _warn(report: Report) -> None:
    """Problems that did not stop the analysis (a file that does not parse): one stderr line each."""
    for warning in report.warnings:
        click.echo(f"pullpath: warning: {' '.join(warning.split())}", err=True)


def _finish(
    report: Report, inputs: list[str], fmt: str, output: str | None, fail_on: str, soft_fail: bool
) -> int:
    """What every gate command does once it has a report: render, write, decide the exit code."""
    _emit(report, fmt, output, inputs)
    return _exit_code(report, fail_on, soft_fail)


def _fail(message: str) -> int:
    click.echo(f"pullpath: error: {' '.join(message.split())}", err=True)
    return 2


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes one line on stderr."""
    try:
        result = cli.main(args=argv, prog_name="pullpath", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        return _fail("aborted")
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
