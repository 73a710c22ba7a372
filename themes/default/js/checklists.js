// Interactive checklists and task lists. Ticks are saved by stable item id with the hash of
// the text the reader saw, so after the guide changes every tick stays on its item: a reworded
// item is marked "changed since you ticked it", a removed one is kept under "No longer in the
// guide". Per-program lists keep separate ticks, score and notes for each program.
(function () {
  "use strict";
  var store = window.GuidebookStore;

  var el = window.GuidebookDom.el;
  var button = window.GuidebookDom.button;

  // A checklist's score from the reader's ticks: the weights of the ticked items still in the
  // list, and the band the total falls in. `list` is shaped like a checklist of guide-data.js:
  // { max, bands: [{ min, max, label, level }], items: { id: [hash, weight, ...] } }. The
  // comparison page scores from that manifest, checklists on a page from their own markup.
  function score(list, ticks) {
    var total = 0;
    Object.keys(ticks || {}).forEach(function (item) {
      if (Object.prototype.hasOwnProperty.call(list.items, item)) total += list.items[item][1];
    });
    var band = list.bands.filter(function (b) { return total >= b.min && total <= b.max; })[0] || null;
    return { total: total, band: band, max: list.max, levels: list.bands.length };
  }
  window.GuidebookChecklists = { score: score };

  // The manifest-shaped list of a checklist section (see `score`); bands keep their element.
  function listOf(section, inputs) {
    var items = {};
    inputs.forEach(function (input) {
      items[input.getAttribute("data-item")] = [input.getAttribute("data-hash"), Number(input.getAttribute("data-weight")) || 1];
    });
    var bands = Array.prototype.map.call(section.querySelectorAll(".band"), function (b, level) {
      return { min: Number(b.getAttribute("data-min")), max: Number(b.getAttribute("data-max")), label: b.getAttribute("data-label"), level: level, node: b };
    });
    return { max: Number(section.getAttribute("data-max")) || 0, bands: bands, items: items };
  }

  function ticksFor(list, scope) {
    var all = store.read("ticks", {}) || {};
    return (all[list] && all[list][scope]) || {};
  }
  // Sets (or with `tick` null, clears) one item's tick in the value as stored now, so ticks
  // another tab saved meanwhile are kept.
  function setTick(list, scope, item, tick) {
    store.update("ticks", {}, function (all) {
      var scopes = all[list] = all[list] || {};
      var ticks = scopes[scope] = scopes[scope] || {};
      if (tick) ticks[item] = tick;
      else delete ticks[item];
    });
    store.persist();
  }
  function plain(label) {
    return label ? label.textContent.replace(/\s+/g, " ").trim().slice(0, 2000) : "";
  }

  // Shows "changed since you ticked it" with a button to confirm the tick still holds.
  function markChanged(status, onConfirm) {
    status.textContent = "Changed since you ticked it. ";
    status.appendChild(button("Still true", null, onConfirm));
    status.hidden = false;
  }

  function Checklist(section) {
    this.section = section;
    this.id = section.getAttribute("data-checklist");
    this.perProgram = section.getAttribute("data-scope") === "per-program";
    this.inputs = Array.prototype.slice.call(section.querySelectorAll(".checklist-items input[type=checkbox]"));
    this.list = listOf(section, this.inputs);
    this.method = section.getAttribute("data-method");
    this.wire();
    this.render();
  }

  Checklist.prototype.scope = function () {
    return this.perProgram ? store.currentProgram() : "single";
  };

  Checklist.prototype.wire = function () {
    var self = this;
    var section = this.section;
    section.querySelector(".checklist-extra").hidden = false;
    var score = section.querySelector(".checklist-score");
    if (score) score.hidden = false;
    this.inputs.forEach(function (input) {
      input.addEventListener("change", function () { self.toggle(input); });
    });
    section.querySelector(".checklist-reset").addEventListener("click", function () {
      var scope = self.scope();
      if (!scope) return;
      if (window.confirm("Clear your ticks on \"" + plain(section.querySelector(".checklist-title")) + "\"" +
        (self.perProgram ? " for " + self.programName(scope) : "") + "?")) {
        store.update("ticks", {}, function (all) { if (all[self.id]) delete all[self.id][scope]; });
        self.render();
      }
    });
    var notes = section.querySelector(".checklist-notes textarea");
    if (notes) {
      notes.addEventListener("input", function () {
        var scope = self.scope();
        if (!scope) return;
        store.update("notes", {}, function (all) {
          all[self.id] = all[self.id] || {};
          all[self.id][scope] = notes.value;
        });
      });
    }
    if (this.perProgram) {
      var picker = section.querySelector(".program-picker");
      picker.hidden = false;
      store.onTextSubmit(picker.querySelector("form"), function (name) {
        store.addProgram(name);
        renderAll();
      });
    }
  };

  Checklist.prototype.programName = function (id) {
    var p = store.programs().filter(function (x) { return x.id === id; })[0];
    return p ? p.name : "";
  };

  Checklist.prototype.toggle = function (input) {
    var scope = this.scope();
    if (!scope) return;
    var id = input.getAttribute("data-item");
    setTick(this.id, scope, id, input.checked ?
      { h: input.getAttribute("data-hash"), t: plain(this.section.querySelector("label[for='" + input.id + "']")) } : null);
    this.render();
  };

  Checklist.prototype.renderPrograms = function () {
    var tabs = this.section.querySelector(".program-tabs");
    tabs.textContent = "";
    var current = store.currentProgram();
    store.programs().forEach(function (p) {
      var b = button(p.name, null, function () {
        store.chooseProgram(p.id);
        renderAll();
      });
      b.classList.add("program-tab");
      b.setAttribute("aria-pressed", p.id === current ? "true" : "false");
      tabs.appendChild(b);
    });
    if (!current) tabs.appendChild(el("p", "program-none", "Add the first program you want to score."));
  };

  Checklist.prototype.render = function () {
    var self = this;
    var scope = this.scope();
    if (this.perProgram) this.renderPrograms();
    var ticks = scope ? ticksFor(this.id, scope) : {};
    var present = {};
    this.inputs.forEach(function (input) {
      var id = input.getAttribute("data-item");
      present[id] = true;
      var tick = ticks[id];
      input.checked = !!tick;
      input.disabled = !scope;
      var status = input.parentNode.querySelector(".item-status");
      status.hidden = true;
      status.textContent = "";
      if (tick && tick.h !== input.getAttribute("data-hash")) {
        markChanged(status, function () {
          setTick(self.id, scope, id, { h: input.getAttribute("data-hash"), t: plain(self.section.querySelector("label[for='" + input.id + "']")) });
          self.render();
        });
      }
    });
    this.renderOrphans(ticks, present);
    this.renderScore(score(this.list, ticks));
    var notes = this.section.querySelector(".checklist-notes textarea");
    if (notes) {
      var all = store.read("notes", {}) || {};
      var text = (scope && all[this.id] && all[this.id][scope]) || "";
      // Assigning the same text would move the caret of a reader typing here.
      if (notes.value !== text) notes.value = text;
      notes.disabled = !scope;
    }
  };

  Checklist.prototype.renderOrphans = function (ticks, present) {
    var box = this.section.querySelector(".checklist-orphans");
    var list = box.querySelector("ul");
    list.textContent = "";
    Object.keys(ticks).forEach(function (id) {
      if (!present[id]) list.appendChild(el("li", "", ticks[id].t || id));
    });
    box.hidden = !list.children.length;
  };

  Checklist.prototype.renderScore = function (s) {
    var line = this.section.querySelector(".score-text");
    if (!line) return;
    this.list.bands.forEach(function (b) { b.node.classList.toggle("current", b === s.band); });
    var who = this.perProgram && this.scope() ? " for " + this.programName(this.scope()) : "";
    line.textContent = "Score" + who + ": " + s.total + " of " + s.max + (s.band ? " (" + s.band.label + ")" : "");
    var advice = this.section.querySelector(".band-advice");
    advice.textContent = s.band ? s.band.node.textContent.replace(/^[^:]*:\s*/, "") : "";
    this.section.setAttribute("data-score", String(s.total));
    this.section.setAttribute("data-band", s.band ? s.band.label : "");
  };

  // Task-list items written in chapters as `- [ ] Do this {#stable-id}`.
  function renderTasks() {
    var ticks = ticksFor("tasks", "single");
    document.querySelectorAll("input[data-task]").forEach(function (input) {
      var id = input.getAttribute("data-task");
      var tick = ticks[id];
      if (tick) input.checked = tick.done !== false;
      var status = input.parentNode.querySelector(".item-status");
      if (!status) {
        status = el("span", "item-status");
        input.parentNode.appendChild(status);
      }
      status.hidden = !(tick && tick.h !== input.getAttribute("data-hash"));
      status.textContent = status.hidden ? "" : " (changed since you ticked it)";
    });
  }
  function wireTasks() {
    document.querySelectorAll("input[data-task]").forEach(function (input) {
      input.addEventListener("change", function () {
        var label = document.querySelector("label[for='" + input.id + "']");
        setTick("tasks", "single", input.getAttribute("data-task"), { h: input.getAttribute("data-hash"), t: plain(label), done: input.checked });
        renderTasks();
      });
    });
  }

  var lists = [];
  function renderAll() {
    lists.forEach(function (l) { l.render(); });
    renderTasks();
  }

  function start() {
    if (!store) return;
    document.querySelectorAll("section.checklist").forEach(function (s) { lists.push(new Checklist(s)); });
    wireTasks();
    renderTasks();
    ["ticks", "programs", "current-program", "notes"].forEach(function (name) { store.subscribe(name, renderAll); });
  }
  window.GuidebookDom.ready(start);
})();
