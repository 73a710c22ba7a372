// One storage module for every interactive feature (interview sheet, checklists): values are
// namespaced per guide and schema-versioned, keyed by stable ids, never by position. When the
// browser refuses storage, values live in memory and a visible notice says they are not saved.
//
// Three promises to the reader:
// - A value written by an older version of the guide is migrated, step by step, and the old
//   value is deleted only once every migrated value is safely written.
// - A value that cannot be read (corrupted, or in a shape we never wrote) never breaks a page:
//   it is moved aside under an "unreadable" key, a notice says so, and the export keeps it.
// - Two tabs editing at once do not lose each other's changes: every change is applied to
//   the freshly read value (one item at a time, not the whole value the tab loaded), and the
//   other tab redraws when the browser tells it about the change (storage events).
(function () {
  "use strict";
  // The format of saved values. Bump it when a value changes shape, and add the step from the
  // previous version to MIGRATIONS.
  var SCHEMA = 2;
  var guide = document.documentElement.getAttribute("data-guide-id") || "guide";
  var prefix = "guidebook:" + guide + ":";
  var ASIDE = prefix + "unreadable:";
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

  // Raw access that never throws: storage can vanish mid-session (quota, privacy settings).
  function get(k) {
    try { return available ? window.localStorage.getItem(k) : null; } catch (e) { return null; }
  }
  function set(k, raw) {
    try {
      if (!available) return false;
      window.localStorage.setItem(k, raw);
      return true;
    } catch (e) {
      return false;
    }
  }
  function del(k) {
    try { if (available) window.localStorage.removeItem(k); } catch (e) { /* ignore */ }
  }
  function keys() {
    var out = [];
    try {
      for (var i = 0; available && i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(prefix) === 0) out.push(k);
      }
    } catch (e) { /* none readable */ }
    return out;
  }

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

  // Every value a reader can save, with a check of its shape (for reads and imports).
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
        return p && isMap(p.ratings || {}, function (n) { return typeof n === "number" && n >= 1 && n <= 255; }) &&
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

  function newId(n) {
    return "p" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36) + (n || "");
  }

  // Steps from each old schema version to the next: each takes that version's values by name
  // and returns the next version's. They must accept anything (values come from old builds
  // and other hands) and leave what they do not understand for the shape check to set aside.
  var MIGRATIONS = {
    // v1 → v2. The first interview sheet kept its own list of program names,
    // {questions, programs: ["Lakeside"]}; since checklists arrived, programs live only in
    // "programs" as {id, name}. Move the names there so no program is silently dropped.
    1: function (values) {
      var sheet = values.sheet;
      if (sheet && typeof sheet === "object" && Array.isArray(sheet.programs)) {
        var list = Array.isArray(values.programs) ? values.programs.slice() : [];
        sheet.programs.forEach(function (name, i) {
          if (typeof name !== "string" || !name.trim()) return;
          if (!list.some(function (p) { return p && p.name === name; })) list.push({ id: newId(i), name: name });
        });
        values.programs = list;
        values.sheet = { questions: sheet.questions || [] };
      }
      return values;
    }
  };

  function upgrade(values, from) {
    for (var v = from; v < SCHEMA; v++) values = MIGRATIONS[v](values);
    return values;
  }

  // Moves an unreadable value out of the way, once: the copy is kept (and exported), and the
  // original key `from` (default: the value's own key; null: none) is removed, so the page
  // starts afresh and the next read does not repeat this. If even the copy cannot be stored,
  // the value stays in this page's memory and in its export.
  var stranded = [];
  // Names set aside since this page loaded, so the notice names all of them, not the last.
  var setAsideNames = [];
  function setAside(name, raw, from) {
    var id = name + ":" + Date.now();
    var same = function (a) { return a.raw === raw; };
    if (stranded.some(same)) return;
    var stored = aside().some(same) || set(ASIDE + id, raw);
    if (!stored) stranded.push({ id: id, raw: raw });
    else if (from !== null) del(from === undefined ? key(name) : from);
    if (setAsideNames.indexOf(name) < 0) setAsideNames.push(name);
    notice("Some saved data (" + setAsideNames.join(", ") + ") could not be read and was set aside. " +
      "It is kept in your export on the \u201cYour saved data\u201d page.");
  }

  // The set-aside values: [{ id: "<name>:<time>", raw }].
  function aside() {
    return keys().filter(function (k) { return k.indexOf(ASIDE) === 0; }).map(function (k) {
      return { id: k.slice(ASIDE.length), raw: get(k) };
    }).concat(stranded);
  }

  function parse(name, raw) {
    try {
      var value = JSON.parse(raw);
      return SHAPES[name] && SHAPES[name](value) ? { ok: value } : null;
    } catch (e) {
      return null;
    }
  }

  function read(name, fallback) {
    var raw = available ? get(key(name)) : memory[name];
    if (raw === null || raw === undefined) return fallback;
    var parsed = parse(name, raw);
    if (!parsed) {
      setAside(name, raw);
      return fallback;
    }
    return parsed.ok;
  }

  function write(name, value) {
    var raw = JSON.stringify(value);
    memory[name] = raw;
    if (!available) return false;
    if (set(key(name), raw)) return true;
    notice("Your browser did not save your last change (storage is full or blocked). Export your data to keep it.");
    return false;
  }

  // Applies `change` to the value as stored now (not as this page loaded it), so a change made
  // meanwhile in another tab is kept. `change` edits the value in place or returns a new one.
  function update(name, fallback, change) {
    var value = read(name, fallback);
    var next = change(value);
    return write(name, next === undefined ? value : next);
  }

  // Values saved under older schema versions are migrated into this one. Old keys are removed
  // only after every migrated value is written; until then they are the backup, and the next
  // page load tries again.
  function migrate() {
    var all = keys();
    for (var from = 1; from < SCHEMA; from++) {
      var old = prefix + "v" + from + ":";
      var oldKeys = all.filter(function (k) { return k.indexOf(old) === 0; });
      if (!oldKeys.length) continue;
      var values = {};
      oldKeys.forEach(function (k) {
        var raw = get(k);
        try {
          values[k.slice(old.length)] = JSON.parse(raw);
        } catch (e) {
          setAside(k.slice(old.length), raw, k);
        }
      });
      try {
        values = upgrade(values, from);
      } catch (e) {
        notice("Your saved data from an earlier version of the guide could not be updated. It is kept as it was.");
        continue;
      }
      var written = Object.keys(values).every(function (name) {
        var raw = JSON.stringify(values[name]);
        if (!SHAPES[name] || !SHAPES[name](values[name])) {
          setAside(name, raw, null);
          return true;
        }
        // A tab of the new version may have saved already: keep both.
        var mine = read(name, undefined);
        return write(name, mine === undefined ? values[name] : merge(name, mine, values[name]));
      });
      if (written) oldKeys.forEach(function (k) { if (get(k) !== null) del(k); });
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

  // The reader's programs, shared by checklists, the comparison page and the interview sheet.
  function programs() { return read("programs", []) || []; }
  function addProgram(name) {
    var id = null;
    update("programs", [], function (list) {
      var existing = list.filter(function (p) { return p.name === name; })[0];
      if (existing) {
        id = existing.id;
        return;
      }
      id = newId();
      list.push({ id: id, name: name });
    });
    chooseProgram(id);
    persist();
    return id;
  }
  // Which program this tab is scoring is kept per tab (sessionStorage), so choosing another
  // program in a second tab does not move this tab's next tick to it. The last choice made in
  // any tab is shared, as the starting point of new tabs.
  var TAB_PROGRAM = prefix + "tab-program";
  function chooseProgram(id) {
    try { window.sessionStorage.setItem(TAB_PROGRAM, id); } catch (e) { memory[TAB_PROGRAM] = id; }
    write("current-program", id);
  }
  function currentProgram() {
    var list = programs();
    var mine = memory[TAB_PROGRAM];
    try { mine = window.sessionStorage.getItem(TAB_PROGRAM) || mine; } catch (e) { /* memory only */ }
    var shared = read("current-program", null);
    var ids = list.map(function (p) { return p.id; });
    if (ids.indexOf(mine) >= 0) return mine;
    if (ids.indexOf(shared) >= 0) return shared;
    return list.length ? list[0].id : null;
  }
  function removeProgram(id) {
    update("programs", [], function (list) { return list.filter(function (p) { return p.id !== id; }); });
    update("ticks", {}, function (ticks) { Object.keys(ticks).forEach(function (l) { delete ticks[l][id]; }); });
    update("notes", {}, function (notes) { Object.keys(notes).forEach(function (l) { delete notes[l][id]; }); });
    update("profiles", {}, function (profiles) { delete profiles[id]; });
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
    var file = { format: "guidebook-state", version: SCHEMA, guide: guide, exported: new Date().toISOString(), data: data };
    var kept = aside();
    if (kept.length) {
      file.unreadable = {};
      kept.forEach(function (a) { file.unreadable[a.id] = a.raw; });
    }
    return file;
  }

  // Checks a whole import, and brings an older export up to this schema, before anything is
  // applied. Returns { error } or { data, unreadable }.
  function check(file) {
    if (!file || file.format !== "guidebook-state") return { error: "This is not a guidebook export file." };
    if (typeof file.version !== "number" || file.version > SCHEMA) return { error: "This file was made by a newer version of the guide." };
    if (file.version < 1 || file.version % 1) return { error: "This file has an unknown version." };
    if (file.guide !== guide) return { error: "This file holds data for another guide (" + String(file.guide).slice(0, 80) + ")." };
    if (!file.data || typeof file.data !== "object" || Array.isArray(file.data)) return { error: "The file has no data." };
    if (file.unreadable !== undefined && !isMap(file.unreadable, function (raw) { return short(raw, 100000); })) {
      return { error: "The file's set-aside data is damaged." };
    }
    var names = Object.keys(file.data);
    for (var i = 0; i < names.length; i++) {
      if (!SHAPES[names[i]]) return { error: "The file holds an unknown kind of data: " + names[i].slice(0, 40) + "." };
    }
    var data;
    try {
      data = upgrade(JSON.parse(JSON.stringify(file.data)), file.version);
    } catch (e) {
      return { error: "The file could not be updated to this version of the guide." };
    }
    names = Object.keys(data);
    for (var j = 0; j < names.length; j++) {
      if (!SHAPES[names[j]](data[names[j]])) return { error: "The file's " + names[j] + " are damaged." };
    }
    return { data: data, unreadable: file.unreadable || {} };
  }
  function validate(file) { return check(file).error || null; }

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

  function notifyAll() {
    Object.keys(listeners).forEach(function (name) {
      listeners[name].forEach(function (fn) { fn(read(name)); });
    });
  }

  // Applies a validated export: "replace" swaps everything, "merge" keeps what is here and adds.
  // Set-aside values travel with the file and stay set aside.
  function importAll(file, mode) {
    var checked = check(file);
    if (checked.error) throw new Error(checked.error);
    Object.keys(SHAPES).forEach(function (name) {
      var theirs = checked.data[name];
      if (mode === "replace") {
        if (theirs === undefined) remove(name);
        else write(name, theirs);
      } else if (theirs !== undefined) {
        write(name, merge(name, read(name, undefined), theirs));
      }
    });
    var have = aside().map(function (a) { return a.raw; });
    Object.keys(checked.unreadable).forEach(function (id) {
      if (have.indexOf(checked.unreadable[id]) < 0) set(ASIDE + id, checked.unreadable[id]);
    });
    notifyAll();
  }

  function remove(name) {
    delete memory[name];
    del(key(name));
  }

  // Everything this guide saved here: current values, set-aside ones, any left from old versions.
  function clearAll() {
    Object.keys(SHAPES).forEach(remove);
    keys().forEach(del);
    try { window.sessionStorage.removeItem(TAB_PROGRAM); } catch (e) { /* ignore */ }
    notifyAll();
  }

  if (!available) {
    notice("This browser is not letting the guide save anything (private mode or blocked storage). Your changes last only until you close this page.");
  }
  migrate();

  window.GuidebookStore = {
    guide: guide,
    schema: SCHEMA,
    available: available,
    read: read,
    write: write,
    update: update,
    subscribe: subscribe,
    persist: persist,
    notice: notice,
    onTextSubmit: onTextSubmit,
    download: download,
    programs: programs,
    addProgram: addProgram,
    chooseProgram: chooseProgram,
    currentProgram: currentProgram,
    removeProgram: removeProgram,
    unreadable: aside,
    exportAll: exportAll,
    validate: validate,
    importAll: importAll,
    clearAll: clearAll
  };
})();
