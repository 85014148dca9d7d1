"""A generated file (a download, the map's data) that lets go of its bytes once written.

MkDocs keeps every file of a build in its `Files` until the build ends, and a file made with
`File.generated(content=...)` keeps its content with it. The whole-catalogue downloads grow
with the catalogue, and MkDocs writes them before it builds any page: holding them afterwards
only adds to the build's memory while it writes the generated pages and while Pagefind's
indexer runs beside it. Once written, such a file is backed by its copy in the site instead.
"""

from __future__ import annotations

from mkdocs.structure.files import File


class GeneratedFile(File):
    """`File.generated(config, path, content=...)` whose content is dropped once MkDocs has
    copied it into the site; asked for again, the content is read from there."""

    def copy_file(self, dirty: bool = False) -> None:
        super().copy_file(dirty)
        if self._content is not None:
            # `_content` is MkDocs' own field of `File.generated`; set to None, the file is
            # read from `abs_src_path` as a file of the docs folder is.
            self.abs_src_path = self.abs_dest_path
            self._content = None

    @property
    def holds_content(self) -> bool:
        """Whether the content is still in memory (not yet written)."""
        return self._content is not None
