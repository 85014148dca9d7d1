// A paper page shows its BibTeX; its RIS and CSL-JSON are fetched from their citation files
// (the ones the download links save) when a reader opens them, so that every paper page does
// not carry three copies of its citation. The text goes in as text, never as markup.
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

  function init() {
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
