"""The page left at a renamed entry's former address: a small complete HTML file
(`papers/<former-slug>/index.html`) that MkDocs copies as it is, sending readers and search
engines on to the paper."""

from __future__ import annotations

from generator.model import text
from generator.model.paper import Paper
from generator.render import urls
from generator.render.context import RenderContext
from generator.render.page import render_template


def redirect_pages(ctx: RenderContext) -> dict[str, str]:
    """The redirect page of each former slug, by its file under the docs folder."""
    use_directory_urls = ctx.settings.use_directory_urls
    return {
        urls.redirect_uri(former, use_directory_urls): redirect_page(ctx, paper, former)
        for paper in ctx.catalogue.papers
        for former in paper.entry.former_slugs
    }


def redirect_page(ctx: RenderContext, paper: Paper, former_slug: str) -> str:
    """A page at a paper's former address that sends readers (and search engines) on."""
    settings = ctx.settings
    use_directory_urls = settings.use_directory_urls
    target = ctx.href(urls.paper_uri(former_slug), urls.paper_uri(paper.slug))
    canonical = target
    if settings.site_url:
        page = urls.page_url(urls.paper_uri(paper.slug), use_directory_urls)
        canonical = settings.site_url.rstrip("/") + "/" + page
    # Without an icon of its own, the browser asks for /favicon.ico while redirecting.
    redirect_url = urls.page_url(urls.paper_uri(former_slug), use_directory_urls)
    favicon = settings.favicon
    if favicon:
        favicon = urls.relative_to_page(redirect_url, favicon)
    return render_template(
        "redirect.html.j2",
        title=text.to_plain(paper.entry.title),
        site_name=settings.site_name,
        target=target,
        canonical=canonical,
        favicon=favicon,
    )
