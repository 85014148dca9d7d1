"""`catalogue`: the friendly front door (check, add, enrich, check-links, schema, build, serve,
import, generate)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import signal
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

import click
from pydantic import TypeAdapter, ValidationError

from generator.authoring import add as add_entries
from generator.authoring import enrich as enrich_entries
from generator.authoring import link_check
from generator.authoring.added_dates import stamp_added
from generator.authoring.arxiv_answers import ARXIV_PAUSE, AnswerStore, PoliteArxiv
from generator.authoring.arxiv_source import ArxivError
from generator.authoring.entry_edit import EntryFile, read_entry_files
from generator.authoring.entry_files import dump_entry, slug_for_title, write_entry
from generator.authoring.seed_import import parse_daily_papers
from generator.authoring.suggest import suggest_tags
from generator.authoring.upkeep_report import enrich_markdown, links_markdown
from generator.model.annotations import github_annotation
from generator.model.entry import Day
from generator.model.json_schema import SCHEMA_FILE, render_entry_schema
from generator.model.problems import CatalogueError, Problem
from generator.pipeline import CatalogueSources, generate_pages, load_catalogue
from generator.read.entries import check_slug
from generator.read.vocabulary_file import load_vocabulary
from generator.render.page import RenderSettings

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The catalogue repository (holding mkdocs.yml, papers/ and tags.yaml).",
)


DISTRIBUTION = "paper-catalogue"
"""The package's name in pyproject.toml: where `catalogue --version` reads its version."""


def version_line() -> str:
    """The catalogue's version and what builds the site, as a bug report needs them."""
    names = (DISTRIBUTION, "mkdocs", "mkdocs-material")
    versions = {name: metadata.version(name) for name in names}
    return (
        f"catalogue {versions[DISTRIBUTION]} (MkDocs {versions['mkdocs']}, "
        f"Material for MkDocs {versions['mkdocs-material']}, Python {platform.python_version()})"
    )


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_line())
        ctx.exit()


@click.group()
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
    help="Show the catalogue's version (and MkDocs', Material's, Python's) and exit.",
)  # fmt: skip
def main() -> None:
    """Build, check and grow the paper catalogue."""


@main.command()
@ROOT_OPTION
@click.option(
    "--format", "output_format", type=click.Choice(["text", "github"]), default=None,
    help="`github`: GitHub Actions annotations on the pull request's diff. "
    "Default: github when GITHUB_ACTIONS=true, else text.",
)  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(root: Path, output_format: str | None, paths: tuple[Path, ...]) -> None:
    """Validate every entry and the tag vocabulary; print every problem, exit 1 if any.

    With PATHS (as pre-commit passes changed files), the whole catalogue is still checked, since
    duplicates and tag use involve every entry, but only problems about those files are shown.
    """
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    sources = CatalogueSources(root.resolve())
    try:
        catalogue = load_catalogue(sources)
    except CatalogueError as exc:
        shown = _problems_about(exc.problems, sources, paths)
        if not shown:
            click.echo(
                f"No problems in the {len(paths)} given file(s); the catalogue has "
                f"{len(exc.problems)} elsewhere (run `catalogue check` to see them)."
            )
            return
        if output_format == "github":
            # The runner turns these stdout lines into annotations on the pull request's diff.
            for problem in shown:
                click.echo(github_annotation(problem))
        # The plain report always goes to stderr too: what a person reads in the log.
        click.echo(CatalogueError(shown).report(), err=True)
        sys.exit(1)
    count, tags = len(catalogue.papers), len(catalogue.used_tags)
    click.echo(f"{count} entries and {tags} tags: no problems found.")


def _problems_about(
    problems: list[Problem], sources: CatalogueSources, paths: tuple[Path, ...]
) -> list[Problem]:
    """The problems in `paths`, or naming one of them; all of them for no paths or tags.yaml."""
    if not paths:
        return problems
    wanted = set()
    for path in paths:
        absolute = (Path.cwd() / path).resolve()
        try:
            wanted.add(absolute.relative_to(sources.root).as_posix())
        except ValueError:
            wanted.add(path.as_posix())
    if sources.vocabulary_file in wanted:  # a vocabulary change can break any entry
        return problems
    return [p for p in problems if p.path in wanted or any(w in p.message for w in wanted)]


@main.command()
@ROOT_OPTION
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--tag", "tags", multiple=True, metavar="ID",
    help="Tag id from tags.yaml for every added paper (repeat for several); replaces the "
    "suggested tags.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Print the entries instead of writing them.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
    help="Seconds to wait for the arXiv API.",
)  # fmt: skip
def add(root: Path, sources: tuple[str, ...], tags: tuple[str, ...], dry_run: bool,
        timeout: float) -> None:  # fmt: skip
    """Create entry files from arXiv ids or URLs, or from BibTeX (a .bib file, an @entry, or -).

    \b
    Examples:
      catalogue add 2312.11514
      catalogue add https://arxiv.org/abs/2306.14048v3 --tag kv-cache --tag llm
      catalogue add references.bib
      pbpaste | catalogue add -

    Title, authors, abstract, date and links come from the source and nothing is invented;
    tags are suggested from the title and abstract. A paper already in the catalogue (same
    arXiv id in any version, or same title) is refused. Nothing is written unless every paper
    can be added.
    """
    catalogue = CatalogueSources(root.resolve())
    vocabulary, problems = load_vocabulary(catalogue.vocabulary_path, catalogue.vocabulary_file)
    if vocabulary is None:
        raise click.ClickException("\n".join(str(p) for p in problems))
    stdin_text = sys.stdin.read() if "-" in sources else None
    inputs = add_entries.read_inputs(sources, stdin_text)
    index = add_entries.CatalogueIndex.read(catalogue)
    problems = add_entries.check_tags(tags, vocabulary) + add_entries.drop_known_ids(inputs, index)
    if problems or inputs.problems:
        _fail(problems + inputs.problems)
    try:
        candidates, problems = add_entries.gather_candidates(inputs, timeout=timeout)
    except ArxivError as exc:
        raise click.ClickException(f"{exc}. Nothing was written.") from None
    planned, plan_problems = add_entries.plan_entries(
        candidates, index, vocabulary, list(tags), dt.date.today()
    )
    problems += plan_problems
    if problems:
        _fail(problems)
    if dry_run:
        for entry in planned:
            click.echo(f"# {catalogue.papers_dir}/{entry.slug}.yaml (from {entry.origin})")
            click.echo(dump_entry(entry.fields))
        click.echo(
            f"Dry run: {len(planned)} entr{'y' if len(planned) == 1 else 'ies'} not written."
        )
        return
    written = add_entries.write_planned(catalogue, planned)
    mine, elsewhere = add_entries.check_written(catalogue, written)
    if mine:
        add_entries.remove(written)
        _fail(mine)
    _report_added(catalogue, planned, elsewhere)


def _fail(problems: list[Problem]) -> None:
    lines = [str(p) for p in problems]
    lines.append(f"{len(problems)} problem(s); nothing was written.")
    raise click.ClickException("\n".join(lines))


def _report_added(
    catalogue: CatalogueSources, planned: list[add_entries.NewEntry], elsewhere: int
) -> None:
    click.echo(f"Added {len(planned)} entr{'y' if len(planned) == 1 else 'ies'}:")
    for entry in planned:
        click.echo(f"  {catalogue.papers_dir}/{entry.slug}.yaml  (from {entry.origin})")
        how = "suggested from the title and abstract" if entry.tags_suggested else "as given"
        click.echo(f"    tags {how}: {', '.join(entry.fields['tags'])}")
        for note in entry.notes:
            click.echo(f"    note: {note}")
    click.echo(
        "\nBefore you commit, open each new file and check:\n"
        "  1. tags: suggestions come from matching words, not from reading the paper; keep the\n"
        "     ones that describe what it does and what it works on (ids are in tags.yaml).\n"
        "  2. title and abstract: as the source has them; `$...$` is shown as math.\n"
        "  3. what the source does not know: `venue` once published, a `links: code:` address.\n"
        "  4. the file name (the page address): shorten it if you like, keeping .yaml.\n"
        "Then run `catalogue check` (or `make check`), `git add` the files and open a pull request."
    )
    if elsewhere:
        click.echo(
            f"\nThe new entries pass; the catalogue has {elsewhere} other problem(s): run "
            "`catalogue check`.",
            err=True,
        )


DAY = 86_400.0


@main.command()
@ROOT_OPTION
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; write nothing.")
@click.option(
    "--abstracts", is_flag=True,
    help="Also take arXiv's abstract where the entry's differs from it only by what a copy from "
    "a web page loses (the backslashes of TeX commands, `$` signs, spaces).",
)  # fmt: skip
@click.option(
    "--pause", type=click.FloatRange(min=0), default=ARXIV_PAUSE, show_default=True,
    help="Seconds between requests; arXiv asks for 3 (less only for a local server).",
)  # fmt: skip
@click.option(
    "--retries", type=click.IntRange(0, 10), default=3, show_default=True,
    help="Retries of a request that timed out or found arXiv busy, each after a longer wait.",
)  # fmt: skip
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
    help="Seconds to wait for one answer.",
)  # fmt: skip
@click.option(
    "--state", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Where arXiv's answers are kept so an interrupted run resumes "
    "[default: .cache/enrich-state.json in the catalogue].",
)  # fmt: skip
@click.option(
    "--remember-days", type=click.FloatRange(min=0), default=7.0, show_default=True,
    help="How long a kept answer is used instead of asking again (0: always ask).",
)  # fmt: skip
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also write a Markdown summary to this file (the upkeep pull request's text).",
)  # fmt: skip
def enrich(
    root: Path, paths: tuple[Path, ...], dry_run: bool, abstracts: bool, pause: float,
    retries: int, timeout: float, state: Path | None, remember_days: float, report: Path | None,
) -> None:  # fmt: skip
    """Fill `arxiv`, `authors` and `date` from arXiv into entries that lack them.

    \b
    Examples:
      catalogue enrich --dry-run
      catalogue enrich --abstracts papers/online-speculative-decoding.yaml

    An entry is looked up by its title (by its `arxiv` id if it has one), one request at a time,
    and filled only from the paper whose title is the entry's title (case, punctuation, spacing
    and TeX aside); close titles are listed for a person to decide. Nothing a person wrote is
    changed: each file gains a line per field, and is written whole or not at all. Answers are
    kept in a state file, so an interrupted run goes on where it stopped.
    """
    sources = CatalogueSources(root.resolve())
    try:
        arxiv = PoliteArxiv(pause=pause, retries=retries, timeout=timeout)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    everything = read_entry_files(sources.papers_path, sources.root)
    entries = _given_entries(sources, paths) if paths else everything
    store = AnswerStore(state or sources.root / ".cache" / "enrich-state.json", remember_days * DAY)
    result = enrich_entries.enrich_entries(
        entries, arxiv, store, abstracts=abstracts,
        known_ids=enrich_entries.known_arxiv_ids(everything),
    )  # fmt: skip
    refused: list[Problem] = []
    if dry_run:
        for plan in result.plans:
            click.echo(plan.diff(), nl=False)
            for note in plan.notes:
                click.echo(f"# note ({plan.entry.shown}): {note}")
    else:
        result.plans, refused, elsewhere = enrich_entries.write_plans(sources, result.plans)
        for plan in result.plans:
            filled = ", ".join(plan.filled)
            click.echo(f"Filled {plan.entry.shown}: {filled} (arXiv {plan.paper.arxiv_id})")
            for note in plan.notes:
                click.echo(f"  note: {note}")
        result.problems += refused
        if elsewhere:
            click.echo(f"The catalogue has {elsewhere} other problem(s): run `catalogue check`.")
    for problem in result.near_misses + result.problems:
        click.echo(str(problem))
    if report:
        report.write_text(enrich_markdown(result, written=not dry_run), encoding="utf-8")
    click.echo(_enrich_summary(result, dry_run))
    if result.stopped:
        click.echo(
            f"Stopped early: {result.stopped}\nThe answers so far are kept: run the same command "
            "again to go on.",
            err=True,
        )
    if result.stopped or refused:
        sys.exit(1)


def _given_entries(sources: CatalogueSources, paths: tuple[Path, ...]) -> list[EntryFile]:
    entries = read_entry_files(sources.papers_path, sources.root, paths)
    read = {entry.path for entry in entries}
    for path in paths:
        if path.resolve() not in read:
            click.echo(f"Skipped {path}: not a readable entry here; see `catalogue check`")
    return entries


def _enrich_summary(result: enrich_entries.EnrichResult, dry_run: bool) -> str:
    fields = Counter(name for plan in result.plans for name in plan.filled)
    filled = ", ".join(f"{name} {count}" for name, count in fields.items())
    verb = "Would fill" if dry_run else "Filled"
    return (
        f"{verb} {len(result.plans)} entries ({filled or 'nothing'}); "
        f"{len(result.near_misses)} close titles and {len(result.problems)} problems to look at; "
        f"{result.not_found} without a paper of the same title on arXiv. "
        f"Asked arXiv {result.asked} times, {result.remembered} answers kept from earlier runs."
        + (" Dry run: nothing written." if dry_run else "")
    )


@main.command("check-links")
@ROOT_OPTION
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "github"]), default=None,
    help="`github`: also GitHub Actions annotations (dead links as errors, moved and unchecked "
    "ones as warnings). Default: github when GITHUB_ACTIONS=true, else text.",
)  # fmt: skip
@click.option(
    "--cache", "cache_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Where results are kept [default: .cache/check-links.json in the catalogue].",
)  # fmt: skip
@click.option(
    "--cache-days", type=click.FloatRange(min=0), default=30.0, show_default=True,
    help="How long a link found working is not asked for again (0: ask for every link).",
)  # fmt: skip
@click.option(
    "--per-host", type=click.IntRange(1, 8), default=2, show_default=True,
    help="Requests to one host at a time.",
)  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
    help="Seconds to wait for a server to connect, and then to answer.",
)  # fmt: skip
@click.option(
    "--retries", type=click.IntRange(0, 10), default=2, show_default=True,
    help="Retries of a link that timed out, failed to connect or found its server busy.",
)  # fmt: skip
@click.option(
    "--allow-private-addresses", is_flag=True,
    help="Also ask names that resolve to loopback or private addresses (a local test server); "
    "off by default, so an entry cannot make the runner probe its own network. Links written "
    "as such addresses are refused by `catalogue check` and never asked.",
)  # fmt: skip
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also write a Markdown summary to this file (the upkeep issue's text).",
)  # fmt: skip
def check_links(
    root: Path, paths: tuple[Path, ...], output_format: str | None, cache_file: Path | None,
    cache_days: float, per_host: int, workers: int, timeout: float, retries: int,
    allow_private_addresses: bool, report: Path | None,
) -> None:  # fmt: skip
    """Check that every link of every entry still answers; exit 1 if one is dead.

    Each entry's `links`, and the arXiv page made from its `arxiv` id, are asked for over HTTP
    (HEAD, then GET if refused), following redirects, a few at a time per host. A dead link
    (404, 410, an unknown host, a broken certificate) is a problem `file:line: links.KEY: ...`;
    a permanent redirect is reported with the address to write instead; a busy or slow server
    is reported as not checked. Working links are not asked for again for --cache-days.
    """
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    sources = CatalogueSources(root.resolve())
    entries = (
        _given_entries(sources, paths)
        if paths
        else read_entry_files(sources.papers_path, sources.root)
    )
    checker = link_check.LinkChecker(
        workers=workers, per_host=per_host, timeout=timeout, retries=retries,
        allow_private=allow_private_addresses,
    )  # fmt: skip
    cache = link_check.LinkCache(
        cache_file or sources.root / ".cache" / "check-links.json", cache_days * DAY
    )
    found, _ = link_check.check_links(link_check.links_of_entries(entries), checker, cache)
    if output_format == "github":
        command = "catalogue check-links"
        for problem in found.dead:
            click.echo(github_annotation(problem, command=command))
        for problem in found.moved + found.unchecked:
            click.echo(github_annotation(problem, level="warning", command=command))
    for problem in found.dead + found.moved + found.unchecked:
        click.echo(str(problem), err=True)
    if report:
        report.write_text(links_markdown(found), encoding="utf-8")
    click.echo(
        f"{found.checked} links checked ({found.cached} from the cache): {len(found.dead)} dead, "
        f"{len(found.moved)} moved, {len(found.unchecked)} not checked this time.",
        err=True,
    )
    if found.dead:
        sys.exit(1)


@main.command()
@ROOT_OPTION
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the file is out of date.")
def schema(root: Path, check_only: bool) -> None:
    """Write the entries' JSON Schema (for editors) from the entry model and tags.yaml."""
    catalogue = CatalogueSources(root.resolve())
    vocabulary, problems = load_vocabulary(catalogue.vocabulary_path, catalogue.vocabulary_file)
    if vocabulary is None:
        raise click.ClickException("\n".join(str(p) for p in problems))
    target = catalogue.root / SCHEMA_FILE
    text = render_entry_schema(vocabulary)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check_only:
        if current != text:
            raise click.ClickException(
                f"{SCHEMA_FILE.as_posix()} is out of date with generator/model/entry.py and "
                "tags.yaml; "
                "run `make schema` (or `catalogue schema`) and commit the result"
            )
        click.echo(f"{SCHEMA_FILE.as_posix()} is up to date.")
        return
    if current == text:
        click.echo(f"{SCHEMA_FILE.as_posix()} is already up to date.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"Wrote {SCHEMA_FILE.as_posix()}.")


@main.command()
@click.option("--strict/--no-strict", default=True, show_default=True, help="Warnings fail.")
@click.option("--site-dir", type=click.Path(path_type=Path), help="Where to write the site.")
@click.option("--config-file", "-f", default="mkdocs.yml", show_default=True)
def build(strict: bool, site_dir: Path | None, config_file: str) -> None:
    """Build the site with MkDocs (the catalogue is generated during the build)."""
    args = ["build", "--config-file", config_file]
    if strict:
        args.append("--strict")
    if site_dir:
        args += ["--site-dir", str(site_dir)]
    _mkdocs(args)


@main.command()
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True)
@click.option("--config-file", "-f", default="mkdocs.yml", show_default=True)
@click.option(
    "--poll", is_flag=True,
    help="Look for changed files twice a second instead of being told by the system: for "
    "folders on a network share or shared into a virtual machine, where edits would not show.",
)  # fmt: skip
def serve(dev_addr: str, config_file: str, poll: bool) -> None:
    """Serve the site with live reload; edits to entries show on save."""
    from generator.site.theme_internals import change_events_from_the_system

    # --dirty: the site folder is kept between rebuilds and the catalogue plugin rewrites
    # only the pages that changed (a full rebuild of 10,000 papers takes too long to wait).
    # Stopped with SIGTERM (a process manager, an editor's task runner), it stops as on
    # Ctrl-C: MkDocs then removes its temporary site (hundreds of MB at 10,000 papers), and
    # the catalogue its stored search index and related papers, instead of leaving them.
    signal.signal(signal.SIGTERM, _interrupt)
    watching = contextlib.nullcontext() if poll else change_events_from_the_system()
    with watching:
        _mkdocs(["serve", "--dirty", "--config-file", config_file, "--dev-addr", dev_addr])


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _mkdocs(args: list[str]) -> None:
    from generator.site.theme_internals import run_builder

    run_builder(args, prog_name="catalogue")


@main.command()
@ROOT_OPTION
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Empty or new folder for the generated Markdown pages.",
)  # fmt: skip
def generate(root: Path, out: Path) -> None:
    """Write the generated Markdown pages to a folder (to inspect them, or for golden tests)."""
    try:
        pages = generate_pages(CatalogueSources(root.resolve()), RenderSettings())
    except CatalogueError as exc:
        click.echo(exc.report("nothing was written"), err=True)
        sys.exit(1)
    for uri, content in pages.items():
        target = out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
    click.echo(f"{len(pages)} pages written to {out}")


@main.command("import-daily-papers")
@ROOT_OPTION
@click.argument("capture", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def import_daily_papers(root: Path, capture: Path) -> None:
    """Create one entry per paper of a Hugging Face Daily Papers text capture.

    Titles and abstracts are kept exactly; tags are proposed from the text and must be
    reviewed by a person before committing. Existing entries are never overwritten.
    """
    sources = CatalogueSources(root.resolve())
    vocabulary, problems = load_vocabulary(sources.vocabulary_path, sources.vocabulary_file)
    papers, parse_problems = parse_daily_papers(capture.read_text(encoding="utf-8"), str(capture))
    problems += parse_problems
    if vocabulary is None or problems:
        raise click.ClickException("\n".join(str(p) for p in problems))
    created = skipped = 0
    for paper in papers:
        slug = slug_for_title(paper.title)
        reason = check_slug(slug)
        if reason:
            raise click.ClickException(f"{capture}:{paper.line}: title: {reason}")
        if (sources.papers_path / f"{slug}.yaml").exists():
            skipped += 1
            continue
        tags = suggest_tags(paper.title, paper.abstract, vocabulary)
        fields = {"title": paper.title, "abstract": paper.abstract, "tags": tags}
        write_entry(sources.papers_path, slug, fields)
        created += 1
    click.echo(f"{created} entries created, {skipped} already present (left unchanged).")
    click.echo("Review every entry's tags by reading its abstract, then run `catalogue check`.")


@main.command("stamp-added")
@ROOT_OPTION
@click.argument("day")
def stamp_added_command(root: Path, day: str) -> None:
    """Give every entry without `added` the day DAY (like 2026-11-29) it joined the catalogue.

    Each file gains one line and is otherwise unchanged; a file laid out by hand is left
    alone and named, so a person can add the line.
    """
    try:
        TypeAdapter(Day).validate_python(day)
    except ValidationError as exc:
        raise click.ClickException(f"{day!r} is not a day like 2026-11-29") from exc
    report = stamp_added(CatalogueSources(root.resolve()).papers_path, day)
    click.echo(f"{len(report.stamped)} entries stamped, {len(report.already_dated)} already dated.")
    for name in report.refused:
        click.echo(f"not changed (not in the standard layout, add `added:` by hand): {name}")


if __name__ == "__main__":
    main()
