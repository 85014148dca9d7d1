"""The GitHub workflows, checked offline: schema (check-jsonschema), audit (zizmor), our rules.

The rules checked by parsing the YAML are the ones that keep a stranger's pull request from
touching anything: read-only tokens, no secrets, `pull_request` only, actions pinned by full
commit SHA, no `${{ ... }}` expression inside a `run:` script.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

BIN = Path(sys.executable).parent
WORKFLOWS = ("pull-request.yml", "deploy.yml")
PINNED_USES_RE = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})\s+# v\d+\.\d+\.\d+$"
)


def workflow_dir(repo_root: Path) -> Path:
    return repo_root / ".github" / "workflows"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def rule_violations(path: Path) -> list[str]:
    """Our rules for one workflow file; an empty list means it keeps them all."""
    text = path.read_text(encoding="utf-8")
    workflow = load(path)
    problems = []
    triggers = workflow["on"] if isinstance(workflow["on"], dict) else {workflow["on"]: None}
    if "pull_request_target" in triggers or "workflow_run" in triggers:
        problems.append("runs with write access on events a fork can trigger")
    if "secrets." in text or "secrets:" in text:
        problems.append("uses secrets")
    for line in text.splitlines():
        if re.match(r"^\s*(?:-\s+)?uses:", line) and not PINNED_USES_RE.match(line):
            problems.append(f"action not pinned by full SHA with a '# vX.Y.Z' comment: {line}")
    for step in steps(workflow):
        if "${{" in str(step.get("run", "")):
            problems.append(f"expression inside run: {step['run']!r}; pass it through env:")
    top = workflow.get("permissions")
    if top not in ({}, {"contents": "read"}):
        problems.append(f"workflow-level permissions are not read-only: {top}")
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        if writes and (writes != {"pages", "id-token"} or "pull_request" in triggers):
            problems.append(f"job {name} may write {sorted(writes)}")
        if any(s.get("uses", "").startswith("actions/checkout@") for s in job.get("steps", [])):
            checkout = next(
                s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")
            )
            if checkout.get("with", {}).get("persist-credentials") is not False:
                problems.append(f"job {name} leaves the token in .git/config")
    return problems


# --- real tools -----------------------------------------------------------------------------


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_workflows_match_githubs_schema(repo_root: Path) -> None:
    files = [str(workflow_dir(repo_root) / name) for name in WORKFLOWS]
    result = run_tool(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-issue-forms", ".github/ISSUE_TEMPLATE/suggest-paper.yml"),
        ("vendor.github-issue-config", ".github/ISSUE_TEMPLATE/config.yml"),
        ("vendor.dependabot", ".github/dependabot.yml"),
    ],
)
def test_other_github_files_match_their_schemas(repo_root: Path, schema: str, path: str) -> None:
    result = run_tool(
        str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(repo_root / path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor_findings(directory: Path, persona: str = "pedantic") -> list[dict[str, Any]]:
    result = run_tool(
        str(BIN / "zizmor"), "--offline", "--no-progress", "--persona", persona,
        "--format", "json", str(directory),
    )  # fmt: skip
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr
    findings = json.loads(result.stdout)
    assert isinstance(findings, list)
    return findings


@pytest.mark.slow
def test_zizmor_finds_nothing_even_when_pedantic(repo_root: Path) -> None:
    # Every audit runs, the pedantic persona included; none is silenced in the files.
    findings = zizmor_findings(repo_root / ".github")
    assert findings == [], json.dumps(findings, indent=2)
    assert "zizmor: ignore" not in "".join(
        p.read_text(encoding="utf-8") for p in (repo_root / ".github").rglob("*.yml")
    )


@pytest.mark.slow
def test_the_audit_and_the_rules_catch_an_injection_and_an_unpinned_action(
    repo_root: Path, tmp_path: Path
) -> None:
    # The checks above could only pass vacuously if they could not fail: show that they do.
    target = tmp_path / ".github" / "workflows"
    shutil.copytree(workflow_dir(repo_root), target)
    workflow = target / "pull-request.yml"
    text = workflow.read_text(encoding="utf-8")
    text = text.replace(
        "        run: make check\n",
        '        run: echo "Checking ${{ github.event.pull_request.title }}" && make check\n',
    )
    text = text.replace(
        "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2",
        "actions/checkout@v6",
        1,
    )
    text = text.replace("on:\n  pull_request:\n", "on:\n  pull_request_target:\n")
    workflow.write_text(text, encoding="utf-8")

    audits = {finding["ident"] for finding in zizmor_findings(tmp_path / ".github")}
    assert {"template-injection", "unpinned-uses", "dangerous-triggers"} <= audits

    problems = "\n".join(rule_violations(workflow))
    assert "expression inside run" in problems
    assert "action not pinned by full SHA" in problems
    assert "runs with write access on events a fork can trigger" in problems


# --- our rules, by parsing the YAML ---------------------------------------------------------


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_keeps_the_rules(repo_root: Path, name: str) -> None:
    assert rule_violations(workflow_dir(repo_root) / name) == []


def test_pull_requests_get_read_only_checks_and_a_preview(repo_root: Path) -> None:
    workflow = load(workflow_dir(repo_root) / "pull-request.yml")
    assert workflow["on"] == {"pull_request": None}
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    runs = [step.get("run") for step in steps(workflow)]
    # The same commands a person runs; `make check` includes `catalogue check`.
    assert {"make check", "make site", "make test"} <= set(runs)
    upload = next(
        s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert upload["with"]["path"] == "site/"
    assert upload["with"]["name"] == "site-preview"
    assert workflow["concurrency"]["cancel-in-progress"] is True


def test_main_is_built_and_deployed_to_pages(repo_root: Path) -> None:
    workflow = load(workflow_dir(repo_root) / "deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    build_uses = [s.get("uses", "") for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build_uses)
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert {"make check", "make site"} <= {s.get("run") for s in build["steps"]}


def test_dependencies_are_cached_by_their_lock_file(repo_root: Path) -> None:
    for name in WORKFLOWS:
        workflow = load(workflow_dir(repo_root) / name)
        for job in workflow["jobs"].values():
            setups = [
                s
                for s in job.get("steps", [])
                if s.get("uses", "").startswith("actions/setup-python@")
            ]
            for setup in setups:
                assert setup["with"]["cache"] == "pip"
                assert setup["with"]["cache-dependency-path"] == "requirements/dev.txt"
                assert (repo_root / setup["with"]["cache-dependency-path"]).is_file()


def test_makefile_targets_used_by_ci_exist(repo_root: Path) -> None:
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    for target in ("check", "site", "test", "schema"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
