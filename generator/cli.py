"""`catalogue`: the friendly front door (check, build, serve, import, generate)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .entry_files import slug_for_title, write_entry
from .errors import CatalogueError
from .load import check_slug
from .pipeline import CatalogueSources, generate_pages, load_catalogue
from .render import RenderSettings
from .seed_import import parse_daily_papers
from .suggest import suggest_tags
from .vocabulary import load_vocabulary

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The catalogue repository (holding mkdocs.yml, papers/ and tags.yaml).",
)


@click.group()
def main() -> None:
    """Build, check and grow the paper catalogue."""


@main.command()
@ROOT_OPTION
def check(root: Path) -> None:
    """Validate every entry and the tag vocabulary; print every problem, exit 1 if any."""
    try:
        catalogue = load_catalogue(CatalogueSources(root.resolve()))
    except CatalogueError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    count, tags = len(catalogue.papers), len(catalogue.used_tags)
    click.echo(f"{count} entries and {tags} tags: no problems found.")


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
def serve(dev_addr: str, config_file: str) -> None:
    """Serve the site with live reload; edits to entries show on save."""
    _mkdocs(["serve", "--config-file", config_file, "--dev-addr", dev_addr])


def _mkdocs(args: list[str]) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli

    mkdocs_cli.main(args=args, prog_name="catalogue")


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
        click.echo(exc.report(), err=True)
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


if __name__ == "__main__":
    main()
