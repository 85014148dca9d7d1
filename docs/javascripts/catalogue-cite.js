// A paper page shows its BibTeX, and its download is made here from that text (a `data:`
// address), so that no paper needs a cite.bib file beside its page. RIS and CSL-JSON are
// fetched from their citation files (the ones their download links save) when a reader opens
// them, so that every paper page does not carry three copies of its citation. The text goes
// in as text, never as markup.
(function () {
  "use strict";

  function fill(block) {
    var cite = block.closest(".catalogue-cite");
    var code = block.querySelector(".catalogue-cite__text > code");
    var link = cite && cite.querySelector(".catalogue-cite__download");
    if (!code || !link || !block.open || code.textContent || block.dataset.loading) return;
    block.dataset.loading = "true";
    fetch(link.href)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.text();
      })
      .then(function (text) {
        code.textContent = text.replace(/\r\n/g, "\n");
      })
      .catch(function () {
        code.textContent = "Could not load " + link.getAttribute("href") +
          ": use the download link above.";
      })
      .then(function () {
        delete block.dataset.loading;
      });
  }

  // A download link without an address saves the text its block shows.
  function offerShown(cite) {
    var link = cite.querySelector("a.catalogue-cite__download:not([href])");
    var code = cite.querySelector(".catalogue-cite__text > code");
    if (!link || !code) return;
    link.href = "data:text/plain;charset=utf-8," + encodeURIComponent(code.textContent);
    link.parentElement.hidden = false;
  }

  function init() {
    document.querySelectorAll(".catalogue-cite").forEach(offerShown);
    document.querySelectorAll(".catalogue-cite details.catalogue-cite__show").forEach(function (block) {
      block.addEventListener("toggle", function () {
        fill(block);
      });
      fill(block);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
