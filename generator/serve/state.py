"""Everything `catalogue serve` keeps from one rebuild to the next, in one object.

A contributor's edit changes one entry file, and the site must show it within seconds at any
catalogue size (issue 5). So a serve session keeps, from the rebuild before: each file's
parse and check, the catalogue itself when no file changed (`LoadCaches`); each paper's list
entry and citations (`RenderMemory`); each page it wrote and what it showed
(`WrittenPages`); the whole-catalogue downloads; the map's layout (`KeptMap`); the related
papers and the search index, both recomputed in the background (`LatestJob`); and a heap
whose survivors are frozen. Every
kept value is reused only while it was made from the same objects and inputs (`model.kept`).

A one-off build (`catalogue build`) has no `ServeState`: each of its stages starts empty.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from generator.enrich.catalogue import Catalogue
from generator.model.kept import Kept
from generator.pipeline import CatalogueSources, LoadCaches, load_catalogue
from generator.progress import BuildProgress
from generator.render.context import RenderMemory
from generator.render.exports import export_plans
from generator.render.pages import PageRenderer
from generator.serve.background_related import BackgroundRelated
from generator.serve.heap import FrozenHeap
from generator.serve.kept_map import KeptMap
from generator.site.search_index import BackgroundIndex
from generator.site.theme_internals import quiet_dirty_build_warning
from generator.site.write_pages import WrittenPages


class ServeState:
    """What a `catalogue serve` session keeps; made when serving starts, closed when it ends."""

    def __init__(self, *, in_place: bool = True) -> None:
        self.loading = LoadCaches()
        self.rendering = RenderMemory.for_serving()
        self.pages = WrittenPages(in_place)
        """The pages written by the last rebuild; `in_place`: the site folder is kept
        between rebuilds (serve's `--dirty`, which `catalogue serve` passes)."""
        self.exports: dict[str, Kept[str | bytes]] = {}
        """The last whole-catalogue downloads by path, each made from its papers, their
        citation keys, the vocabulary and settings."""
        self.related = BackgroundRelated()
        self.map = KeptMap()
        self.search = BackgroundIndex()
        self.heap = FrozenHeap()
        self._until_closed = ExitStack()
        if in_place:
            # MkDocs warns before every dirty build; the plugin says once what it means here.
            self._until_closed.enter_context(quiet_dirty_build_warning())

    @property
    def in_place(self) -> bool:
        return self.pages.in_place

    def load(self, sources: CatalogueSources, progress: BuildProgress) -> Catalogue:
        """The catalogue of this rebuild, with the related papers it can show now."""
        catalogue = load_catalogue(sources, progress, self.loading)
        catalogue.use_related(self.related.related(catalogue.papers, catalogue.vocabulary))
        catalogue.use_map(self.map.map_for(catalogue))  # after the related papers it uses
        self.search.site_changes()  # what is being indexed is about to be rewritten
        return catalogue

    def export_files(self, renderer: PageRenderer) -> dict[str, str | bytes]:
        """The whole-catalogue downloads: each as the last rebuild made it when its papers
        are the same (unchanged entries keep their `Paper`) with the same citation keys,
        and neither the tag vocabulary nor a setting changed. An edit remakes the downloads
        of all papers and those of the edited paper's tags, not every tag's."""
        catalogue, settings = renderer.catalogue, renderer.settings
        keys, made_with = catalogue.citation_keys, (catalogue.vocabulary, settings)
        files: dict[str, str | bytes] = {}
        kept: dict[str, Kept[str | bytes]] = {}
        addresses, name = settings.addresses, settings.site_name
        for plan in export_plans(catalogue, addresses, name, renderer.cited):
            papers = tuple(plan.papers)
            inputs = (made_with, [keys[p.slug] for p in papers])
            found = self.exports.get(plan.path)
            if found is None or not found.made_from(papers, inputs):
                found = Kept(papers, inputs, plan.make())
            kept[plan.path] = found
            files[plan.path] = found.value
        self.exports = kept
        return files

    def refresh_search_index(self, site_dir: Path, bundle_pages: int) -> bool:
        """Put the last search index in place and start building the next one, when there is
        a last one (False: this first build must index the site itself, then `keep` it)."""
        self.search.bundle_pages = bundle_pages
        if not self.search.has_index:
            return False
        self.search.refresh(site_dir)
        return True

    def after_build(self) -> None:
        """The rebuild is done: start its background work, freeze what it leaves behind."""
        self.related.start()
        self.heap.after_build()

    def close(self) -> None:
        """Stop the background work and remove its files (the server is stopping)."""
        self.search.close()
        self.related.close()
        self._until_closed.close()
