/* The kit's explorer (analysis/pages/explorer.py): a scatter of the terms of two sides, search, hover, click.
   Plain JavaScript, no library, no request: the data is the JSON text of #kit-explorer-data. Every text of
   the corpus reaches the page through textContent or setAttribute, never as markup. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var root = document.getElementById("kit-explorer");
  if (!root) return;
  var D = JSON.parse(document.getElementById("kit-explorer-data").textContent);
  var F = {};
  D.fields.forEach(function (f, i) { F[f] = i; });
  var A = D.groups[0], B = D.groups[1];
  var COLOR_A = [0, 114, 178], COLOR_B = [213, 94, 0], GREY = [190, 190, 190];
  var W = 760, H = 560, M = {l: 64, r: 16, t: 14, b: 52};
  var svg = document.getElementById("kx-svg");
  var tip = document.getElementById("kx-tip");
  var search = document.getElementById("kx-search");
  var select = document.getElementById("kx-view");
  var count = document.getElementById("kx-count");
  var matches = document.getElementById("kx-matches");
  var detail = document.getElementById("kx-detail");
  var legend = document.getElementById("kx-legend");
  var view = null, points = [], selected = -1;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function fmt(v) {
    if (v === null || v === undefined) return "";
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString("en-US");
    if (Number.isInteger(v)) return String(v);
    return a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
  }
  function mix(c, t) {
    return "rgb(" + [0, 1, 2].map(function (i) { return Math.round(GREY[i] + (c[i] - GREY[i]) * t); }).join(",") + ")";
  }

  var names = Object.keys(D.views);
  names.forEach(function (n) { select.appendChild(el("option", {value: n}, D.views[n].label)); });

  function scale(lo, hi, a, b) {  // log10 scale from [lo, hi] (rates > 0) to [a, b] pixels
    var l0 = Math.log10(lo), l1 = Math.log10(hi);
    if (l1 - l0 < 1e-9) { l0 -= 0.5; l1 += 0.5; }
    return function (v) { return a + (Math.log10(v) - l0) / (l1 - l0) * (b - a); };
  }

  function draw() {
    var v = D.views[view], rows = v.rows;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var pos = [];
    rows.forEach(function (r) {
      if (r[F.per_10k_a] > 0) pos.push(r[F.per_10k_a]);
      if (r[F.per_10k_b] > 0) pos.push(r[F.per_10k_b]);
    });
    var lo = pos.length ? Math.min.apply(null, pos) : 1, hi = pos.length ? Math.max.apply(null, pos) : 10;
    var zero = lo / 2.5;  // where a zero rate is drawn (the "0" row and column)
    var x = scale(zero, hi * 1.1, M.l, W - M.r), y = scale(zero, hi * 1.1, H - M.b, M.t);
    var gmax = 0;
    rows.forEach(function (r) { gmax = Math.max(gmax, Math.abs(r[F.g2] || 0)); });
    var lg = Math.log1p(Math.max(gmax, 1));
    var axes = sv("g", {"class": "kx-axes"});
    for (var p = Math.ceil(Math.log10(lo)); p <= Math.floor(Math.log10(hi * 1.1)); p++) {
      var t = Math.pow(10, p), label = t >= 1 ? t.toLocaleString("en-US") : String(t);
      axes.appendChild(sv("line", {x1: x(t), x2: x(t), y1: M.t, y2: H - M.b, "class": "kx-grid"}));
      axes.appendChild(sv("line", {x1: M.l, x2: W - M.r, y1: y(t), y2: y(t), "class": "kx-grid"}));
      axes.appendChild(sv("text", {x: x(t), y: H - M.b + 16, "text-anchor": "middle"}, label));
      axes.appendChild(sv("text", {x: M.l - 6, y: y(t) + 4, "text-anchor": "end"}, label));
    }
    axes.appendChild(sv("text", {x: x(zero), y: H - M.b + 16, "text-anchor": "middle"}, "0"));
    axes.appendChild(sv("text", {x: M.l - 6, y: y(zero) + 4, "text-anchor": "end"}, "0"));
    axes.appendChild(sv("line", {x1: x(zero), y1: y(zero), x2: x(hi * 1.1), y2: y(hi * 1.1), "class": "kx-diag"}));
    axes.appendChild(sv("text", {x: (M.l + W - M.r) / 2, y: H - 10, "text-anchor": "middle", "class": "kx-label"},
                        A + " (A): per 10,000 " + v.unit + " (log scale)"));
    axes.appendChild(sv("text", {x: 14, y: (M.t + H - M.b) / 2, "text-anchor": "middle", "class": "kx-label",
                                 transform: "rotate(-90 14 " + (M.t + H - M.b) / 2 + ")"},
                        B + " (B): per 10,000 " + v.unit + " (log scale)"));
    svg.appendChild(axes);
    var dots = sv("g", {"class": "kx-dots"});
    points = rows.map(function (r, i) {
      var g = r[F.g2] || 0, t = Math.log1p(Math.abs(g)) / lg;
      var c = sv("circle", {cx: x(Math.max(r[F.per_10k_a], zero)).toFixed(1),
                            cy: y(Math.max(r[F.per_10k_b], zero)).toFixed(1), r: 4,
                            fill: mix(g >= 0 ? COLOR_A : COLOR_B, Math.min(1, t)), "class": "kx-pt",
                            "data-i": i, "data-term": r[F.term], tabindex: -1});
      dots.appendChild(c);
      return c;
    });
    svg.appendChild(dots);
    // labels of the most key terms of each side
    var labels = sv("g", {"class": "kx-labels"}), placed = [];
    [1, -1].forEach(function (s) {
      rows.map(function (r, i) { return i; }).filter(function (i) { return s * (rows[i][F.g2] || 0) > 0; })
        .sort(function (i, j) { return Math.abs(rows[j][F.g2]) - Math.abs(rows[i][F.g2]); }).slice(0, 6)
        .forEach(function (i) {
          var c = points[i], cx = +c.getAttribute("cx"), cy = +c.getAttribute("cy") - 5;
          var right = cx > W - M.r - 90, lx = right ? cx - 6 : cx + 6;
          var near = placed.some(function (p) { return Math.abs(p[1] - cy) < 11 && Math.abs(p[0] - lx) < 70; });
          if (near) return;  // a label that would overlap another is left to the hover
          placed.push([lx, cy]);
          labels.appendChild(sv("text", {x: lx, y: cy, "text-anchor": right ? "end" : "start"}, rows[i][F.term]));
        });
    });
    svg.appendChild(labels);
    drawLegend(gmax);
    selected = -1;
    detail.replaceChildren(el("p", {"class": "kx-hint"},
      "Click a point, or a term found by the search, to read its lines in context from both sides."));
    filter();
  }

  function drawLegend(gmax) {
    legend.replaceChildren();
    var bar = el("span", {"class": "kx-bar"});
    bar.style.background = "linear-gradient(to right," + mix(COLOR_B, 1) + "," + mix(COLOR_B, 0) + "," +
      mix(COLOR_A, 1) + ")";
    legend.appendChild(el("span", {}, "key for " + B + " (G² −" + fmt(gmax) + ")"));
    legend.appendChild(bar);
    legend.appendChild(el("span", {}, "key for " + A + " (G² +" + fmt(gmax) + ")"));
    legend.appendChild(el("span", {"class": "kx-muted"},
      " Colour: signed G² on a log scale (|G²| ≥ 10.8: p < 0.001 before correction). Diagonal: the same rate on both sides."));
  }

  function filter() {
    var q = fold(search.value.trim()), rows = D.views[view].rows, hits = [];
    points.forEach(function (c, i) {
      var on = !q || fold(rows[i][F.term]).indexOf(q) >= 0;
      c.classList.toggle("kx-dim", !on);
      c.classList.toggle("kx-hit", !!q && on);
      if (q && on) hits.push(i);
    });
    count.textContent = q ? hits.length + " of " + rows.length + " terms match" : rows.length + " terms";
    matches.replaceChildren();
    hits.sort(function (i, j) { return Math.abs(rows[j][F.g2]) - Math.abs(rows[i][F.g2]); });
    hits.slice(0, 30).forEach(function (i) {
      var btn = el("button", {type: "button", "class": "kx-term", "data-i": i}, rows[i][F.term]);
      btn.addEventListener("click", function () { choose(i); });
      matches.appendChild(btn);
    });
    if (hits.length > 30) matches.appendChild(el("span", {"class": "kx-muted"}, " and " + (hits.length - 30) + " more"));
    // points found by the search are drawn on top
    hits.forEach(function (i) { points[i].parentNode.appendChild(points[i]); });
    return hits;
  }

  function stats(r) {
    var s = r[F.note] ? r[F.note] + " · " : "";
    return s + A + ": " + r[F.count_a] + " (" + fmt(r[F.per_10k_a]) + " per 10k, " + r[F.docs_a] + " docs) · " +
      B + ": " + r[F.count_b] + " (" + fmt(r[F.per_10k_b]) + " per 10k, " + r[F.docs_b] + " docs) · G² " +
      fmt(r[F.g2]) + " · log ratio " + fmt(r[F.log_ratio]);
  }

  function showTip(i, evt) {
    var r = D.views[view].rows[i];
    tip.replaceChildren(el("b", {}, r[F.term]), el("br"),
      document.createTextNode(A + ": " + r[F.count_a] + " × (" + fmt(r[F.per_10k_a]) + " per 10k) in " + r[F.docs_a] + " docs"),
      el("br"), document.createTextNode(B + ": " + r[F.count_b] + " × (" + fmt(r[F.per_10k_b]) + " per 10k) in " + r[F.docs_b] + " docs"),
      el("br"), document.createTextNode("G² " + fmt(r[F.g2]) + " · log ratio " + fmt(r[F.log_ratio]) +
                                        (r[F.note] ? " · " + r[F.note] : "")));
    tip.hidden = false;
    var box = svg.parentNode.getBoundingClientRect();
    var left = evt.clientX - box.left + 12, top = evt.clientY - box.top + 12;
    tip.style.left = Math.min(left, box.width - 260) + "px";
    tip.style.top = top + "px";
  }

  function choose(i) {
    var v = D.views[view], r = v.rows[i], lines = v.lines[r[F.term]] || [];
    if (selected >= 0 && points[selected]) points[selected].classList.remove("kx-sel");
    selected = i;
    points[i].classList.add("kx-sel");
    points[i].parentNode.appendChild(points[i]);
    var head = el("h3", {}, r[F.term]);
    var cols = el("div", {"class": "kx-cols"});
    [0, 1].forEach(function (side) {
      var col = el("div", {"class": "kx-col kx-side" + side});
      col.appendChild(el("h4", {}, (side ? B + " (B)" : A + " (A)")));
      var mine = lines.filter(function (l) { return l[0] === side; });
      if (!mine.length) col.appendChild(el("p", {"class": "kx-muted"}, "No line kept on this side."));
      var ol = el("ol", {"class": "kx-lines"});
      mine.forEach(function (l) {
        var doc = D.docs[l[1]], li = el("li", {"class": "kx-line"});
        li.appendChild(el("span", {"class": "kx-doc"}, doc[0] + (doc[1] ? " · " + doc[1] : "")));
        if (l.length > 2) {
          var q = el("span", {"class": "kx-kwic"});
          q.appendChild(document.createTextNode("… " + l[2] + " "));
          q.appendChild(el("mark", {}, l[3]));
          q.appendChild(document.createTextNode(" " + l[4] + " …"));
          li.appendChild(q);
        }
        ol.appendChild(li);
      });
      col.appendChild(ol);
      cols.appendChild(col);
    });
    detail.replaceChildren(head, el("p", {"class": "kx-stats"}, stats(r)), cols);
  }

  svg.addEventListener("mouseover", function (e) {
    var i = e.target.getAttribute && e.target.getAttribute("data-i");
    if (i !== null && i !== undefined) showTip(+i, e);
  });
  svg.addEventListener("mouseout", function () { tip.hidden = true; });
  svg.addEventListener("click", function (e) {
    var i = e.target.getAttribute && e.target.getAttribute("data-i");
    if (i !== null && i !== undefined) choose(+i);
  });
  search.addEventListener("input", filter);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var hits = filter(); if (hits.length) choose(hits[0]); }
  });
  select.addEventListener("change", function () { view = select.value; draw(); });
  if (names.length) { view = names[0]; draw(); }
  else detail.replaceChildren(el("p", {"class": "kx-muted"}, "No table to explore in this run."));
})();
