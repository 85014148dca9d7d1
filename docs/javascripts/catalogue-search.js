// The header search: Pagefind's JS API over the site's own /pagefind/ index, shown in
// Material's header. Nothing loads until a reader focuses the box; each query then fetches
// only the index shards and result fragments it needs.
(function () {
  "use strict";
  var script = document.currentScript;
  var siteRoot = new URL("..", script ? script.src : location.href);
  var PAGE_SIZE = 10;
  // Wait this long after a key before searching: every search runs to its end in Pagefind, and
  // the prefixes typed on the way ("m", "mi", ...) match many words, so searching (or
  // preloading) each one would fetch the large index shards of short prefixes (180 KB per
  // bundle for "m" at 100,000 papers) and delay the answer to the word typed.
  var TYPING_PAUSE_MS = 100;
  var FACETS = [["tag", "Tag"], ["year", "Year"], ["venue", "Venue"]];
  // Papers are the results; a few matching pages (about, contributing) are listed apart, under
  // them. The hand-written pages carry the filter kind:page, and a rebuild marks the pages that
  // a kept bundle has as they no longer are kind:superseded (search_index_rewrite.drop_pages);
  // papers carry no kind. So a paper is a page of neither kind, and a bundle of papers alone
  // has no kind filter: Pagefind fetches no filter file of it for a first search (a kind:paper
  // on every paper listed every page of every bundle, fetched by every search).
  var PAPERS = { kind: { none: ["page", "superseded"] } };
  var PAGES_SHOWN = 3;
  // The results panel under the box. Every page would carry the same markup, useless without
  // this script, so the script adds it (constant markup: no text of a page or a result).
  var PANEL =
    '<div class="catalogue-search__panel" hidden>' +
    '<details class="catalogue-search__facets"><summary>Filters</summary>' +
    '<div class="catalogue-search__filters"></div></details>' +
    '<p class="catalogue-search__status" role="status" aria-live="polite"></p>' +
    '<ol class="catalogue-search__results"></ol>' +
    '<button type="button" class="md-button catalogue-search__more" hidden>More results</button>' +
    '<div class="catalogue-search__pages" hidden>' +
    '<p class="catalogue-search__pages-heading">Pages of this site</p>' +
    '<ul class="catalogue-search__page-results"></ul></div></div>';

  function init(root) {
    root.querySelector(".catalogue-search__dialog").insertAdjacentHTML("beforeend", PANEL);
    var input = root.querySelector(".catalogue-search__input");
    var panel = root.querySelector(".catalogue-search__panel");
    var status = root.querySelector(".catalogue-search__status");
    var list = root.querySelector(".catalogue-search__results");
    var more = root.querySelector(".catalogue-search__more");
    var facets = root.querySelector(".catalogue-search__facets");
    var filterBox = root.querySelector(".catalogue-search__filters");
    var openButton = root.querySelector(".catalogue-search__open");
    var closeButton = root.querySelector(".catalogue-search__close");
    var summary = facets.querySelector("summary");
    var pagesBox = root.querySelector(".catalogue-search__pages");
    var pagesList = root.querySelector(".catalogue-search__page-results");
    var engine = null;
    var latest = 0;
    var results = [];
    var shown = 0;
    var chosen = {};
    var years = [];

    function load() {
      if (!engine) {
        // Search on the page's own thread: Pagefind's worker (pagefind-worker.js) is a second
        // copy of its search code, 41 KB more before the first result, and a query takes
        // milliseconds, so there is no long task to move off the page.
        var options = { baseUrl: siteRoot.pathname, excerptLength: 24, noWorker: true };
        // A large catalogue's index comes in bundles (pagefind/bundles.json lists the others).
        var bundles = fetch(new URL("pagefind/bundles.json", siteRoot)).then(function (response) {
          return response.ok ? response.json() : [];
        });
        engine = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pf) {
          return pf.options(options).then(function () {
            // Fetch the index's metadata while the reader is still typing.
            return Promise.all([pf.init(), bundles]);
          }).then(function (done) {
            return Promise.all(done[1].map(function (path) {
              return pf.mergeIndex(new URL("pagefind/" + path, siteRoot).pathname, options);
            }));
          }).then(function () {
            // Pagefind's first search pays a one-off setup (25 ms at 100,000 papers): pay it
            // now, while the reader types, with a word that is in no chunk's range (U+FFFF
            // sorts after every word), so nothing is fetched.
            return pf.search("\uffff");
          }).then(function () {
            return pf;
          });
        });
      }
      return engine;
    }

    function open() {
      root.classList.add("catalogue-search--open");
      openButton.setAttribute("aria-expanded", "true");
      input.focus();
      load();
    }

    function close() {
      root.classList.remove("catalogue-search--open");
      openButton.setAttribute("aria-expanded", "false");
      panel.hidden = true;
    }

    // What the reader chose, as Pagefind filters: a year range becomes "any of these years".
    function activeFilters() {
      var out = {};
      Object.keys(chosen).forEach(function (key) {
        if (chosen[key] && key !== "from" && key !== "to") out[key] = chosen[key];
      });
      if (chosen.from || chosen.to) {
        var from = chosen.from || "0000";
        var to = chosen.to || "9999";
        out.year = { any: years.filter(function (y) { return y >= from && y <= to; }) };
        if (!out.year.any.length) out.year = { any: ["none"] };
      }
      return out;
    }

    function paperFilters() {
      return Object.assign({}, activeFilters(), PAPERS);
    }

    function text(tag, className, value) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (value) node.textContent = value;
      return node;
    }

    // Pagefind's excerpt is escaped text with <mark> around the matched words: rebuild it
    // as nodes so that nothing else in it can become markup.
    function excerptNode(excerpt) {
      var node = text("p", "catalogue-search__excerpt");
      var scratch = document.createElement("textarea");
      excerpt.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
        if (part === "<mark>") return true;
        if (part === "</mark>") return false;
        scratch.innerHTML = part; // a textarea decodes entities and never parses tags
        var piece = scratch.value;
        node.appendChild(marked ? text("mark", "", piece) : document.createTextNode(piece));
        return marked;
      }, false);
      return node;
    }

    function resultItem(data) {
      var item = text("li", "catalogue-search__result");
      var link = text("a", "catalogue-search__title", data.meta.title || data.url);
      link.href = data.url;
      item.appendChild(link);
      item.appendChild(excerptNode(data.excerpt || ""));
      var filters = data.filters || {};
      var facts = [].concat(filters.year || [], filters.venue || []).join(" · ");
      if ((filters.tag || []).length || facts) {
        var tags = text("p", "catalogue-search__tags");
        (filters.tag || []).forEach(function (name) {
          tags.appendChild(text("span", "catalogue-search__tag", name));
        });
        if (facts) tags.appendChild(text("span", "catalogue-search__facts", facts));
        item.appendChild(tags);
      }
      return item;
    }

    function showMore(query) {
      var next = results.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      more.hidden = shown >= results.length;
      // Every fragment is fetched at once; each result shows as soon as it and those above
      // it have arrived, so the first one does not wait for the tenth.
      var shownInOrder = Promise.resolve();
      next.forEach(function (result) {
        var data = result.data();
        shownInOrder = shownInOrder.then(function () { return data; }).then(function (item) {
          if (query === latest) list.appendChild(resultItem(item));
        });
      });
      return shownInOrder.then(function () {
        if (query === latest) root.dataset.results = String(list.children.length);
      });
    }

    function search(pause) {
      var query = ++latest;
      var term = input.value.trim();
      if (!term && !Object.keys(activeFilters()).length) {
        panel.hidden = true;
        list.textContent = "";
        return;
      }
      panel.hidden = false;
      if (pause) {
        setTimeout(function () { if (query === latest) run(query, term); }, pause);
      } else {
        run(query, term);
      }
    }

    function showPages(pf, query, term) {
      pagesList.textContent = "";
      pagesBox.hidden = true;
      if (!term) return;
      pf.search(term, { filters: { kind: "page" } }).then(function (response) {
        return Promise.all(response.results.slice(0, PAGES_SHOWN).map(function (r) { return r.data(); }));
      }).then(function (pages) {
        if (query !== latest || !pages.length) return;
        pages.forEach(function (data) {
          var item = text("li", "catalogue-search__page");
          var link = text("a", "catalogue-search__page-title", data.meta.title || data.url);
          link.href = data.url;
          item.appendChild(link);
          pagesList.appendChild(item);
        });
        pagesBox.hidden = false;
      });
    }

    function run(query, term) {
      load().then(function (pf) {
        showPages(pf, query, term);
        return pf.search(term || null, { filters: paperFilters() });
      }).then(function (response) {
        if (query !== latest) return;
        results = response.results;
        shown = 0;
        list.textContent = "";
        var n = results.length;
        status.textContent = n === 0 ? "No matching papers" : n === 1 ? "1 result" : n + " results";
        return showMore(query);
      }).catch(function (error) {
        status.textContent = "Search is unavailable: " + error;
      });
    }

    function facetSelect(name, label, values, counts) {
      var box = text("label", "catalogue-search__facet");
      box.appendChild(text("span", "", label));
      var select = document.createElement("select");
      select.name = name;
      select.appendChild(text("option", "", "Any"));
      select.options[0].value = "";
      values.forEach(function (value) {
        var option = text("option", "", counts ? value + " (" + counts[value] + ")" : value);
        option.value = value;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        chosen[name] = select.value;
        search(0);
      });
      box.appendChild(select);
      filterBox.appendChild(box);
    }

    // Only the facets that have values: the seed's entries have tags but no years or venues.
    function loadFacets() {
      if (filterBox.childElementCount) return;
      load().then(function (pf) { return pf.filters(); }).then(function (all) {
        var shown = [];
        FACETS.forEach(function (facet) {
          var counts = all[facet[0]] || {};
          var values = Object.keys(counts);
          if (!values.length) return;
          shown.push(facet[0]);
          if (facet[0] === "year") {
            // A range: from one year to another (newest first, as the lists are).
            years = values.slice().sort();
            var newestFirst = years.slice().reverse();
            facetSelect("from", "From year", years, null);
            facetSelect("to", "To year", newestFirst, null);
            return;
          }
          values.sort();
          facetSelect(facet[0], facet[1], values, counts);
        });
        summary.textContent = shown.length ? "Filter by " + shown.join(", ") : "No filters";
      });
    }

    // Results show as the reader types; Enter has nothing to submit.
    root.querySelector(".catalogue-search__form").addEventListener("submit", function (event) {
      event.preventDefault();
    });
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { search(TYPING_PAUSE_MS); });
    more.addEventListener("click", function () { showMore(latest); });
    facets.addEventListener("toggle", function () { if (facets.open) loadFacets(); });
    openButton.addEventListener("click", open);
    closeButton.addEventListener("click", close);
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); input.blur(); }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === "/" && !typing) { event.preventDefault(); open(); }
    });
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) panel.hidden = true;
    });
    input.addEventListener("focus", function () {
      if (list.childElementCount) panel.hidden = false;
    });
  }

  document.querySelectorAll("[data-catalogue-search]").forEach(init);
})();
