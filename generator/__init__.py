"""The paper catalogue's generator: YAML entries in, MkDocs pages out.

One folder per stage, in the order the pipeline runs them: `read` (load and validate the
entries) -> `enrich` -> `render` -> `site` (write, index, publish); `model` holds the types
every stage shares, `serve` what only `catalogue serve` keeps, `authoring` the tools that
write entry files. `pipeline.load_catalogue` runs the checking stages in order; `plugin` runs
the rest inside MkDocs; `cli` is the `catalogue` command. Imports only point down this list
(`tests/test_layers.py`).
"""

from generator.enrich.catalogue import Catalogue, TagIndex, build_catalogue
from generator.model.entry import Entry
from generator.model.paper import Paper
from generator.model.problems import CatalogueError, Problem
from generator.model.vocabulary import Tag, Vocabulary
from generator.pipeline import CatalogueSources, generate_pages, load_catalogue
from generator.read.entries import LoadedEntry, load_entries
from generator.read.validate import validate_entries
from generator.read.vocabulary_file import load_vocabulary
from generator.render.page import RenderSettings
from generator.render.pages import render_pages

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
