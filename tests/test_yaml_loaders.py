"""The fast libyaml composer must read entries exactly as the pure-Python one does."""

import pytest
import yaml

from generator.read import yaml_source
from generator.read.yaml_source import read_yaml_mapping

CASES = [
    b"title: x\narxiv: 2101.10010\ndate: 2024-05-17\nn: ~\nflag: yes\ncount: 12\n",
    b"title: 'quoted'\nabstract: |\n  two\n  lines\ntags:\n- a\n- b\nlinks:\n  code: https://e.org\n",
    b"a: 1\na: 2\n",
    b"a: &x 1\nb: *x\n",
    b"a: !!python/object 1\n",
    b"a: [\n",
    b"- just\n- a list\n",
    b"\xef\xbb\xbftitle: bom\r\nabstract: crlf\r\n",
    b'title: "lone \\ud800 surrogate"\n',  # libyaml rejects it; the pure-Python one decides
]


@pytest.mark.parametrize("raw", CASES)
def test_c_and_python_composers_agree(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yaml_source._SAFE_LOADER is yaml.CSafeLoader, "libyaml is expected in the pinned PyYAML"
    fast_doc, fast_problems = read_yaml_mapping(raw, "papers/x.yaml")
    monkeypatch.setattr(yaml_source, "_SAFE_LOADER", yaml.SafeLoader)  # pure Python only
    slow_doc, slow_problems = read_yaml_mapping(raw, "papers/x.yaml")
    assert (fast_doc is None) == (slow_doc is None)
    if fast_doc is not None and slow_doc is not None:
        assert fast_doc.data == slow_doc.data
        assert fast_doc.lines == slow_doc.lines
        assert fast_doc.resolved == slow_doc.resolved
    assert [(p.line, p.field) for p in fast_problems] == [(p.line, p.field) for p in slow_problems]
