// Interactive checklists and task lists. Ticks are saved by stable item id with the hash of
// the text the reader saw, so after the guide changes every tick stays on its item: a reworded
// item is marked "changed since you ticked it", a removed one is kept under "No longer in the
// guide". Per-program lists keep separate ticks, score and notes for each program.
(function () {
  "use strict";
  var store = window.GuidebookStore;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
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
    var ok = el("button", "button-secondary", "Still true");
    ok.type = "button";
    ok.addEventListener("click", onConfirm);
    status.appendChild(ok);
    status.hidden = false;
  }

  function Checklist(section) {
    this.section = section;
    this.id = section.getAttribute("data-checklist");
    this.perProgram = section.getAttribute("data-scope") === "per-program";
    this.inputs = Array.prototype.slice.call(section.querySelectorAll(".checklist-items input[type=checkbox]"));
    this.bands = Array.prototype.slice.call(section.querySelectorAll(".band"));
    this.max = Number(section.getAttribute("data-max")) || 0;
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
      var b = el("button", "button-secondary program-tab", p.name);
      b.type = "button";
      b.setAttribute("aria-pressed", p.id === current ? "true" : "false");
      b.addEventListener("click", function () {
        store.chooseProgram(p.id);
        renderAll();
      });
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
    var total = 0;
    this.inputs.forEach(function (input) {
      var id = input.getAttribute("data-item");
      present[id] = true;
      var tick = ticks[id];
      input.checked = !!tick;
      input.disabled = !scope;
      var status = input.parentNode.querySelector(".item-status");
      status.hidden = true;
      status.textContent = "";
      if (tick) {
        total += Number(input.getAttribute("data-weight")) || 1;
        if (tick.h !== input.getAttribute("data-hash")) {
          markChanged(status, function () {
            setTick(self.id, scope, id, { h: input.getAttribute("data-hash"), t: plain(self.section.querySelector("label[for='" + input.id + "']")) });
            self.render();
          });
        }
      }
    });
    this.renderOrphans(ticks, present);
    this.renderScore(total);
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

  Checklist.prototype.renderScore = function (total) {
    var line = this.section.querySelector(".score-text");
    if (!line) return;
    var band = null;
    this.bands.forEach(function (b) {
      var on = total >= Number(b.getAttribute("data-min")) && total <= Number(b.getAttribute("data-max"));
      b.classList.toggle("current", on);
      if (on) band = b;
    });
    var who = this.perProgram && this.scope() ? " for " + this.programName(this.scope()) : "";
    line.textContent = "Score" + who + ": " + total + " of " + this.max + (band ? " (" + band.getAttribute("data-label") + ")" : "");
    var advice = this.section.querySelector(".band-advice");
    advice.textContent = band ? band.textContent.replace(/^[^:]*:\s*/, "") : "";
    this.section.setAttribute("data-score", String(total));
    this.section.setAttribute("data-band", band ? band.getAttribute("data-label") : "");
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
