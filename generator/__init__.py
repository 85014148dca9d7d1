"""The paper catalogue's generator: YAML entries in, MkDocs pages out.

The pipeline, one module per stage: `load` -> `validate` -> `enrich` -> `render`; MkDocs writes
the site through `plugin`. `pipeline.load_catalogue` runs the checking stages in order.
"""

from .enrich import Catalogue, TagIndex, build_catalogue
from .errors import CatalogueError, Problem
from .load import LoadedEntry, load_entries
from .model import Entry
from .pipeline import CatalogueSources, generate_pages, load_catalogue
from .render import RenderSettings, render_pages
from .validate import Paper, validate_entries
from .vocabulary import Tag, Vocabulary, load_vocabulary

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
