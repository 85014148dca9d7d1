"""Each escaping helper, read back by the parser of its context, gives exactly the text.

Every property parses the helper's output with the real reader of that context (html.parser,
ElementTree, json, Python-Markdown with the site's extensions, MkDocs' front-matter reader,
the csv module) and compares with the input; the export formats are also run through the
output scanner with hostile text that carries its marker.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.model import escaping
from tests.hostile.output_scan import MARKER, scan_bytes
from tests.hostile.page_text import read_page
from tests.parsed_output import (
    decoded,
    naive_csv_cells,
    parse_bibtex,
    starts_a_formula,
    undefuse,
)
from tests.test_render_properties import TOKENS

texts = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.characters(exclude_categories=["Cs"])), max_size=40
).map("".join)
"""Any text, leaning on the characters that matter to some syntax. No lone surrogates: the
entry model refuses them (tests/hostile: "lone-surrogate"), and they cannot be written."""
marked = texts.map(lambda text: f"{text}{MARKER}")

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_SPACE = re.compile("[ \t\n\r\f\v\u2028\u2029]+")
_C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    return _LINE_SPACE.sub(" ", _C0_C1.sub("", text)).strip()


@given(texts)
@example('"><img src=x onerror=alert(1)>')
def test_html_text_is_exact_in_content_and_attributes(text: str) -> None:
    value = escaping.html_text(text)
    page = read_page(f"<div title=\"{value}\" data-x='{value}'>{value}</div>", "div")
    region = page.regions[0]
    assert region.elements == []
    assert "".join(region.text) == text
    assert region.attrs["title"] == region.attrs["data-x"] == text


@given(texts)
@example("]]><x/>\x00\ufffe\r\n")
def test_xml_text_is_exact_in_content_and_attributes(text: str) -> None:
    value = escaping.xml_text(text)
    root = ElementTree.fromstring(f'<r a="{value}">{value}</r>')
    expected = _XML_INVALID.sub("\ufffd", text)
    assert list(root) == []
    assert (root.text or "") == expected
    assert root.attrib["a"] == expected


@given(st.dictionaries(st.sampled_from(["title", "description"]), texts.filter(lambda t: (
    not re.search("[\ud800-\udfff]", t)
))))  # fmt: skip
@example({"title": "---\nhide: [toc]\n---", "description": "!ENV HOME"})
def test_yaml_document_reads_back_as_the_same_mapping(values: dict[str, str]) -> None:
    body, meta = get_data(f"---\n{escaping.yaml_document(values)}---\n\nbody")
    assert meta == values
    assert body.strip() == "body"


# Three parsers and a TeX decoder per example: slower than Hypothesis' default deadline.
@settings(deadline=None)
@given(marked)
@example(f"}}, {MARKER} = {{x \\input{{/etc/passwd}} @misc{{{MARKER},")
@example(f"{{ {MARKER} ^^5c \\csname")
def test_tex_text_in_a_bibtex_value_is_one_literal_field(text: str) -> None:
    value = escaping.bibtex_value(" ".join(escaping.tex_text(text).split()))
    entry = f"@misc{{{escaping.bibtex_key('a b/c')},\n  title = {value},\n}}\n"
    (parsed,) = parse_bibtex(entry)
    assert parsed.key == "abc" and set(parsed.raw) == {"title"}
    assert decoded(parsed.fields["title"]) == " ".join(_one_line(text).split())
    assert scan_bytes("papers.bib", entry.encode()) == []


@example("x \\} y")
@example("{")
@given(texts)
def test_bibtex_value_refuses_what_bibtex_would_read_as_structure(tex: str) -> None:
    depth, balanced = 0, True
    for ch in tex:
        depth += (ch == "{") - (ch == "}")
        balanced = balanced and depth >= 0
    if balanced and depth == 0 and "\n" not in tex and "\r" not in tex:
        assert escaping.bibtex_value(tex) == "{" + tex + "}"
    else:
        with pytest.raises(ValueError):
            escaping.bibtex_value(tex)


@given(st.lists(texts, max_size=4), texts)
@example(["</script><script>alert(1)</script>", "<!--<script>", "\u2028\u2029\x00"], "</SCRIPT")
def test_json_for_script_stays_in_its_element_and_reads_back(values: list[str], key: str) -> None:
    data = {key: values, "after": "end"}
    element = f'<script type="application/json">{escaping.json_for_script(data)}</script><p>'
    # html.parser ends a script's content where a browser does: at the first `</script`.
    page = read_page(f"<div>{element}</p></div>", "div")
    assert page.regions[0].elements == ["script", "p"]
    assert json.loads("".join(page.regions[0].text)) == data
    assert not re.search("[<>&\u2028\u2029]", escaping.json_for_script(data))


@given(marked)
@example(f"x\nER  - {MARKER}\nTY  - {MARKER}")
def test_ris_value_stays_on_its_line(text: str) -> None:
    value = escaping.ris_value(text)
    assert "\n" not in value and "\r" not in value
    assert value == _one_line(text)
    record = f"TY  - JOUR\nAB  - {value}\nER  - \n"
    assert scan_bytes("papers.ris", record.encode()) == []


@given(marked)
@example(f'=HYPERLINK("https://x.y/{MARKER}")')
@example(f"@SUM(1) {MARKER}")
@example(f"a;=1+1 {MARKER}\t-2 | +3\n@x '=y")
def test_csv_cell_starts_no_formula_in_any_locale_and_reads_back(text: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerow([escaping.csv_cell(text), "x"])
    ((cell, _),) = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert undefuse(cell) == text
    for separator in (",", ";", "\t", "|"):
        cells = naive_csv_cells(buffer.getvalue(), separator)
        assert [c for c in cells if starts_a_formula(c)] == []
    assert scan_bytes("papers.csv", buffer.getvalue().encode()) == []


def test_every_helper_is_what_some_output_is_written_with() -> None:
    # The docs say every output goes through this module: a helper nothing calls (or hands
    # to Jinja as a filter) would be a promise no output keeps.
    generator = Path(escaping.__file__).resolve().parent.parent
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in generator.rglob("*.py")
        if path.name != "escaping.py"
    )
    public = [
        name
        for name, value in vars(escaping).items()
        if inspect.isfunction(value) and value.__module__ == escaping.__name__
        and not name.startswith("_")
    ]  # fmt: skip
    assert len(public) >= 10
    used = [name for name in public if re.search(rf"^(?!from ).*\b{name}\b", sources, re.M)]
    assert used == public
