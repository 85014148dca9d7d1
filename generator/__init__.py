"""The paper catalogue's generator: YAML entries in, MkDocs pages out.

The pipeline, one module per stage: `load` -> `validate` -> `enrich` -> `render`; MkDocs writes
the site through `plugin`. `pipeline.load_catalogue` runs the checking stages in order.
"""

from generator.enrich.catalogue import Catalogue, TagIndex, build_catalogue
from generator.model.entry import Entry
from generator.model.problems import CatalogueError, Problem
from generator.model.vocabulary import Tag, Vocabulary, load_vocabulary
from generator.pipeline import CatalogueSources, generate_pages, load_catalogue
from generator.read.entries import LoadedEntry, load_entries
from generator.read.validate import Paper, validate_entries
from generator.render.pages import RenderSettings, render_pages

__all__ = [
    "Catalogue",
    "CatalogueError",
    "CatalogueSources",
    "Entry",
    "LoadedEntry",
    "Paper",
    "Problem",
    "RenderSettings",
    "Tag",
    "TagIndex",
    "Vocabulary",
    "build_catalogue",
    "generate_pages",
    "load_catalogue",
    "load_entries",
    "load_vocabulary",
    "render_pages",
    "validate_entries",
]
