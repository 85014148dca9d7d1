"""Write the generated pages into the built site, each inside its theme shell.

A `PageWriter` lives as long as the plugin. For `catalogue serve` that is the whole session
(`incremental`): a rebuild after one edit re-renders only the paper pages whose paper, tag
names or theme shell changed, writes only files whose bytes changed, and removes the pages
of deleted entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .exports import citation_files
from .page_shell import ICON_SPRITE, PageShells
from .progress import Stage
from .render import GeneratedPage, PageRenderer
from .validate import Paper


@dataclass
class PageWriter:
    """Writes generated pages; when `incremental`, remembers them for the next build."""

    incremental: bool = False
    """Keep pages between builds into the same folder (serve); a one-off build has no next."""
    _rendered: dict[str, tuple[tuple[object, ...], list[tuple[Path, bytes, bytes]]]] = field(
        default_factory=dict
    )
    """Paper pages by source path: what each was rendered from, and its files (the page and
    its citation files) as file, bytes and their digest."""

    _lists: dict[str, tuple[GeneratedPage, tuple[str, ...], bytes, bytes]] = field(
        default_factory=dict
    )
    """List pages by source path: the page, its shell's fingerprint, its bytes, their digest."""
    _on_disk: dict[Path, bytes] = field(default_factory=dict)
    """Digest of every file written by the last build."""
    reused: int = 0
    """Paper pages of the last build taken from memory instead of rendered."""
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
        edit_base = settings.edit_url_base
        written: list[str] = []
        self.reused = self.unchanged = 0
        previous, self._on_disk = self._on_disk, {}
        for page in renderer.list_pages():
            if page.uri in skip:
                continue
            fingerprint = shells.fingerprint(page.uri, False)
            kept = self._lists.get(page.uri)
            # `is`: the renderer gives the page of the last build back when it is unchanged.
            if kept is not None and kept[0] is page and kept[1] == fingerprint:
                html, digest = kept[2], kept[3]
            else:
                html = shells.render(page, None).encode("utf-8", "xmlcharrefreplace")
                digest = _digest(html) if self.incremental else b""
                if self.incremental:
                    self._lists[page.uri] = (page, fingerprint, html, digest)
            written.append(
                self._write(site_dir, page.uri, html, settings.use_directory_urls, previous, digest)
            )
            stage.advance()
        catalogue = renderer.catalogue
        for paper in catalogue.papers:
            uri = urls.paper_uri(paper.slug)
            key = (
                paper,
                tuple(catalogue.vocabulary[t].name for t in paper.entry.tags),
                shells.fingerprint(uri, edit_base is not None),
                site_dir,
                catalogue.citation_keys[paper.slug],
                # The related papers, and each one's entry (its title is shown).
                tuple((r, catalogue.paper(r.slug)) for r in catalogue.related[paper.slug]),
            )
            cached = self._rendered.get(uri)
            # `is` for the paper: serve reuses the Paper object of an unchanged entry.
            if cached is not None and cached[0][0] is paper and cached[0][1:] == key[1:]:
                files = cached[1]
                self.reused += 1
            else:
                files = self._paper_files(renderer, shells, paper, site_dir)
                if self.incremental:
                    self._rendered[uri] = (key, files)
            for target, data, digest in files:
                self._write_file(target, data, previous, digest)
            written.append(urls.page_url(uri, settings.use_directory_urls))
            stage.advance()
        for gone in previous.keys() - self._on_disk.keys():
            gone.unlink(missing_ok=True)  # the page of a deleted entry
        sprite = site_dir / ICON_SPRITE
        data = shells.icon_sprite().encode("utf-8")
        if not sprite.is_file() or sprite.read_bytes() != data:
            sprite.parent.mkdir(parents=True, exist_ok=True)
            sprite.write_bytes(data)
        return written

    def _paper_files(
        self, renderer: PageRenderer, shells: PageShells, paper: Paper, site_dir: Path
    ) -> list[tuple[Path, bytes, bytes]]:
        """A paper's page in its theme shell and its citation files: (file, bytes, digest)."""
        edit_base = renderer.settings.edit_url_base
        page = renderer.paper_page(paper)
        edit_url = f"{edit_base}{page.edit_source}" if edit_base else None
        html = shells.render(page, edit_url).encode("utf-8", "xmlcharrefreplace")
        files = [(urls.page_file(page.uri, renderer.settings.use_directory_urls), html)]
        texts = renderer.cited.of(renderer.catalogue, paper)
        files += [
            (path, t.encode("utf-8")) for path, t in citation_files(paper.slug, texts).items()
        ]
        return [
            (site_dir / path, data, _digest(data) if self.incremental else b"")
            for path, data in files
        ]

    def _write(
        self,
        site_dir: Path,
        uri: str,
        html: bytes,
        directory_urls: bool,
        previous: dict[Path, bytes],
        digest: bytes = b"",
    ) -> str:
        self._write_file(site_dir / urls.page_file(uri, directory_urls), html, previous, digest)
        return urls.page_url(uri, directory_urls)

    def _write_file(
        self, target: Path, data: bytes, previous: dict[Path, bytes], digest: bytes = b""
    ) -> None:
        if self.incremental:
            digest = digest or _digest(data)
            self._on_disk[target] = digest
            if previous.get(target) == digest:
                # Written by the last build into this same folder, which serve keeps.
                self.unchanged += 1
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _digest(html: bytes) -> bytes:
    return hashlib.blake2b(html, digest_size=16).digest()
