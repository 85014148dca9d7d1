// A paper page shows its BibTeX, and its download is made here from that text (a `data:`
// address). RIS and CSL-JSON are made here from the page's citation record (a JSON script
// element, `generator/render/exports/citation_record.py`), byte for byte as the generator's
// exporters write them (`exports/ris.py`, `exports/csl_json.py`; tests/browser/
// test_copy_citation.py compares them for every seed and hostile paper), and offered the same
// way. So no paper needs a citation file beside its page. Their blocks are written here too,
// like the BibTeX's, so that a page without a script carries no empty ones. Every value goes
// in as text, never as markup.
(function () {
  "use strict";

  var RIS_NEWLINE = "\r\n";
  // `escaping.ris_value`: C0 and C1 controls but tab and LF dropped; line breaks and the white
  // space around them one space; then what Python's `str.strip` strips (Python's idea of
  // white space, not JavaScript's: U+FEFF stays, U+001C-U+001F and U+0085 are gone by then).
  var RIS_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
  var RIS_BREAKS = /[ \t\n\r\f\v\u2028\u2029]+/g;
  var PY_STRIP = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

  function risValue(value) {
    return value.replace(RIS_CONTROL, "").replace(RIS_BREAKS, " ").replace(PY_STRIP, "");
  }

  // A name of the record: the name alone (a literal for CSL), [family, given] for
  // `given family`, or [family, given, name].
  function person(value) {
    if (typeof value === "string") return { name: value, csl: { literal: value } };
    var name = value.length > 2 ? value[2] : value[1] + " " + value[0];
    return { name: name, csl: { family: value[0], given: value[1] } };
  }

  function risText(record) {
    var lines = [["TY", record.type[0]], ["ID", record.id], ["TI", record.title]];
    (record.author || []).forEach(function (value) {
      lines.push(["AU", person(value).name]);
    });
    if (record.date) {
      var parts = record.date.split("-");
      lines.push(["PY", record.date.slice(0, 4)]);
      while (parts.length < 3) parts.push("");
      lines.push(["DA", parts.join("/") + "/"]);
    }
    if (record.venue) {
      if (record.type[0] === "JOUR") lines.push(["JO", record.venue]);
      lines.push(["T2", record.venue]);
    }
    if (record.arxiv) lines.push(["AN", "arXiv:" + record.arxiv]);
    if (record.url) lines.push(["UR", record.url]);
    if (record.pdf) lines.push(["L1", record.pdf]);
    record.tags.forEach(function (name) {
      lines.push(["KW", name]);
    });
    lines.push(["ER", ""]);
    return lines.map(function (line) {
      return line[0] + "  - " + risValue(line[1]) + RIS_NEWLINE;
    }).join("");
  }

  // Python's `json.dumps(value, ensure_ascii=False)`: its separators are ", " and ": ";
  // JSON.stringify escapes strings as it does (quote, backslash, C0 controls, nothing else).
  function pythonJson(value) {
    if (Array.isArray(value)) return "[" + value.map(pythonJson).join(", ") + "]";
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).map(function (key) {
        return JSON.stringify(key) + ": " + pythonJson(value[key]);
      }).join(", ") + "}";
    }
    return JSON.stringify(value);
  }

  function cslText(record) {
    var item = [["id", record.id], ["type", record.type[1]], ["title", record.title]];
    if (record.author && record.author.length) {
      item.push(["author", record.author.map(function (value) {
        return person(value).csl;
      })]);
    }
    if (record.date) {
      item.push(["issued", { "date-parts": [record.date.split("-").map(function (part) {
        return parseInt(part, 10);
      })] }]);
    }
    // A preprint has no venue (`publication_kind`), so every venue is a container title.
    if (record.venue) item.push(["container-title", record.venue]);
    if (record.arxiv) {
      item.push(["publisher", "arXiv"]);
      item.push(["number", "arXiv:" + record.arxiv]);
    }
    if (record.url) item.push(["URL", record.url]);
    item.push(["keyword", record.tags.join(", ")]);
    var fields = item.map(function (field) {
      return "    " + JSON.stringify(field[0]) + ": " + pythonJson(field[1]);
    });
    return "[\n  {\n" + fields.join(",\n") + "\n  }\n]\n";
  }

  // The formats made here, in the order of their blocks, with the words and file names the
  // BibTeX block has (`generator/render/paper_page.py`; `urls.CITATION_SUFFIXES`).
  var FORMATS = [
    { format: "ris", label: "RIS", suffix: "ris", text: risText,
      type: "application/x-research-info-systems" },
    { format: "csl-json", label: "CSL-JSON", suffix: "json", text: cslText,
      type: "application/vnd.citationstyles.csl+json" },
  ];

  function offer(link, type, text) {
    link.href = "data:" + type + ";charset=utf-8," + encodeURIComponent(text);
  }

  // The BibTeX download link has no address: it saves the text its block shows.
  function offerShown(cite) {
    var link = cite.querySelector("a.catalogue-cite__download:not([href])");
    var code = cite.querySelector(".catalogue-cite__text > code");
    if (!link || !code) return;
    offer(link, "text/plain", code.textContent);
    link.parentElement.hidden = false;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A format's block, as the BibTeX's but shown on request: its heading with the download
  // link, and its text in a `details`.
  function block(format, key, text) {
    var cite = element("div", "catalogue-cite copy");
    cite.dataset.format = format.format;
    var link = element("a", "catalogue-cite__download", "Download cite." + format.suffix);
    link.download = key + "." + format.suffix;
    offer(link, format.type, text);
    var heading = element("p", "catalogue-cite__heading");
    heading.append(element("strong", "", format.label), " · ", link);
    var pre = element("pre", "catalogue-cite__text");
    pre.append(element("code", "", text.replace(/\r\n/g, "\n")));
    var details = element("details", "catalogue-cite__show");
    details.append(element("summary", "", "Show " + format.label), pre);
    cite.append(heading, details);
    return cite;
  }

  function fromRecord(section) {
    var script = section.querySelector("script.catalogue-cite__record");
    var record;
    try {
      record = JSON.parse(script.textContent);
    } catch (error) {
      return; // no record (or not one): no other format
    }
    FORMATS.forEach(function (format) {
      section.insertBefore(block(format, record.id, format.text(record)), script);
    });
  }

  function init() {
    document.querySelectorAll(".catalogue-cite[data-format='bibtex']").forEach(offerShown);
    document.querySelectorAll(".catalogue-cite-section").forEach(fromRecord);
  }

  // Run at once: the theme loads this script at the end of the page, so the page is read, and
  // Material's script gives code blocks their copy button when the page's reading ends
  // (DOMContentLoaded), so the blocks written here must be there by then.
  init();
})();
