"""Write the generated pages into the built site, each inside its theme shell.

A `PageWriter` lives as long as the plugin. For `catalogue serve` that is the whole session
(`incremental`): a rebuild after one edit renders only the pages whose inputs changed (a
paper's entry, tag names, citation key, related papers, theme shell; a list's papers), writes
only files whose bytes changed, and removes the pages of deleted entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.render import urls
from generator.render.exports import citation_files
from generator.site.page_shell import PageShells
from generator.progress import Stage
from generator.render.pages import PageRenderer
from generator.render.page import GeneratedPage, RenderSettings
from generator.model.paper import Paper


@dataclass
class PageWriter:
    """Writes generated pages; when `incremental`, remembers them for the next build."""

    incremental: bool = False
    """Keep pages between builds into the same folder (serve); a one-off build has no next."""
    _kept: dict[str, tuple[tuple[object, ...], list[tuple[Path, bytes, bytes]]]] = field(
        default_factory=dict
    )
    """Pages by source path (when `incremental`): what each was made from, and its files (the
    page, and a paper's citation files) as file, bytes and their digest."""
    _on_disk: dict[Path, bytes] = field(default_factory=dict)
    """Digest of every file written by the last build."""
    reused: int = 0
    """Pages of the last build taken from memory instead of rendered."""
    unchanged: int = 0
    """Files of the last build left alone because their bytes were already on disk."""

    def write(
        self,
        renderer: PageRenderer,
        shells: PageShells,
        site_dir: Path,
        skip: tuple[str, ...],
        stage: Stage,
    ) -> list[str]:
        """Write every generated page except `skip` (built by MkDocs); return their URLs."""
        settings = renderer.settings
        written: list[str] = []
        self.reused = self.unchanged = 0
        previous, self._on_disk = self._on_disk, {}
        for page in renderer.list_pages():
            if page.uri in skip:
                continue
            # `page` first: the renderer gives the last build's page back when it is unchanged.
            files = self._files(
                page.uri,
                partial(self._list_inputs, shells, page),
                partial(self._list_files, shells, page, site_dir, settings),
            )
            self._write_files(files, previous)
            written.append(urls.page_url(page.uri, settings.use_directory_urls))
            stage.advance()
        catalogue = renderer.catalogue
        for paper in catalogue.papers:
            uri = urls.paper_uri(paper.slug)
            # `paper` first: serve reuses the Paper object of an unchanged entry.
            files = self._files(
                uri,
                partial(self._paper_inputs, renderer, shells, paper, site_dir),
                partial(self._paper_files, renderer, shells, paper, site_dir),
            )
            self._write_files(files, previous)
            written.append(urls.page_url(uri, settings.use_directory_urls))
            stage.advance()
        for gone in previous.keys() - self._on_disk.keys():
            gone.unlink(missing_ok=True)  # the page of a deleted entry
        for site_path, data in shells.shared_files().items():
            shared = site_dir / site_path
            if not shared.is_file() or shared.read_bytes() != data:
                shared.parent.mkdir(parents=True, exist_ok=True)
                shared.write_bytes(data)
        return written

    def _files(
        self,
        uri: str,
        made_from: Callable[[], tuple[object, ...]],
        make: Callable[[], list[tuple[Path, str]]],
    ) -> list[tuple[Path, bytes, bytes]]:
        """The files of the page `uri` (file, bytes, digest): made by `make`, or, when
        serving, kept from the last build if `made_from` gives what it gave then (its first
        item the same object, the others equal). A one-off build keeps nothing."""
        if not self.incremental:
            return [(path, text.encode("utf-8", "xmlcharrefreplace"), b"") for path, text in make()]
        inputs = made_from()
        kept = self._kept.get(uri)
        if kept is not None and kept[0][0] is inputs[0] and kept[0][1:] == inputs[1:]:
            self.reused += 1
            return kept[1]
        files = []
        for path, text in make():
            data = text.encode("utf-8", "xmlcharrefreplace")
            files.append((path, data, _digest(data)))
        self._kept[uri] = (inputs, files)
        return files

    @staticmethod
    def _list_inputs(shells: PageShells, page: GeneratedPage) -> tuple[object, ...]:
        """What a list page in its shell is made from."""
        return (page, shells.fingerprint(page.uri, False))

    @staticmethod
    def _list_files(
        shells: PageShells, page: GeneratedPage, site_dir: Path, settings: RenderSettings
    ) -> list[tuple[Path, str]]:
        """A list page in its theme shell."""
        target = site_dir / urls.page_file(page.uri, settings.use_directory_urls)
        return [(target, shells.render(page, None))]

    @staticmethod
    def _paper_inputs(
        renderer: PageRenderer, shells: PageShells, paper: Paper, site_dir: Path
    ) -> tuple[object, ...]:
        """What a paper's page and citation files are made from."""
        catalogue = renderer.catalogue
        uri = urls.paper_uri(paper.slug)
        return (
            paper,
            tuple(catalogue.vocabulary[t].name for t in paper.entry.tags),
            shells.fingerprint(uri, renderer.settings.edit_url_base is not None),
            site_dir,
            catalogue.citation_keys[paper.slug],
            # The related papers, and each one's entry (its title is shown).
            tuple((r, catalogue.paper(r.slug)) for r in catalogue.related[paper.slug]),
            # Which authors have a page to link to (they do from their second paper on).
            tuple(renderer.has_page(catalogue.authors.author(n)) for n in paper.entry.authors),
        )

    @staticmethod
    def _paper_files(
        renderer: PageRenderer, shells: PageShells, paper: Paper, site_dir: Path
    ) -> list[tuple[Path, str]]:
        """A paper's page in its theme shell and its citation files."""
        settings = renderer.settings
        page = renderer.paper_page(paper)
        edit_url = f"{settings.edit_url_base}{page.edit_source}" if settings.edit_url_base else None
        files = [
            (site_dir / urls.page_file(page.uri, settings.use_directory_urls),
             shells.render(page, edit_url))
        ]  # fmt: skip
        cited = citation_files(paper.slug, renderer.cited.of(renderer.catalogue, paper))
        return files + [(site_dir / path, text) for path, text in cited.items()]

    def _write_files(
        self, files: list[tuple[Path, bytes, bytes]], previous: dict[Path, bytes]
    ) -> None:
        """Write each file; when serving, leave alone those the last build wrote the same."""
        for target, data, digest in files:
            if self.incremental:
                self._on_disk[target] = digest
                if previous.get(target) == digest:
                    # Written by the last build into this same folder, which serve keeps.
                    self.unchanged += 1
                    continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _digest(html: bytes) -> bytes:
    return hashlib.blake2b(html, digest_size=16).digest()
