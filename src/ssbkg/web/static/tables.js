// Sorting and filtering of tables: a number sorts as a number, text as text. Inline in the evidence
// report (a page that loads nothing else) and served by the site as /static/tables.js.
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, i) {
    th.tabIndex = 0;
    th.style.cursor = "pointer";
    th.addEventListener("click", function () {
      var up = th.dataset.dir !== "up";
      table.querySelectorAll("thead th").forEach(function (h) { delete h.dataset.dir; });
      th.dataset.dir = up ? "up" : "down";
      var key = function (row) {
        var text = row.children[i] ? row.children[i].textContent.trim() : "";
        return /^-?[0-9]+([.][0-9]+)?$/.test(text) ? parseFloat(text) : text.toLowerCase();
      };
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (typeof x !== typeof y) { x = String(x); y = String(y); }
        return (x > y ? 1 : x < y ? -1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
    });
  });
});
// A row shows when the text filter and every facet chosen let it through.
function showRows(table) {
  Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
    row.hidden = row.dataset.byText === "no" || row.dataset.byFacet === "no";
  });
}
document.querySelectorAll("input.filter").forEach(function (input) {
  input.addEventListener("input", function () {
    var table = document.getElementById(input.dataset.table), q = input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.dataset.byText = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0 ? "no" : "yes";
    });
    showRows(table);
  });
});
function cellText(row, at) {
  var cell = row.cells[at];  // a row that says "no member" has one cell across the table
  return (cell ? cell.textContent.trim() : "") || "(none)";
}
// Facets, as Datasette shows them: for each column named in data-facets, its values with how many
// rows have each; choosing values keeps the rows that have one of them (in every column chosen).
document.querySelectorAll("table[data-facets]").forEach(function (table) {
  var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim().toLowerCase(); });
  var chosen = {}, box = document.createElement("div");
  box.className = "facets";
  box.setAttribute("aria-label", "facets");
  table.dataset.facets.split(",").forEach(function (name) {
    var at = heads.indexOf(name.trim().toLowerCase());
    if (at < 0) { return; }
    var counts = {};
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var v = cellText(row, at);
      counts[v] = (counts[v] || 0) + 1;
    });
    var facet = document.createElement("div"), title = document.createElement("b");
    facet.className = "facet";
    facet.dataset.column = name.trim();
    title.textContent = table.tHead.rows[0].cells[at].textContent.trim();
    facet.appendChild(title);
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a > b ? 1 : -1); }).forEach(function (v) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.value = v;
      button.setAttribute("aria-pressed", "false");
      button.textContent = v + " (" + counts[v] + ")";
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        chosen[at] = chosen[at] || {};
        if (on) { chosen[at][v] = true; } else { delete chosen[at][v]; }
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var keep = Object.keys(chosen).every(function (col) {
            var wanted = Object.keys(chosen[col]);
            return wanted.length === 0 || chosen[col][cellText(row, col)];
          });
          row.dataset.byFacet = keep ? "yes" : "no";
        });
        showRows(table);
      });
      facet.appendChild(button);
    });
    box.appendChild(facet);
  });
  if (box.children.length) { table.parentNode.insertBefore(box, table); }
});
// The detail a query names is left out of its table until asked for: the answer fits the window.
document.querySelectorAll("button.more-columns").forEach(function (button) {
  var table = document.getElementById(button.dataset.table), shown = button.textContent;
  button.addEventListener("click", function () {
    var all = table.classList.toggle("all");
    button.textContent = all ? "Show fewer columns" : shown;
  });
});
