/* Every report page (analysis/report/templates/narratives): a table of contents built from the page's section
   headings, and long tables that sort by a click on a column header and filter by a search box. Plain script,
   no request; texts are moved with textContent, never parsed as markup. */
(function () {
  "use strict";
  var main = document.querySelector("main") || document.body;
  var toc = document.getElementById("kit-toc");
  var heads = Array.prototype.filter.call(main.querySelectorAll("h2[id]"), function (h) {
    return !h.closest(".kx");
  });
  if (toc && heads.length > 1) {
    toc.appendChild(Object.assign(document.createElement("strong"), {textContent: "On this page"}));
    var ol = document.createElement("ol");
    heads.forEach(function (h) {
      var a = document.createElement("a");
      a.setAttribute("href", "#" + h.id);
      a.textContent = h.textContent.replace(/\u00b6\s*$/, "").trim();
      var li = document.createElement("li");
      li.appendChild(a);
      ol.appendChild(li);
    });
    toc.appendChild(ol);
    var title = main.querySelector("h1");
    if (title) title.parentNode.insertBefore(toc, title.nextSibling);  // under the page's title
    toc.hidden = false;
  }

  var MIN_ROWS = 8;  // shorter tables are read at a glance
  function number(text) {
    var t = text.replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
    return t !== "" && isFinite(t) ? parseFloat(t) : null;
  }
  Array.prototype.forEach.call(main.querySelectorAll("table.kit-table"), function (table, n) {
    var body = table.tBodies[0], head = table.tHead;
    if (!body || !head || body.rows.length < MIN_ROWS) return;
    var rows = Array.prototype.slice.call(body.rows);
    var box = document.createElement("input");
    box.type = "search";
    box.className = "kit-filter";
    box.placeholder = "Filter these " + rows.length + " rows";
    box.setAttribute("aria-label", "Filter the rows of the table below");
    var shown = document.createElement("span");
    shown.className = "kit-filter-count";
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase(), k = 0;
      rows.forEach(function (r) {
        var on = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        r.hidden = !on;
        if (on) k++;
      });
      shown.textContent = q ? k + " of " + rows.length + " rows" : "";
    });
    var bar = document.createElement("div");
    bar.className = "kit-table-tools";
    bar.appendChild(box);
    bar.appendChild(shown);
    table.parentNode.insertBefore(bar, table);
    var ths = head.rows[head.rows.length - 1].cells;
    Array.prototype.forEach.call(ths, function (th, col) {
      th.tabIndex = 0;
      th.classList.add("kit-sortable");
      th.title = "Sort by this column";
      function sort() {
        var down = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var keys = rows.map(function (r, i) {
          var text = r.cells[col] ? r.cells[col].textContent : "";
          return {row: r, i: i, text: text, num: number(text)};
        });
        var numeric = keys.every(function (k) { return k.num !== null || k.text.trim() === ""; });
        keys.sort(function (a, b) {
          var c = numeric ? (a.num === null ? -Infinity : a.num) - (b.num === null ? -Infinity : b.num)
                          : a.text.localeCompare(b.text);
          return (down ? -c : c) || a.i - b.i;
        });
        keys.forEach(function (k) { body.appendChild(k.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
})();
