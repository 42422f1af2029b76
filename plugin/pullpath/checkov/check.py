"""The checkov check class every pullpath rule is registered as, one instance per rule ID.

checkov keeps a check's ``details`` and ``severity`` on the check object and reads them back after
each run; with ``CHECKOV_PARALLELIZATION_TYPE=thread`` the HCL and plan runners share check objects
across threads, so both live in thread-local storage here, as does the scanned file. The one shared
attribute a run reads is ``graph``, which checkov sets just before each run; it is read once, and
:func:`~pullpath.checkov.judgements.source_judgement` copes with being handed another runner's graph.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from checkov.common.bridgecrew.severities import Severities, Severity
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.common.typing import _CheckResult, _SkippedCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from pullpath.checkov import verdicts
from pullpath.checkov.judgements import (
    Judgement,
    plan_judgement,
    source_judgement,
    untracked_plan_judgement,
)
from pullpath.rules.base import Rule


class PullpathCheck(BaseResourceCheck):
    """Shows pullpath's verdict under one rule for one resource; never raises."""

    def __init__(self, rule: Rule, resource_types: Iterable[str]) -> None:
        self.rule = rule
        self._local = threading.local()
        self._severity: Severity | None = None
        super().__init__(
            name=rule.title,
            id=rule.id,
            categories=(CheckCategories.NETWORKING,),
            supported_resources=tuple(sorted(set(resource_types))),
            guideline=rule.help_uri,
        )
        self._severity = Severities[rule.severity]

    @property  # type: ignore[override]  # checkov's BaseCheck sets a plain attribute, typed None
    def severity(self) -> Severity | None:
        """The severity of this thread's last result, read once, else the rule's.

        checkov reads ``severity`` twice around a run: before it, to filter checks by severity
        (``--check MEDIUM``), where the rule's must count; after it, into the result's record,
        where WARN and UNKNOWN lower it. The lowered value is handed out once, to the record, so a
        WARN on one resource never filters the check out for the next.
        """
        shown: Severity | None = getattr(self._local, "severity", None)
        if shown is None:
            return self._severity
        self._local.severity = None
        return shown

    @severity.setter
    def severity(self, value: Severity | None) -> None:
        self._severity = value

    @property
    def details(self) -> list[str]:
        details = getattr(self._local, "details", None)
        if details is None:
            details = self._local.details = []
        return details

    @details.setter
    def details(self, value: list[str]) -> None:
        self._local.details = value

    def run(
        self,
        scanned_file: str,
        entity_configuration: dict[str, Any],
        entity_name: str,
        entity_type: str,
        skip_info: _SkippedCheck,
    ) -> _CheckResult:
        self._local.severity = None
        self._local.scanned_file = scanned_file
        return super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)

    def scan_entity_conf(self, conf: dict[str, Any], entity_type: str) -> CheckResult:
        """Skip checkov's value preprocessing: pullpath reads the input itself, not ``conf``."""
        self.entity_type = entity_type
        return self.scan_resource_conf(conf)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        try:
            shown = self._outcome(conf)
        except Exception as error:  # a raising check vanishes from checkov's report: say so instead
            shown = verdicts.unjudged(self.rule, verdicts.internal_error(error))
        if shown is None:
            return CheckResult.UNKNOWN  # checkov shows no row: pullpath has nothing under this rule here
        self.details = list(shown.details)
        self._local.severity = Severities[shown.severity]
        return CheckResult.PASSED if shown.passed else CheckResult.FAILED

    def _outcome(self, conf: dict[str, Any]) -> verdicts.Outcome | None:
        address = _first(conf.get("__address__"))
        plan_file = _first(conf.get("__file__"))
        if not address and not plan_file:
            return None  # checkov's terraform_json framework: it gives a check neither address nor file
        if not isinstance(address, str) or not address:
            raise LookupError("checkov gave no resource address")
        judgement = self._judgement(conf, address, plan_file)
        if judgement.error is not None:
            return verdicts.unjudged(self.rule, judgement.error)
        return verdicts.outcome(self.rule, address, judgement.lookup(address, self.rule.id))

    def _judgement(self, conf: dict[str, Any], address: str, plan_file: Any) -> Judgement:
        graph, scanned_file = self.graph, self._local.scanned_file
        if plan_file:  # the plan runner's path of the plan JSON
            return plan_judgement(plan_file)
        if "__start_line__" not in conf:  # HCL blocks always carry it; a plan loaded by json.loads does not
            return untracked_plan_judgement(graph, address, scanned_file)
        return source_judgement(
            graph, address, scanned_file, conf.get("__start_line__"), conf.get("__end_line__")
        )


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def register(rules: Iterable[Rule]) -> tuple[PullpathCheck, ...]:
    """One check per rule over the types its metadata names; creating a check registers it with checkov."""
    return tuple(PullpathCheck(rule, rule.checkov_types) for rule in rules)
