"""Generated pages land only on plain paths inside the site, and redirects follow the URL style."""

from __future__ import annotations

import pytest

from generator import Entry, Paper, RenderSettings, build_catalogue, load_vocabulary
from generator.render.pages import render_pages
from generator.render.urls import check_generated_path
from tests.test_render_properties import ROOT


@pytest.mark.parametrize(
    "uri",
    ["index.md", "papers/index.md", "papers/h2o.md", "tags/kv-cache.md", "papers/a/index.html"],
)
def test_plain_paths_are_accepted(uri: str) -> None:
    assert check_generated_path(uri) == uri


@pytest.mark.parametrize(
    "uri",
    ["", "../x.md", "papers/../../x.md", "/etc/x.md", "papers//x.md", "papers/a b.md",
     "papers/x\n.md", "papers/.hidden.md", "papers/x.md/..", "papers\\x.md", "papers/X.md",
     "papers/x.py", "papers/\uff58.md"],
)  # fmt: skip
def test_paths_that_could_leave_the_site_are_refused(uri: str) -> None:
    with pytest.raises(ValueError, match="refusing to generate"):
        check_generated_path(uri)


@pytest.mark.parametrize(
    ("use_directory_urls", "redirect", "target"),
    [(True, "papers/old/index.html", "../new/"), (False, "papers/old.html", "new.html")],
)
def test_redirect_pages_follow_the_url_style(
    use_directory_urls: bool, redirect: str, target: str
) -> None:
    vocabulary, _ = load_vocabulary(ROOT / "tags.yaml", "tags.yaml")
    assert vocabulary is not None
    entry = Entry.model_validate(
        {"title": "New <b>", "abstract": "A", "tags": ["llm"], "former_slugs": ["old"]}
    )
    catalogue = build_catalogue([Paper("new", "papers/new.yaml", entry, {})], vocabulary)
    settings = RenderSettings(use_directory_urls=use_directory_urls, site_url="https://x.org/c/")
    page = render_pages(catalogue, settings)[redirect]
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert f'<a href="{target}">New &lt;b&gt;</a>' in page
    canonical = (
        "https://x.org/c/papers/new/" if use_directory_urls else "https://x.org/c/papers/new.html"
    )
    assert f'<link rel="canonical" href="{canonical}">' in page
