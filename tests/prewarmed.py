"""Python commands that tests run as processes of their own, without each paying for the imports.

A build of a small catalogue spends most of its time importing MkDocs, Material's Markdown
extensions, scikit-learn and SciPy, and the suite runs dozens of builds. Each pytest worker
starts one server that imports those modules once, then forks a child per command: the child
is a separate process (its own memory, working folder, environment, standard streams and exit
status) that runs the command's module as `python -m` does, so tests still exercise the real
command line from start to end. Only the imports are shared, and nothing was built or
configured before the fork.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import runpy
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

PRELOADED = (
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.commands.serve",
    "markdown",
    "pymdownx.arithmatex",
    "pymdownx.superfences",
    "generator.plugin",
    "generator.cli",
    # Imported by the generator only where a build uses them (the map, related papers).
    "sklearn.cluster",
    "sklearn.decomposition",
    "sklearn.feature_extraction.text",
    "sklearn.manifold",
    "sklearn.preprocessing",
)
"""What every child would import anyway: the command line, the plugin and scikit-learn."""

ROOT = Path(__file__).resolve().parent.parent


def serve() -> None:
    """The server: one request per line on standard input (JSON: module, argv, cwd, env and the
    files for the child's output), one answer per line (the child's exit status)."""
    for module in PRELOADED:
        try:
            importlib.import_module(module)
        except Exception:  # the child imports it again and reports why
            continue
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(quiet, fd)
    os.close(quiet)
    for line in requests:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            requests.close()
            answers.close()
            _run_child(request)  # never returns: the child exits with the command's status
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps(os.waitstatus_to_exitcode(status)) + "\n")
        answers.flush()


def _run_child(request: Mapping[str, object]) -> None:
    stdout = os.open(str(request["stdout"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    stderr = os.open(str(request["stderr"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.close(stdout)
    os.close(stderr)
    os.chdir(str(request["cwd"]))
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[arg-type]
    sys.argv = [str(request["module"]), *request["argv"]]  # type: ignore[misc]
    sys.path[0] = os.getcwd()  # as `python -m` puts the working folder first
    code: object = 0
    try:
        runpy.run_module(str(request["module"]), run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code
    # What the interpreter does at exit (atexit handlers, flushed streams), then the status.
    sys.exit(code)


class _Server:
    """This process's server, started on first use and ended with it (its input closes)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[str] | None = None

    def run(self, module: str, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        with self.lock, tempfile.TemporaryDirectory(prefix="prewarmed-") as folder:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            request = {
                "module": module,
                "argv": list(argv),
                "cwd": str(Path.cwd()),
                "env": dict(os.environ),
                "stdout": str(out),
                "stderr": str(err),
            }
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
            assert answer, "the prewarmed server ended (see the test's captured stderr)"
            return subprocess.CompletedProcess(
                [sys.executable, "-m", module, *argv],
                json.loads(answer),
                out.read_text("utf-8", errors="replace"),
                err.read_text("utf-8", errors="replace"),
            )

    @staticmethod
    def _stop(process: subprocess.Popen[str]) -> None:
        # Its end of input ends it; waiting for it counts its CPU time, and its children's,
        # in this process's (what `time make test` reports).
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _started(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from tests.prewarmed import serve; serve()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=ROOT,
                text=True,
            )
            atexit.register(self._stop, self.process)
        return self.process


_SERVER = _Server()


def run_module(module: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """`python -m module argv...` in a process of its own (see the module's docstring), in
    this process's working folder and environment as they are now, with its output captured as
    text and whatever exit status."""
    return _SERVER.run(module, argv)
