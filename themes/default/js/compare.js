// The comparison page: every program the reader weighs, with each per-program checklist's
// score and band, their ratings and figures, and derived figures; sortable, printable and
// exportable as CSV. Scores are computed from the manifest (guide-data.js), so only items
// still in the guide count.
(function () {
  "use strict";
  var store = window.GuidebookStore;
  var data = window.GUIDEBOOK_DATA || {};
  var checklists = data.checklists || {};
  var setup = data.compare || { ratings: { scale: 5, domains: [] }, figures: [], derived: [] };
  var sort = { key: "name", dir: 1 };

  var el = window.GuidebookDom.el;
  var button = window.GuidebookDom.button;

  var perProgram = Object.keys(checklists).filter(function (id) { return checklists[id].scope === "per-program"; });

  function score(listId, programId) {
    var ticks = ((store.read("ticks", {}) || {})[listId] || {})[programId] || {};
    return window.GuidebookChecklists.score(checklists[listId], ticks);
  }

  function profile(programId) {
    var all = store.read("profiles", {}) || {};
    var p = all[programId] || {};
    return { ratings: p.ratings || {}, figures: p.figures || {} };
  }

  function derived(d, figures) {
    var a = Number(figures[d.numerator]);
    var b = Number(figures[d.denominator]);
    if (!isFinite(a) || !isFinite(b) || b <= 0 || figures[d.numerator] === "" || figures[d.numerator] === undefined) return null;
    return Math.round(a / b);
  }

  // Columns: key, heading, value(program) for sorting/CSV, and cell(program) for display.
  function columns() {
    var cols = [{ key: "name", head: "Program", value: function (p) { return p.name; } }];
    perProgram.forEach(function (id) {
      cols.push({
        key: "score:" + id,
        head: checklists[id].title,
        value: function (p) { return score(id, p.id).total; },
        text: function (p) {
          var s = score(id, p.id);
          return s.total + " / " + s.max + (s.band ? " (" + s.band.label + ")" : "");
        },
        level: function (p) {
          var s = score(id, p.id);
          return s.band ? Math.round(2 * s.band.level / Math.max(1, s.levels - 1)) : null;
        }
      });
    });
    setup.ratings.domains.forEach(function (d) {
      cols.push({
        key: "rating:" + d.id,
        head: d.label,
        value: function (p) { var r = profile(p.id).ratings[d.id]; return r === undefined ? null : r; },
        level: function (p) {
          var r = profile(p.id).ratings[d.id];
          if (r === undefined) return null;
          var f = (r - 1) / Math.max(1, setup.ratings.scale - 1);
          return f >= 0.66 ? 0 : f >= 0.33 ? 1 : 2;
        }
      });
    });
    setup.figures.forEach(function (f) {
      cols.push({
        key: "figure:" + f.id,
        head: f.label,
        value: function (p) {
          var v = profile(p.id).figures[f.id];
          if (v === undefined || v === "") return null;
          return f.kind === "number" ? Number(v) : String(v);
        }
      });
    });
    setup.derived.forEach(function (d) {
      cols.push({
        key: "derived:" + d.id,
        head: d.label,
        value: function (p) { return derived(d, profile(p.id).figures); }
      });
    });
    return cols;
  }

  function sorted(programs, cols) {
    var col = cols.filter(function (c) { return c.key === sort.key; })[0] || cols[0];
    return programs.slice().sort(function (a, b) {
      var x = col.value(a), y = col.value(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1; // blanks last whatever the direction
      if (y === null) return -1;
      if (typeof x === "string" || typeof y === "string") return sort.dir * String(x).localeCompare(String(y));
      return sort.dir * (x - y);
    });
  }

  function renderTable() {
    var cols = columns();
    var programs = store.programs();
    var table = document.querySelector(".compare-table");
    var headRow = table.querySelector("thead tr");
    headRow.textContent = "";
    cols.forEach(function (c) {
      var th = el("th");
      th.scope = "col";
      if (c.key === sort.key) th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      var b = el("button", "sort-button", c.head);
      b.type = "button";
      b.setAttribute("data-key", c.key);
      b.addEventListener("click", function () {
        sort = { key: c.key, dir: sort.key === c.key ? -sort.dir : (c.key === "name" ? 1 : -1) };
        renderTable();
        var again = document.querySelector(".sort-button[data-key='" + c.key + "']");
        if (again) again.focus();
      });
      th.appendChild(b);
      headRow.appendChild(th);
    });
    var body = table.querySelector("tbody");
    body.textContent = "";
    sorted(programs, cols).forEach(function (p) {
      var tr = el("tr");
      tr.setAttribute("data-program", p.id);
      cols.forEach(function (c, i) {
        var cell = el(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        var v = c.text ? c.text(p) : c.value(p);
        cell.textContent = v === null || v === undefined ? "–" : String(v);
        var level = c.level ? c.level(p) : null;
        if (level !== null && level !== undefined) cell.className = "level-" + level;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    document.querySelector(".compare-empty").hidden = programs.length > 0;
  }

  function renderPrograms() {
    var list = document.querySelector(".compare-programs");
    list.textContent = "";
    store.programs().forEach(function (p) {
      var li = el("li", "", p.name + " ");
      li.appendChild(button("Remove", "Remove " + p.name, function () {
        if (!window.confirm("Remove " + p.name + " and everything you recorded for it?")) return;
        store.removeProgram(p.id);
        render();
      }));
      list.appendChild(li);
    });
    var select = document.querySelector(".profile-select");
    if (!select) return;
    select.textContent = "";
    var current = store.currentProgram();
    store.programs().forEach(function (p) {
      var o = el("option", "", p.name);
      o.value = p.id;
      o.selected = p.id === current;
      select.appendChild(o);
    });
    renderProfile();
  }

  function renderProfile() {
    var form = document.querySelector(".profile-form");
    if (!form) return;
    var id = store.currentProgram();
    var p = id ? profile(id) : { ratings: {}, figures: {} };
    form.querySelectorAll("[data-rating]").forEach(function (s) {
      var v = p.ratings[s.getAttribute("data-rating")];
      s.value = v === undefined ? "" : String(v);
      s.disabled = !id;
    });
    form.querySelectorAll("[data-figure]").forEach(function (input) {
      var v = p.figures[input.getAttribute("data-figure")];
      if (document.activeElement !== input) input.value = v === undefined ? "" : String(v);
      input.disabled = !id;
    });
  }

  // Saves the one rating or figure the reader changed, into the profiles as stored now, so
  // what another tab recorded meanwhile (even for this program) is kept.
  function saveField(e) {
    var id = store.currentProgram();
    var field = e.target;
    var rating = field.getAttribute("data-rating");
    var figure = field.getAttribute("data-figure");
    if (!id || (!rating && !figure)) return;
    store.update("profiles", {}, function (all) {
      var p = all[id] = all[id] || {};
      var group = rating ? (p.ratings = p.ratings || {}) : (p.figures = p.figures || {});
      var name = rating || figure;
      if (field.value === "") delete group[name];
      else group[name] = rating ? Number(field.value) : field.value;
    });
    store.persist();
    renderTable();
  }

  function csv() {
    var cols = columns();
    var quote = function (v) {
      var s = v === null || v === undefined ? "" : String(v);
      // A leading =, +, - or @ would run as a formula in a spreadsheet.
      if (/^[=+\-@]/.test(s)) s = "'" + s;
      return /[",\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
    };
    var lines = [cols.map(function (c) { return quote(c.head); }).join(",")];
    sorted(store.programs(), cols).forEach(function (p) {
      lines.push(cols.map(function (c) { return quote(c.text ? c.text(p) : c.value(p)); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function render() {
    renderPrograms();
    renderTable();
  }

  function start() {
    var app = document.querySelector(".compare-app");
    if (!store || !app) return;
    app.hidden = false;
    store.onTextSubmit(document.querySelector(".compare-add-program"), function (name) {
      store.addProgram(name);
      render();
    });
    var select = document.querySelector(".profile-select");
    if (select) {
      select.addEventListener("change", function () {
        store.chooseProgram(select.value);
        renderProfile();
      });
      var form = document.querySelector(".profile-form");
      form.addEventListener("input", saveField);
      form.addEventListener("change", saveField);
      form.addEventListener("submit", function (e) { e.preventDefault(); });
    }
    document.querySelector(".compare-csv").addEventListener("click", function () {
      store.download(store.guide + "-programs.csv", "text/csv", csv());
    });
    window.GuidebookCompare = { csv: csv };
    render();
    ["ticks", "programs", "profiles", "current-program"].forEach(function (n) { store.subscribe(n, render); });
  }
  window.GuidebookDom.ready(start);
})();
