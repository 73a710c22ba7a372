// One storage module for every interactive feature (interview sheet, checklists): values are
// namespaced per guide and schema-versioned, keyed by stable ids, never by position. When the
// browser refuses storage, values live in memory and a visible notice says they are not saved.
(function () {
  "use strict";
  var SCHEMA = 1;
  var guide = document.documentElement.getAttribute("data-guide-id") || "guide";
  var prefix = "guidebook:" + guide + ":";
  var memory = {};
  var listeners = {};

  function key(name) {
    return prefix + "v" + SCHEMA + ":" + name;
  }

  function probe() {
    try {
      var k = prefix + "probe";
      window.localStorage.setItem(k, "1");
      window.localStorage.removeItem(k);
      return true;
    } catch (e) {
      return false;
    }
  }
  var available = probe();

  function notice(text) {
    var show = function () {
      var el = document.querySelector(".storage-notice");
      if (el) {
        el.textContent = text;
        el.hidden = false;
      }
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
    else show();
  }

  // An unreadable value is kept under another key (never deleted), so it can still be exported.
  function setAside(name, raw) {
    try {
      window.localStorage.setItem(prefix + "unreadable:" + name + ":" + Date.now(), raw);
    } catch (e) { /* nothing more we can do */ }
    notice("Some saved data could not be read and was set aside; export your data to keep a copy.");
  }

  function read(name, fallback) {
    var raw = null;
    try {
      raw = available ? window.localStorage.getItem(key(name)) : memory[name];
    } catch (e) {
      raw = memory[name];
    }
    if (raw === null || raw === undefined) return fallback;
    try {
      return JSON.parse(raw);
    } catch (e) {
      setAside(name, raw);
      return fallback;
    }
  }

  function write(name, value) {
    var raw = JSON.stringify(value);
    memory[name] = raw;
    if (!available) return false;
    try {
      window.localStorage.setItem(key(name), raw);
      return true;
    } catch (e) {
      notice("Your browser did not save your last change (storage is full or blocked). Export your data to keep it.");
      return false;
    }
  }

  // Another tab changed a value: tell this page's features so they redraw.
  window.addEventListener("storage", function (e) {
    if (!e.key || e.key.indexOf(prefix + "v" + SCHEMA + ":") !== 0) return;
    var name = e.key.slice((prefix + "v" + SCHEMA + ":").length);
    (listeners[name] || []).forEach(function (fn) { fn(read(name)); });
  });

  function subscribe(name, fn) {
    (listeners[name] = listeners[name] || []).push(fn);
  }

  // Ask the browser not to evict our data (Safari may clear script-written storage).
  function persist() {
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(function () {});
    }
  }

  // Every value a reader can save, with a check of its shape for imports.
  var SHAPES = {
    programs: function (v) {
      return Array.isArray(v) && v.every(function (p) { return p && short(p.id, 64) && short(p.name, 200); });
    },
    "current-program": function (v) { return short(v, 64); },
    ticks: function (v) {
      return isMap(v, function (scopes) {
        return isMap(scopes, function (items) {
          return isMap(items, function (tick) { return tick && short(tick.h, 16) && short(tick.t || "", 2000); });
        });
      });
    },
    notes: function (v) { return isMap(v, function (byProgram) { return isMap(byProgram, function (n) { return short(n, 20000); }); }); },
    profiles: function (v) {
      return isMap(v, function (p) {
        return p && isMap(p.ratings || {}, function (n) { return typeof n === "number" && n >= 1 && n <= 10; }) &&
          isMap(p.figures || {}, function (f) { return short(String(f), 200); });
      });
    },
    sheet: function (v) {
      return v && Array.isArray(v.questions) && v.questions.every(function (q) {
        return q && short(q.id, 64) && short(q.t || "", 2000);
      });
    }
  };
  function short(s, max) { return typeof s === "string" && s.length <= max; }
  function isMap(v, each) {
    return v !== null && typeof v === "object" && !Array.isArray(v) &&
      Object.keys(v).every(function (k) { return k.length <= 200 && each(v[k]); });
  }

  // The reader's programs, shared by checklists, the comparison page and the interview sheet.
  function programs() { return read("programs", []) || []; }
  function addProgram(name) {
    var list = programs();
    var existing = list.filter(function (p) { return p.name === name; })[0];
    if (existing) return existing.id;
    var id = "p" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
    list.push({ id: id, name: name });
    write("programs", list);
    write("current-program", id);
    persist();
    return id;
  }
  function currentProgram() {
    var list = programs();
    var id = read("current-program", null);
    if (list.some(function (p) { return p.id === id; })) return id;
    return list.length ? list[0].id : null;
  }

  // A one-field form (add a program, add a question): calls onText with the trimmed text,
  // then empties the field. Empty submissions are ignored.
  function onTextSubmit(form, onText) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = form.querySelector("input[type=text]");
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      onText(text);
    });
  }

  // Downloads `text` as a file (works from file:// too).
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function exportAll() {
    var data = {};
    Object.keys(SHAPES).forEach(function (name) {
      var v = read(name, undefined);
      if (v !== undefined) data[name] = v;
    });
    return { format: "guidebook-state", version: SCHEMA, guide: guide, exported: new Date().toISOString(), data: data };
  }

  // Checks a whole import before anything is applied; returns an error message or null.
  function validate(file) {
    if (!file || file.format !== "guidebook-state") return "This is not a guidebook export file.";
    if (typeof file.version !== "number" || file.version > SCHEMA) return "This file was made by a newer version of the guide.";
    if (file.guide !== guide) return "This file holds data for another guide (" + String(file.guide).slice(0, 80) + ").";
    if (!file.data || typeof file.data !== "object") return "The file has no data.";
    var names = Object.keys(file.data);
    for (var i = 0; i < names.length; i++) {
      if (!SHAPES[names[i]]) return "The file holds an unknown kind of data: " + names[i].slice(0, 40) + ".";
      if (!SHAPES[names[i]](file.data[names[i]])) return "The file's " + names[i] + " are damaged.";
    }
    return null;
  }

  function merge(name, mine, theirs) {
    if (mine === undefined || mine === null) return theirs;
    if (name === "programs") {
      var ids = mine.map(function (p) { return p.id; });
      return mine.concat(theirs.filter(function (p) { return ids.indexOf(p.id) < 0; }));
    }
    if (name === "sheet") {
      var have = mine.questions.map(function (q) { return q.id; });
      return { questions: mine.questions.concat(theirs.questions.filter(function (q) { return have.indexOf(q.id) < 0; })) };
    }
    if (name === "current-program") return mine;
    var out = JSON.parse(JSON.stringify(mine));
    (function deep(a, b) {
      Object.keys(b).forEach(function (k) {
        if (a[k] && typeof a[k] === "object" && typeof b[k] === "object" && !Array.isArray(b[k])) deep(a[k], b[k]);
        else if (a[k] === undefined || a[k] === "") a[k] = b[k];
      });
    })(out, theirs);
    return out;
  }

  // Applies a validated export: "replace" swaps everything, "merge" keeps what is here and adds.
  function importAll(file, mode) {
    var problem = validate(file);
    if (problem) throw new Error(problem);
    Object.keys(SHAPES).forEach(function (name) {
      var theirs = file.data[name];
      if (mode === "replace") {
        if (theirs === undefined) remove(name);
        else write(name, theirs);
      } else if (theirs !== undefined) {
        write(name, merge(name, read(name, undefined), theirs));
      }
    });
    Object.keys(listeners).forEach(function (name) {
      listeners[name].forEach(function (fn) { fn(read(name)); });
    });
  }

  function remove(name) {
    delete memory[name];
    try { if (available) window.localStorage.removeItem(key(name)); } catch (e) { /* ignore */ }
  }

  function clearAll() {
    Object.keys(SHAPES).forEach(remove);
    Object.keys(listeners).forEach(function (name) {
      listeners[name].forEach(function (fn) { fn(undefined); });
    });
  }

  if (!available) {
    notice("This browser is not letting the guide save anything (private mode or blocked storage). Your changes last only until you close this page.");
  }

  window.GuidebookStore = {
    guide: guide,
    schema: SCHEMA,
    available: available,
    read: read,
    write: write,
    subscribe: subscribe,
    persist: persist,
    notice: notice,
    onTextSubmit: onTextSubmit,
    download: download,
    programs: programs,
    addProgram: addProgram,
    currentProgram: currentProgram,
    exportAll: exportAll,
    validate: validate,
    importAll: importAll,
    clearAll: clearAll
  };
})();
