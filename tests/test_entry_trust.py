# ruff: noqa: RUF001, RUF003 - look-alike letters from other scripts are what is tested here
"""What cannot be true is refused, each with one exact `file:line: field: message`.

Dates beyond the build day, arXiv ids that cannot exist, one paper under two spellings or a
look-alike title, text that shows nothing, invisible characters and direction marks in names
and links, impossible hosts and ports, explicit YAML tags, and the wording that says how to
fix a file PyYAML cannot read. The build day is fixed through `CATALOGUE_TODAY`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import CatalogueError, CatalogueSources, load_catalogue
from tests.test_entry_errors import PARTNER, VOCABULARY, entry, problems_for

TODAY = "2026-12-03"


@pytest.fixture(autouse=True)
def fixed_build_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOGUE_TODAY", TODAY)


def accepted(tmp_path: Path, files: dict[str, str | bytes]) -> CatalogueSources:
    """Write the catalogue and require it to load without a problem."""
    (tmp_path / "tags.yaml").write_text(VOCABULARY, encoding="utf-8")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "partner.yaml").write_text(PARTNER, encoding="utf-8")
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (papers / name).write_bytes(data)
    sources = CatalogueSources(tmp_path)
    load_catalogue(sources)
    return sources


ADVICE = "one paper gets one entry (edit that file instead)"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Dates beyond the build day.
        (
            entry(added="'2026-12-05'"),
            "papers/x.yaml:4: added: '2026-12-05' is after today (2026-12-03); `added` is the "
            "day the entry joined the catalogue",
        ),
        (
            entry(date="'9999-12-31'"),
            "papers/x.yaml:4: date: '9999-12-31' is more than a year after today (2026-12-03); "
            "give the date the paper was published",
        ),
        (
            entry(date="'2028'"),
            "papers/x.yaml:4: date: '2028' is more than a year after today (2026-12-03); "
            "give the date the paper was published",
        ),
        # arXiv ids that cannot exist.
        (
            entry(arxiv="'2513.12345'"),
            "papers/x.yaml:4: arxiv: '2513.12345' cannot exist: 13 is not a month (the digits "
            "are YYMM.number)",
        ),
        (
            entry(arxiv="'0000.0000'"),
            "papers/x.yaml:4: arxiv: '0000.0000' cannot exist: 00 is not a month (the digits "
            "are YYMM.number)",
        ),
        (
            entry(arxiv="'0612.0001'"),
            "papers/x.yaml:4: arxiv: '0612.0001' cannot exist: identifiers of this form start in "
            "April 2007 (0704); older papers have identifiers like 'hep-th/9901001'",
        ),
        (
            entry(arxiv="'1501.00000'"),
            "papers/x.yaml:4: arxiv: '1501.00000' cannot exist: the number after the dot starts "
            "at 00001",
        ),
        (
            entry(arxiv="'2701.00001'"),
            "papers/x.yaml:4: arxiv: '2701.00001' would be a paper of January 2027, which has "
            "not begun (today is 2026-12-03); check the identifier",
        ),
        (
            entry(arxiv="'2312.11514v0'"),
            "papers/x.yaml:4: arxiv: '2312.11514v0' is not an arXiv identifier; write it like "
            "'2312.11514', 'hep-th/9901001' or 'math.AG/0101001'",
        ),
        (
            entry(arxiv="'a-/0000000'"),
            "papers/x.yaml:4: arxiv: 'a-/0000000' is not an arXiv identifier; write it like "
            "'2312.11514', 'hep-th/9901001' or 'math.AG/0101001'",
        ),
        (
            entry(arxiv="'stat/0101001'"),
            "papers/x.yaml:4: arxiv: 'stat/0101001' cannot exist: 'stat' is not one of arXiv's "
            "archives with identifiers of this form (hep-th, math, cs, cond-mat, astro-ph, ...)",
        ),
        (
            entry(arxiv="'math.XY/0101001'"),
            "papers/x.yaml:4: arxiv: 'math.XY/0101001' cannot exist: math has no subject class "
            "'XY'",
        ),
        (
            entry(arxiv="'hep-th/9107001'"),
            "papers/x.yaml:4: arxiv: 'hep-th/9107001' cannot exist: hep-th gave identifiers of "
            "this form from August 1991 to March 2007",
        ),
        (
            entry(arxiv="'hep-th/9901000'"),
            "papers/x.yaml:4: arxiv: 'hep-th/9901000' cannot exist: the number after the month "
            "starts at 001",
        ),
        # Text that shows nothing, and invisible characters in one-line fields.
        (
            entry(title='"\\u3164"'),
            "papers/x.yaml:1: title: shows nothing: it holds only invisible characters such as "
            "U+3164 (HANGUL FILLER); write the text itself",
        ),
        (
            entry(title='"\\u200b \\u2800 \\u115f\\u1160\\uffa0"'),
            "papers/x.yaml:1: title: shows nothing: it holds only invisible characters such as "
            "U+200B (ZERO WIDTH SPACE); write the text itself",
        ),
        (
            entry(authors='["\\u034f\\ufe0f"]'),
            "papers/x.yaml:4: authors[0]: shows nothing: it holds only invisible characters "
            "such as U+034F (COMBINING GRAPHEME JOINER); write the text itself",
        ),
        (
            entry(venue='"\\u180e"'),
            "papers/x.yaml:4: venue: shows nothing: it holds only invisible characters such as "
            "U+180E (MONGOLIAN VOWEL SEPARATOR); write the text itself",
        ),
        (
            entry(abstract='"\\u200b\\n\\u2060"'),
            "papers/x.yaml:2: abstract: shows nothing: it holds only invisible characters such "
            "as U+200B (ZERO WIDTH SPACE); write the text itself",
        ),
        (
            entry(authors='["Yann Le\\u200bCun"]'),
            "papers/x.yaml:4: authors[0]: contains the invisible character U+200B (ZERO WIDTH "
            "SPACE) at position 8; remove it",
        ),
        (
            entry(authors='["Yann\\u3164LeCun"]'),
            "papers/x.yaml:4: authors[0]: contains the invisible character U+3164 (HANGUL "
            "FILLER) at position 5; remove it",
        ),
        (
            entry(title='"Attention Is All You Need\\u00ad"'),
            "papers/x.yaml:1: title: contains the invisible character U+00AD (SOFT HYPHEN) at "
            "position 26; remove it",
        ),
        (
            entry(title='"A\\U000e0041 title"'),
            "papers/x.yaml:1: title: contains the invisible or control character U+E0041 (TAG "
            "LATIN CAPITAL LETTER A) at position 2; remove it",
        ),
        (
            entry(abstract='"Hidden \\U000e0069\\U000e0067 text."'),
            "papers/x.yaml:2: abstract: contains the invisible or control character U+E0069 (TAG "
            "LATIN SMALL LETTER I) at position 8; remove it",
        ),
        # Direction marks: not in one-line fields, not in links.
        (
            entry(title='"ab\\u200fc"'),
            "papers/x.yaml:1: title: contains the direction mark U+200F (RIGHT-TO-LEFT MARK) at "
            "position 3; remove it",
        ),
        (
            entry(venue='"ACL\\u200e"'),
            "papers/x.yaml:4: venue: contains the direction mark U+200E (LEFT-TO-RIGHT MARK) at "
            "position 4; remove it",
        ),
        (
            entry(links='{code: "https://example.org/\\u061cx"}'),
            "papers/x.yaml:4: links.code: contains the invisible or unprintable character U+061C "
            "(ARABIC LETTER MARK) at position 21; remove it (a link must go where it reads)",
        ),
        # Links: a real public host, a real port, no user name.
        (
            entry(links="{code: 'https://./'}"),
            "papers/x.yaml:4: links.code: 'https://./' has no host name after https://",
        ),
        (
            entry(links="{code: 'https://-/'}"),
            "papers/x.yaml:4: links.code: 'https://-/' has a host '-' that is not a public name "
            "(it has no dot)",
        ),
        (
            entry(links="{code: 'https://a..example/'}"),
            "papers/x.yaml:4: links.code: 'https://a..example/' has an impossible host name "
            "'a..example': Empty Label",
        ),
        (
            entry(links="{code: 'https://-x.example/'}"),
            "papers/x.yaml:4: links.code: 'https://-x.example/' has an impossible host name "
            "'-x.example': Label must not start or end with a hyphen",
        ),
        (
            entry(links="{code: 'https://example.org:0/'}"),
            "papers/x.yaml:4: links.code: 'https://example.org:0/' has an impossible port; a "
            "port is a number from 1 to 65535",
        ),
        (
            entry(links="{code: 'https://example.org:65536/'}"),
            "papers/x.yaml:4: links.code: 'https://example.org:65536/' has an impossible port; a "
            "port is a number from 1 to 65535",
        ),
        (
            entry(links="{code: 'https://user:pw@example.org/'}"),
            "papers/x.yaml:4: links.code: 'https://user:pw@example.org/' has a user name or "
            "password before the host (`name@`); link to the page itself",
        ),
        (
            entry(links="{code: 'http://127.0.0.1:8000/'}"),
            "papers/x.yaml:4: links.code: 'http://127.0.0.1:8000/' points at 127.0.0.1, which "
            "is not a public address (a reader's own machine or network); link to a public page",
        ),
        (
            entry(links="{code: 'http://dev.localhost:8000/'}"),
            "papers/x.yaml:4: links.code: 'http://dev.localhost:8000/' has a host "
            "'dev.localhost' that names a reader's own machine or network ('localhost' names "
            "never point to a public site); link to a public page",
        ),
        (
            entry(links="{code: 'http://a.\uff4c\uff4f\uff43\uff41\uff4c/'}"),
            "papers/x.yaml:4: links.code: 'http://a.\uff4c\uff4f\uff43\uff41\uff4c/' has a "
            "host 'a.\uff4c\uff4f\uff43\uff41\uff4c' that names a reader's own machine or "
            "network ('local' names never point to a public site); link to a public page",
        ),
        (
            entry(links="{code: 'https://nas.home.arpa./'}"),
            "papers/x.yaml:4: links.code: 'https://nas.home.arpa./' has a host 'nas.home.arpa.' "
            "that names a reader's own machine or network ('home.arpa' names never point to a "
            "public site); link to a public page",
        ),
        (
            entry(links="{code: 'https://[fd00::1]/'}"),
            "papers/x.yaml:4: links.code: 'https://[fd00::1]/' points at fd00::1, which is not "
            "a public address (a reader's own machine or network); link to a public page",
        ),
        (
            entry(links="{code: 'https://0x7f.1/'}"),
            "papers/x.yaml:4: links.code: 'https://0x7f.1/' has a host '0x7f.1' that is neither "
            "a name nor an IPv4 address like 192.0.2.1",
        ),
        (
            entry(links="{code: 'https://p\u0430ypal.com/'}"),
            "papers/x.yaml:4: links.code: 'https://p\u0430ypal.com/' has a host name label "
            "'p\u0430ypal' that mixes writing systems, as look-alike addresses do; write the "
            "address as the site itself spells it",
        ),
        # Explicit YAML tags, even those the safe loader knows.
        (
            entry(title="!!str A paper"),
            "papers/x.yaml:1: title: the YAML tag '!!str' is not allowed; remove it (an entry "
            "holds only plain text, lists and `field: value` lines)",
        ),
        (
            entry(links="!!map {code: 'https://example.org/'}"),
            "papers/x.yaml:4: links: the YAML tag '!!map' is not allowed; remove it (an entry "
            "holds only plain text, lists and `field: value` lines)",
        ),
        (
            entry(tags="[!custom quantization, llm]"),
            "papers/x.yaml:3: tags[0]: the YAML tag '!custom' is not allowed; remove it (an "
            "entry holds only plain text, lists and `field: value` lines)",
        ),
        (
            "--- !!map\n" + entry(),
            "papers/x.yaml:1: file: the YAML tag '!!map' is not allowed; remove it (an entry "
            "holds only plain text, lists and `field: value` lines)",
        ),
        # Messages a contributor can act on.
        (
            entry(abstact="'Typo'", abstract="DROP"),
            "papers/x.yaml:3: abstact: is not a field of an entry (did you mean 'abstract'?)",
        ),
        (
            entry(title="LLM in a Flash: Efficient Inference"),
            "papers/x.yaml:1: file: is not valid YAML: mapping values are not allowed here; a "
            "value that contains `: ` must be quoted, like title: 'LLM in a Flash: Efficient "
            "Inference' (a ' inside it is written '')",
        ),
        (
            "title: A paper\nauthors:\n\t- Ada\nabstract: Text.\ntags: [llm]\n",
            "papers/x.yaml:3: file: is not valid YAML: found character '\\t' that cannot start "
            "any token; YAML is indented with spaces; replace the tab at the start of the line",
        ),
        (
            "title: 'A paper\nabstract: Text.\ntags: [llm]\n",
            "papers/x.yaml:1: file: is not valid YAML: found unexpected end of stream; the "
            "quote that starts here is never closed; end the value with the same quote",
        ),
        (
            entry(title='"Lone \\ud83d half"'),
            "papers/x.yaml:1: title: contains a lone surrogate (an escape like \\ud800 without "
            "its pair), which is not text; remove it, or write the character itself",
        ),
    ],
)
def test_what_cannot_be_true_is_refused_with_an_exact_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    problems = problems_for(tmp_path, {"x.yaml": content})
    assert expected in problems, problems


def test_every_problem_is_reported_and_nothing_else(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {"x.yaml": entry(added="'2030-01-01'", arxiv="'2513.12345'", authors='["A\\u200bB"]')},
    )
    assert [p.split(":")[2].strip() for p in problems] == ["added", "arxiv", "authors[0]"]


@pytest.mark.parametrize(
    "fields",
    [
        {"added": "'2026-12-04'"},  # a contributor's calendar may be one day ahead of UTC
        {"date": "'2027-12'"},  # a conference within the year: its first day is in the horizon
        {"arxiv": "'2612.00001'"},  # this month's papers exist
        {"arxiv": "'0704.0001'"},
        {"arxiv": "'1412.9999'"},
        {"arxiv": "'hep-th/9108001v3'"},
        {"arxiv": "'physics.optics/0612001'"},
        {"arxiv": "'cond-mat.mes-hall/0703999'"},
        {"title": '"\\U0001f680 Rockets \\u2764\\ufe0f and \\U0001f469\\u200d\\U0001f4bb"'},
        {"title": "'می\u200cخواهم: a Persian title with a joiner'"},
        {"authors": "['क्\u200dष Devanagari joiner after a virama']"},
        {"title": "'نموذج لغوي Case'"},
        {"abstract": '"Direction \\u200f marks stay in an abstract, as soft hy\\u00adphens do."'},
        {"links": "{code: 'https://bücher.example/x', pdf: 'https://[2606:4700::1111]/'}"},
        {"links": "{code: 'https://example.org:8443/x', data: 'https://8.8.8.8/'}"},
        {"links": "{code: 'https://local.example/x', data: 'https://localhost.example/'}"},
    ],
)
def test_what_can_be_true_is_accepted(tmp_path: Path, fields: dict[str, str]) -> None:
    accepted(tmp_path, {"x.yaml": entry(**fields)})


def test_an_escaped_surrogate_pair_is_the_character_it_encodes(tmp_path: Path) -> None:
    # PyYAML decodes "\ud83d" and "\ude00" one at a time; as in JSON, the pair is one emoji.
    sources = accepted(tmp_path, {"x.yaml": entry(title='"\\ud83d\\ude00 Emoji paper"')})
    assert load_catalogue(sources).paper("x").entry.title == "\U0001f600 Emoji paper"


def test_old_style_spellings_of_one_paper_are_one_paper(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {
            "a.yaml": entry(title="First", arxiv="'math/0101001'"),
            "b.yaml": entry(title="Second", arxiv="'math.AG/0101001v2'"),
            "c.yaml": entry(title="Third", arxiv="'math.GT/0101001'"),
        },
    )
    assert problems == [
        f"papers/b.yaml:4: arxiv: same arXiv id as papers/a.yaml (written 'math/0101001' "
        f"there); {ADVICE}",
        f"papers/c.yaml:4: arxiv: same arXiv id as papers/a.yaml (written 'math/0101001' "
        f"there); {ADVICE}",
    ]


def test_a_title_with_one_letter_from_another_script_is_the_same_paper(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        {
            "a.yaml": entry(title="'Attention Is All You Need'"),
            "b.yaml": entry(title="'Attention Is All You Nееd'"),  # two Cyrillic e
            "c.yaml": entry(title="'ATTENTION is all you need!'"),
        },
    )
    assert problems == [
        "papers/b.yaml:1: title: looks the same as the title of papers/a.yaml but is written "
        f"with other characters: U+0435 (CYRILLIC SMALL LETTER IE); {ADVICE}",
        f"papers/c.yaml:1: title: same title as papers/a.yaml; {ADVICE}",
    ]


def test_ascii_titles_that_differ_are_different_papers(tmp_path: Path) -> None:
    # UTS #39 alone would make "modern" and "modem" one word (rn looks like m); two ASCII
    # spellings are two real words, so only letters from other scripts are compared by look.
    accepted(
        tmp_path,
        {
            "a.yaml": entry(title="'Modern attention for 1 GPU'"),
            "b.yaml": entry(title="'Modem attention for l GPU'"),
        },
    )


def test_one_author_in_look_alike_spellings_is_refused(tmp_path: Path) -> None:
    # "Yann LeCun" three times, looking identical: the spelling most entries use is kept.
    problems = problems_for(
        tmp_path,
        {
            "a.yaml": entry(title="A", authors="[Yann LeCun]"),
            "b.yaml": entry(title="B", authors="[Ada Lovelace, Yann LeCun]"),
            "c.yaml": entry(title="C", authors="[Ada Lovelace, Yann LеCun]"),  # Cyrillic е
            "d.yaml": entry(title="D", authors="['YANN LECUN', 'Yann LeCun']"),
        },
    )
    assert problems == [
        "papers/c.yaml:4: authors[1]: 'Yann LеCun' looks the same as 'Yann LeCun' in "
        "papers/a.yaml but is written with other characters: U+0435 (CYRILLIC SMALL LETTER "
        "IE); write it as there, or it becomes a second author nobody can tell apart",
    ]


def test_look_alike_authors_are_found_within_one_entry_and_on_their_own_lines(
    tmp_path: Path,
) -> None:
    problems = problems_for(
        tmp_path,
        {"a.yaml": "title: A\nabstract: T\nauthors:\n  - Ivan Petrov\n  - Ivаn Petrov\n"
                   "tags: [llm, quantization]\n"},
    )  # fmt: skip
    assert problems == [
        "papers/a.yaml:5: authors[1]: 'Ivаn Petrov' looks the same as 'Ivan Petrov' in "
        "papers/a.yaml but is written with other characters: U+0430 (CYRILLIC SMALL LETTER "
        "A); write it as there, or it becomes a second author nobody can tell apart",
    ]


def test_a_wrong_build_day_is_one_clear_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATALOGUE_TODAY", "tomorrow")
    with pytest.raises(CatalogueError) as caught:
        accepted(tmp_path, {})
    assert [str(p) for p in caught.value.problems] == [
        "$CATALOGUE_TODAY:1: environment: 'tomorrow' is not a day like 2026-12-03"
    ]


# --- tags.yaml and authors.yaml, as strictly as entries ----------------------------------------


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        (
            "    aliases: [q\u200bant]\n",
            "tags.yaml:11: tags[1].aliases[0]: may contain only lowercase letters, digits and "
            "hyphens",
        ),
        (
            "    aliases: ['quant\\x1b[2J']\n",
            "tags.yaml:11: tags[1].aliases[0]: may contain only lowercase letters, digits and "
            "hyphens",
        ),
        (
            "    aliases: [quantization]\n",
            "tags.yaml:11: tags[1].aliases[0]: 'quantization' is the id of another tag; an "
            "alias names one tag only",
        ),
        (
            "    aliases: [quantisation]\n",
            "tags.yaml:11: tags[1].aliases[0]: 'quantisation' is already an alias of "
            "'quantization'; an alias names one tag only",
        ),
        (
            "    aliases: [llms, llms]\n",
            "tags.yaml:11: tags[1].aliases[1]: 'llms' is given twice; keep one",
        ),
        (
            "    aliases: [llm]\n",
            "tags.yaml:11: tags[1].aliases[0]: 'llm' is this tag's id; remove the alias",
        ),
        (
            "    aliases: [" + ", ".join(f"a{i}" for i in range(21)) + "]\n",
            "tags.yaml:11: tags[1].aliases: has too many items (at most 20)",
        ),
        (
            "    alias: [llms]\n",
            "tags.yaml:11: tags[1].alias: is not a field of a tag (did you mean 'aliases'?)",
        ),
        (
            "  - id: quantization\n    name: Again\n    kind: method\n    description: D.\n",
            "tags.yaml:11: tags[2].id: 'quantization' is already the id of the tag on line 2; "
            "give each tag its own id",
        ),
        (
            '  - id: other\n    name: "\\u3164"\n    kind: method\n    description: D.\n',
            "tags.yaml:12: tags[2].name: shows nothing: it holds only invisible characters such "
            "as U+3164 (HANGUL FILLER); write the text itself",
        ),
        (
            "  - id: other\n    name: '\u00a0 '\n    kind: method\n    description: D.\n",
            "tags.yaml:12: tags[2].name: is empty; give a value or remove the line",
        ),
        (
            '  - id: other\n    name: Other\n    kind: method\n    description: "D\\u200e."\n',
            "tags.yaml:14: tags[2].description: contains the direction mark U+200E "
            "(LEFT-TO-RIGHT MARK) at position 2; remove it",
        ),
    ],
)
def test_tags_yaml_is_checked_as_strictly_as_entries(
    tmp_path: Path, addition: str, expected: str
) -> None:
    problems = problems_for(tmp_path, {}, VOCABULARY + addition)
    assert expected in problems, problems


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (
            '  - name: "Yann Le\\u200bCun"\n    spellings: [Y. LeCun]\n',
            "authors.yaml:2: people[0].name: contains the invisible character U+200B (ZERO "
            "WIDTH SPACE) at position 8; remove it",
        ),
        (
            '  - name: Yann LeCun\n    spellings: ["\\u2800"]\n',
            "authors.yaml:3: people[0].spellings[0]: shows nothing: it holds only invisible "
            "characters such as U+2800 (BRAILLE PATTERN BLANK); write the text itself",
        ),
        (
            "  - name: Yann LeCun\n    spelling: [Y. LeCun]\n",
            "authors.yaml:3: people[0].spelling: is not a field of a person (did you mean "
            "'spellings'?)",
        ),
        (
            "  - name: Yann LeCun\n    spellings: !!seq [Y. LeCun]\n",
            "authors.yaml:3: people[0].spellings: the YAML tag '!!seq' is not allowed; remove it "
            "(an entry holds only plain text, lists and `field: value` lines)",
        ),
    ],
)
def test_authors_yaml_is_checked_as_strictly_as_entries(
    tmp_path: Path, people: str, expected: str
) -> None:
    (tmp_path / "authors.yaml").write_text("people:\n" + people, encoding="utf-8")
    problems = problems_for(tmp_path, {"x.yaml": entry(authors="[Y. LeCun]")})
    assert expected in problems, problems
