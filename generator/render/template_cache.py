"""Compiled templates kept between builds, so that a build does not compile them again.

Jinja turns every template into Python code the first time an environment loads it, and each
`mkdocs build` (and each rebuild of `catalogue serve`, which makes a new theme environment)
starts from nothing: Material's templates and ours were compiled anew by every build, a large
share of a small catalogue's build. Jinja's own bytecode cache keeps the compiled code on disk,
in the user's cache folder, in a folder only this user may write in, and takes it only while
the template's source is unchanged (a checksum of the source is stored beside the code).

Jinja keys a compiled template by its name and file alone, yet the code also depends on how the
environment reads templates (its extensions, block delimiters, whitespace options). Each kind
of environment therefore gets a folder of its own: two environments that read the same file
differently never take each other's code.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2

from generator.private_cache import private_folder

CACHE_FOLDER = Path("paper-catalogue") / "templates"
"""Under the user's cache folder (`$XDG_CACHE_HOME`, or `~/.cache`): kept between builds, and
out of the temporary folder, which `catalogue serve` leaves as it found it."""


def use_compiled_template_cache(env: jinja2.Environment) -> jinja2.Environment:
    """`env`, keeping its compiled templates between builds (unless it already has a cache).
    Returns `env` unchanged when no private cache folder can be had."""
    if env.bytecode_cache is not None:
        return env
    # Compiled code is run as it is found: a folder someone else could change is not used.
    folder = private_folder(CACHE_FOLDER / _reading_of(env))
    if folder is not None:
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(os.fspath(folder))
    return env


def _reading_of(env: jinja2.Environment) -> str:
    """A name for how `env` turns a template's source into code (not what it renders with)."""
    autoescape = env.autoescape
    reading = (
        sorted(env.extensions),
        env.block_start_string, env.block_end_string,
        env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.is_async,
        autoescape if isinstance(autoescape, bool) else _callable_of(autoescape),
        type(env).__qualname__, jinja2.__version__,
    )  # fmt: skip
    return hashlib.sha256(repr(reading).encode("utf-8")).hexdigest()[:16]


def _callable_of(function: object) -> str:
    """A callable option (`select_autoescape` makes one) by its name and what it closes over."""
    cells = getattr(function, "__closure__", None) or ()
    return repr((getattr(function, "__qualname__", "?"), [cell.cell_contents for cell in cells]))
