// The map of the catalogue (generator/render/map_page.py): every paper a point on a canvas,
// from map/points.json, fetched only by this page. Titles and addresses come in files of a
// few hundred papers (map/papers-<n>.json), fetched when a reader points at one of them.
// Mouse: hover shows the title, click opens the paper. Touch: a tap shows the title, a
// second tap on it opens the paper. Keyboard: the canvas takes focus, the
// arrow keys move to the nearest paper in that direction, Enter opens it. Entry text is only
// ever set as textContent.
(function () {
  "use strict";
  // Ten colours told apart in both schemes (Okabe-Ito and Tableau hues), then grey.
  var COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                 "#b07aa1", "#ff9da7", "#9c755f", "#17becf"];
  var OTHER = "#9e9e9e";

  function init(root) {
    var canvas = root.querySelector(".catalogue-map__canvas");
    var tip = root.querySelector(".catalogue-map__tip");
    var status = root.querySelector(".catalogue-map__status");
    var select = root.querySelector(".catalogue-map__filter select");
    var pad = Number(root.dataset.pad || 12);
    var pointsUrl = new URL(root.dataset.points, location.href);
    var data = null;
    var files = {};
    var highlighted = null;
    var current = -1;
    var grid = null;
    var CELL = 24;

    function papersFile(index) {
      var number = Math.floor(index / data.perFile);
      if (!files[number]) {
        files[number] = fetch(new URL("papers-" + number + ".json", pointsUrl)).then(function (r) {
          if (!r.ok) throw new Error("map data " + r.status);
          return r.json();
        });
      }
      return files[number].then(function (rows) { return rows[index % data.perFile]; });
    }

    function paperUrl(slug) {
      return root.dataset.paperPrefix + slug + root.dataset.paperSuffix;
    }

    // Canvas pixels (CSS) of every point, worked out once per canvas width; the same square
    // scale on both axes.
    var px = null, py = null, laidOutFor = -1;

    function layOut() {
      var width = canvas.clientWidth;
      if (width === laidOutFor) return;
      laidOutFor = width;
      var scale = (width - 2 * pad) / data.grid;
      px = new Float32Array(data.count);
      py = new Float32Array(data.count);
      for (var i = 0; i < data.count; i++) {
        px[i] = pad + data.x[i] * scale;
        py[i] = pad + data.y[i] * scale;
      }
      buildGrid();
      base = null;
    }

    function place(index) {
      return [px[index], py[index]];
    }

    function radius() {
      return data.count > 20000 ? 1.2 : data.count > 2000 ? 2 : 4;
    }

    function buildGrid() {
      grid = {};
      for (var i = 0; i < data.count; i++) {
        var key = Math.floor(px[i] / CELL) + "," + Math.floor(py[i] / CELL);
        (grid[key] = grid[key] || []).push(i);
      }
    }

    function nearest(x, y, limit) {
      var best = -1, bestDistance = limit * limit;
      var cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var cell = grid[(cx + dx) + "," + (cy + dy)] || [];
          for (var k = 0; k < cell.length; k++) {
            var i = cell[k];
            var d = (px[i] - x) * (px[i] - x) + (py[i] - y) * (py[i] - y);
            if (d < bestDistance) { best = i; bestDistance = d; }
          }
        }
      }
      return best;
    }

    // Every point, the highlighted tag and the region names are drawn once into `base` (again
    // only when the width, the filter or the colour scheme changes); moving between papers
    // copies it and draws one ring, so a large map stays quick to point at.
    var base = null;

    function drawBase(width, ratio) {
      base = document.createElement("canvas");
      base.width = base.height = Math.round(width * ratio);
      var ctx = base.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var r = radius();
      var faded = highlighted !== null;
      ctx.globalAlpha = faded ? 0.18 : 0.85;
      for (var colour = -1; colour < COLOURS.length; colour++) {
        ctx.fillStyle = colour >= 0 ? COLOURS[colour] : OTHER;
        for (var i = 0; i < data.count; i++) {
          if (data.colour[i] === colour) ctx.fillRect(px[i] - r, py[i] - r, 2 * r, 2 * r);
        }
      }
      if (faded) {
        ctx.globalAlpha = 1;
        var style = getComputedStyle(root);
        ctx.fillStyle = style.getPropertyValue("--md-accent-fg-color") || "#526cfe";
        ctx.strokeStyle = style.color;
        highlighted.forEach(function (i) {
          ctx.beginPath();
          ctx.arc(px[i], py[i], r + 2, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
        });
      }
      ctx.globalAlpha = 1;
      labelRegions(ctx, width);
    }

    function draw() {
      layOut();
      var ratio = window.devicePixelRatio || 1;
      var width = canvas.clientWidth;
      var pixels = Math.round(width * ratio);
      if (canvas.width !== pixels || canvas.height !== pixels) {
        canvas.height = canvas.width = pixels;
        base = null;
      }
      if (base === null) drawBase(width, ratio);
      var ctx = canvas.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, pixels, pixels);
      ctx.drawImage(base, 0, 0);
      if (current >= 0) {
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.strokeStyle = getComputedStyle(root).color;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(px[current], py[current], radius() + 5, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }

    function redrawAll() {
      base = null;
      draw();
    }

    function labelRegions(ctx, width) {
      var style = getComputedStyle(root);
      ctx.font = "600 " + (width < 500 ? 11 : 13) + "px " + style.fontFamily;
      ctx.textAlign = "center";
      ctx.lineWidth = 3;
      ctx.strokeStyle = style.backgroundColor === "rgba(0, 0, 0, 0)"
        ? getComputedStyle(document.body).backgroundColor : style.backgroundColor;
      ctx.fillStyle = style.color;
      data.regions.forEach(function (region) {
        if (!region.words.length) return;
        var size = width - 2 * pad;
        var x = pad + region.x * size / data.grid, y = pad + region.y * size / data.grid;
        var label = region.words.slice(0, 2).join(" · ");
        var half = ctx.measureText(label).width / 2;
        x = Math.min(Math.max(x, half + 2), width - half - 2);
        ctx.strokeText(label, x, y);
        ctx.fillText(label, x, y);
      });
    }

    function show(index, fromKeyboard) {
      current = index;
      draw();
      if (index < 0) { tip.hidden = true; return; }
      papersFile(index).then(function (row) {
        if (current !== index) return;
        tip.textContent = row[1];
        var p = place(index);
        tip.style.left = Math.min(p[0], canvas.clientWidth - 200) + "px";
        tip.style.top = (p[1] + 10) + "px";
        tip.hidden = false;
        if (fromKeyboard) status.textContent = row[1];
      });
    }

    function open(index) {
      papersFile(index).then(function (row) { location.href = paperUrl(row[0]); });
    }

    function pointer(event) {
      var box = canvas.getBoundingClientRect();
      return nearest(event.clientX - box.left, event.clientY - box.top, 12);
    }

    // The nearest paper in the arrow's direction (within a cone of it).
    function step(dx, dy) {
      if (current < 0) return nearestToCentre();
      var fromX = px[current], fromY = py[current], best = -1, bestScore = Infinity;
      for (var i = 0; i < data.count; i++) {
        if (i === current) continue;
        var ax = px[i] - fromX, ay = py[i] - fromY;
        var along = ax * dx + ay * dy;
        var across = Math.abs(ax * dy - ay * dx);
        if (along <= 0 || across > along * 2) continue;
        var score = along + 2 * across;
        if (score < bestScore) { best = i; bestScore = score; }
      }
      return best < 0 ? current : best;
    }

    function nearestToCentre() {
      var middle = canvas.clientWidth / 2;
      var best = 0, bestDistance = Infinity;
      for (var i = 0; i < data.count; i++) {
        var d = (px[i] - middle) * (px[i] - middle) + (py[i] - middle) * (py[i] - middle);
        if (d < bestDistance) { best = i; bestDistance = d; }
      }
      return best;
    }

    function filter() {
      var tag = select.value;
      if (!tag) {
        highlighted = null;
        status.textContent = "";
      } else {
        var gaps = data.tagged[data.tags.indexOf(tag)] || [];
        var at = 0;
        highlighted = gaps.map(function (gap) { at += gap; return at; });
        var name = select.options[select.selectedIndex].textContent.replace(/ \(\d+\)$/, "");
        status.textContent = highlighted.length + " paper" + (highlighted.length === 1 ? "" : "s") +
          " tagged " + name + " highlighted";
      }
      root.dataset.highlighted = highlighted ? String(highlighted.length) : "";
      redrawAll();
    }

    fetch(pointsUrl).then(function (response) {
      if (!response.ok) throw new Error("map data " + response.status);
      return response.json();
    }).then(function (points) {
      data = points;
      draw();
      root.dataset.ready = "true";
      // A finger has no hover: its first tap on a paper shows the title, a second opens it.
      var touched = false, pressing = false, tapped = -1;
      canvas.addEventListener("pointerdown", function (event) {
        touched = event.pointerType === "touch";
        pressing = true;
      });
      ["pointerup", "pointercancel"].forEach(function (type) {
        canvas.addEventListener(type, function () { pressing = false; });
      });
      canvas.addEventListener("mousemove", function (event) {
        if (touched) return;  // the mouse events a tap sends after it
        var index = pointer(event);
        canvas.style.cursor = index >= 0 ? "pointer" : "default";
        if (index !== current) show(index, false);
      });
      canvas.addEventListener("mouseleave", function () { if (!touched) show(-1, false); });
      canvas.addEventListener("click", function (event) {
        var index = pointer(event);
        if (index < 0) return;
        if (touched && index !== tapped) {
          tapped = index;
          show(index, true);
        } else {
          open(index);
        }
      });
      canvas.addEventListener("keydown", function (event) {
        var moves = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
        if (moves[event.key]) {
          event.preventDefault();
          show(step(moves[event.key][0], moves[event.key][1]), true);
        } else if (event.key === "Enter" && current >= 0) {
          event.preventDefault();
          open(current);
        }
      });
      // Focus from the keyboard starts at the paper nearest the centre (not a click's focus).
      canvas.addEventListener("focus", function () {
        if (current < 0 && !pressing) show(nearestToCentre(), true);
      });
      select.addEventListener("change", filter);
      window.addEventListener("resize", function () {
        if (canvas.clientWidth !== laidOutFor) draw();  // a new width lays the points out again
      });
      // The reader's scheme may change while the page is open (Material's toggle).
      new MutationObserver(redrawAll).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }).catch(function (error) {
      status.textContent = "The map could not be loaded: " + error.message;
    });
  }

  document.querySelectorAll(".catalogue-map[data-points]").forEach(init);
})();
