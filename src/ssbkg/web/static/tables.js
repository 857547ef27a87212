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
        var text = row.children[i].textContent.trim();
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
document.querySelectorAll("input.filter").forEach(function (input) {
  input.addEventListener("input", function () {
    var table = document.getElementById(input.dataset.table), q = input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
});
