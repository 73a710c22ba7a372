// One storage module for every interactive feature (the question sheet, checklists, comparison):
// values are namespaced per guide and schema-versioned, keyed by stable ids, never by position.
//
// Promises to the reader:
// - No change is lost silently. Every write is read back; when the browser refuses one (storage
//   full, private mode, blocked), the change stays on the page and in memory, a notice says it
//   was not saved and offers the export, which contains it. Refused writes are retried on the
//   next change and whenever another tab frees space.
// - Two tabs merge per item, always. Each item is its own localStorage key: one tick, one note
//   (a checklist's notes for one program), one rating or figure, one program, one question on
//   the sheet. A change writes only the keys it changed, so two tabs changing different items
//   at once both keep theirs (the union), whatever each had drawn. For one item changed in two
//   tabs at once the last write wins: the browser orders writes to a key, that order is the
//   clock. So notes typed at once in two tabs keep every character; the same note typed in
//   both at once keeps the last keystroke's text.
// - Keys never collide between guides: "guidebook/<id>/..." where the build allows only
//   letters, digits and hyphens in <id>, so no guide's keys start with another's.
// - Values from an older version (or the older layout, one key per whole value,
//   "guidebook:<id>:v<n>:<name>") are migrated; the old key is deleted only once every value
//   taken from it is stored. A value that cannot be read is moved aside (kept, exported) and
//   its key deleted only once the copy is stored.
(function () {
  "use strict";
  // The format of saved values (what `read` returns and exports carry). Bump it when a value
  // changes shape, and add the step from the previous version to MIGRATIONS.
  var SCHEMA = 2;
  var guide = document.documentElement.getAttribute("data-guide-id") || "guide";
  var ROOT = "guidebook/" + guide + "/";
  var LIVE = ROOT + "v" + SCHEMA + "/";
  var ASIDE = ROOT + "unreadable/";
  // The layout before ids were checked: one key per whole value.
  var OLD = "guidebook:" + guide + ":";
  var OLD_KEY = /^(?:v(\d+):([a-z-]+)|unreadable:([a-z-]+:\d+))$/;
  var listeners = Object.create(null);
  // Changes the browser refused to store, by key (raw JSON, or null for a removal). Reads show
  // them, the export contains them, every commit retries them.
  var pending = Object.create(null);
  // Old-layout keys waiting for the values taken from them to be stored: [{ keys, leaves }].
  var moving = [];

  // How each value is split into keys: a map `depth` levels deep (one key per leaf), an
  // ordered list of {id} (one key per element, with its place), or a single key.
  var LAYOUT = {
    ticks: { depth: 3 },       // list / scope (program or "single") / item
    notes: { depth: 2 },       // list / scope
    profiles: { depth: 3 },    // program / ratings|figures / name
    programs: { list: "p" },
    sheet: { list: "q", field: "questions" },
    "current-program": { depth: 0 }
  };

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function dict() { return Object.create(null); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  // JSON whose objects have no prototype: "__proto__", "constructor" and "prototype" are keys
  // like any other, so no value the reader imports can change how the page's objects behave.
  function parseJSON(text) {
    return JSON.parse(text, function (k, v) {
      if (!isObject(v)) return v;
      var out = dict();
      Object.keys(v).forEach(function (key) { out[key] = v[key]; });
      return out;
    });
  }
  function clone(v) { return v === undefined ? v : parseJSON(JSON.stringify(v)); }

  function readable() {
    try { return !!window.localStorage && window.localStorage.length >= 0; } catch (e) { return false; }
  }
  var available = readable();

  // Raw access that never throws; writes are read back, so a write that "succeeded" but did
  // not stick counts as refused.
  function get(k) {
    try { return available ? window.localStorage.getItem(k) : null; } catch (e) { return null; }
  }
  function set(k, raw) {
    try {
      if (!available) return false;
      window.localStorage.setItem(k, raw);
      return window.localStorage.getItem(k) === raw;
    } catch (e) {
      return false;
    }
  }
  function del(k) {
    try {
      if (!available) return false;
      window.localStorage.removeItem(k);
      return window.localStorage.getItem(k) === null;
    } catch (e) {
      return false;
    }
  }
  function storedKeys() {
    var out = [];
    try {
      for (var i = 0; available && i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k !== null) out.push(k);
      }
    } catch (e) { /* none readable */ }
    return out;
  }
  function ownKeys() { return storedKeys().filter(function (k) { return k.indexOf(ROOT) === 0; }); }
  // This guide's keys in the old layout. Matched whole: a guide "ir" must not take the keys of
  // a guide once called "ir:2025" ("guidebook:ir:2025:v2:ticks").
  function oldKeys() {
    return storedKeys().filter(function (k) { return k.indexOf(OLD) === 0 && OLD_KEY.test(k.slice(OLD.length)); });
  }

  var noticeState = { text: "", offerExport: false };
  function notice(text, offerExport) {
    noticeState = { text: text, offerExport: !!offerExport };
    var show = function () {
      var el = document.querySelector(".storage-notice");
      if (!el) return;
      el.textContent = noticeState.text;
      if (noticeState.offerExport) {
        var b = window.GuidebookDom.button("Download my data", null, downloadExport);
        b.classList.add("storage-export");
        el.appendChild(document.createTextNode(" "));
        el.appendChild(b);
      }
      el.hidden = !noticeState.text;
    };
    window.GuidebookDom.ready(show);
  }
  var UNSAVED = "Your browser did not save your last change (its storage is full or blocked). " +
    "It stays on this page until you close it: download your data to keep it.";
  function warnUnsaved() { notice(UNSAVED, true); }

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
  var NAMES = Object.keys(SHAPES);
  function short(s, max) { return typeof s === "string" && s.length <= max; }
  function isMap(v, each) {
    return isObject(v) && Object.keys(v).every(function (k) { return k.length <= 200 && each(v[k]); });
  }

  function newId(n) {
    return "p" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36) + (n || "");
  }

  // Steps from each old schema version to the next: each takes that version's values by name
  // and returns the next version's. They must accept anything (values come from old builds
  // and other hands) and leave what they do not understand for the shape check to set aside.
  var MIGRATIONS = {
    // v1 → v2. The first question sheet kept its own list of program names,
    // {questions, programs: ["Lakeside"]}; since checklists arrived, programs live only in
    // "programs" as {id, name}. Move the names there so no program is silently dropped.
    1: function (values) {
      var sheet = values.sheet;
      if (isObject(sheet) && Array.isArray(sheet.programs)) {
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

  // ---- Values split into keys ----

  function leafKey(name, parts) {
    return LIVE + name + parts.map(function (p) { return "/" + encodeURIComponent(p); }).join("");
  }
  function leafParts(name, k) {
    var base = LIVE + name;
    if (k === base) return [];
    if (k.indexOf(base + "/") !== 0) return null;
    try {
      return k.slice(base.length + 1).split("/").map(decodeURIComponent);
    } catch (e) {
      return null;
    }
  }

  // A value as keys: { key: raw JSON }. A list's elements keep the place they had (`places`,
  // by id) while their order holds; moved or new ones get a place after the one before them.
  function toLeaves(name, value, places) {
    var out = dict();
    if (value === undefined || value === null) return out;
    var layout = LAYOUT[name];
    if (layout.list) {
      var items = layout.field ? value[layout.field] : value;
      var last = -Infinity;
      var top = Object.keys(places).reduce(function (m, id) { return Math.max(m, places[id]); }, 0);
      items.forEach(function (item) {
        var k = leafKey(name, [item.id]);
        if (k in out) return;
        var o = places[item.id];
        if (!(typeof o === "number" && o > last)) o = Math.max(last, top) + 1;
        last = o;
        top = Math.max(top, o);
        var leaf = { o: o };
        leaf[layout.list] = item;
        out[k] = JSON.stringify(leaf);
      });
      return out;
    }
    (function walk(v, depth, parts) {
      if (depth > 0 && isObject(v)) {
        Object.keys(v).forEach(function (k) { walk(v[k], depth - 1, parts.concat(k)); });
      } else if (v !== undefined) {
        out[leafKey(name, parts)] = JSON.stringify(v);
      }
    })(value, layout.depth, []);
    return out;
  }

  // One stored key as the smallest whole value holding it, for the shape check.
  function wrap(name, parts, leaf) {
    var layout = LAYOUT[name];
    if (layout.list) {
      if (!isObject(leaf) || typeof leaf.o !== "number" || parts.length !== 1) return undefined;
      var item = leaf[layout.list];
      if (!isObject(item) || item.id !== parts[0]) return undefined;
      if (!layout.field) return [item];
      var whole = dict();
      whole[layout.field] = [item];
      return whole;
    }
    if (parts.length > layout.depth) return undefined;
    for (var i = parts.length - 1; i >= 0; i--) {
      var level = dict();
      level[parts[i]] = leaf;
      leaf = level;
    }
    return leaf;
  }

  // Set-aside values that could not be stored: [{ id, raw, from }]; `from` is the key the
  // value still sits in (reads skip it, writes to it wait until the copy is stored).
  var stranded = [];
  var setAsideNames = [];
  function aside() {
    var kept = [];
    var seen = dict();
    var add = function (id, raw) {
      if (raw === null || seen[raw]) return;
      seen[raw] = true;
      kept.push({ id: id, raw: raw });
    };
    storedKeys().forEach(function (k) {
      if (k.indexOf(ASIDE) === 0) {
        try { add(decodeURIComponent(k.slice(ASIDE.length)), get(k)); } catch (e) { add(k.slice(ASIDE.length), get(k)); }
      }
    });
    oldKeys().forEach(function (k) {
      var m = OLD_KEY.exec(k.slice(OLD.length));
      if (m[3]) add(m[3], get(k));
    });
    stranded.forEach(function (s) { add(s.id, s.raw); });
    return kept;
  }
  // Stores a set-aside copy, unless one is stored already (in today's layout: a copy in an old
  // key is what is being moved). Returns whether a copy is stored.
  function storeAside(id, raw) {
    var stored = storedKeys().some(function (k) { return k.indexOf(ASIDE) === 0 && get(k) === raw; });
    return stored || set(ASIDE + encodeURIComponent(id), raw);
  }
  // Moves an unreadable value out of the way: a copy is stored aside (and exported), then the
  // key `from` is deleted, so the page starts that item afresh. If the copy cannot be stored,
  // the value stays where it is and in this page's export. Returns whether the copy is stored.
  function setAside(name, raw, from) {
    var known = stranded.filter(function (s) { return s.raw === raw; })[0];
    if (known) return false;
    var id = name + ":" + Date.now();
    var stored = storeAside(id, raw);
    if (!stored) stranded.push({ id: id, raw: raw, from: from });
    else if (from) del(from);
    if (setAsideNames.indexOf(name) < 0) setAsideNames.push(name);
    setAsideNames.sort();
    notice("Some saved data (" + setAsideNames.join(", ") + ") could not be read and was set aside. " +
      "It is kept in your export on the \u201cYour saved data\u201d page.", !stored);
    return stored;
  }
  function blockedBy(k) { return stranded.some(function (s) { return s.from === k; }); }

  // The keys of one value as this page knows them: stored, with refused changes on top.
  function rawLeaves(name) {
    var out = dict();
    storedKeys().forEach(function (k) {
      if (leafParts(name, k) && !blockedBy(k)) out[k] = get(k);
    });
    Object.keys(pending).forEach(function (k) {
      if (!leafParts(name, k)) return;
      if (pending[k] === null) delete out[k];
      else out[k] = pending[k];
    });
    return out;
  }

  // Reads one value: { value, leaves (the readable keys), places (a list's ids to places) }.
  function load(name) {
    var layout = LAYOUT[name];
    var raws = rawLeaves(name);
    var leaves = dict();
    var places = dict();
    var found = [];
    Object.keys(raws).forEach(function (k) {
      var parts = leafParts(name, k);
      var leaf;
      try { leaf = parseJSON(raws[k]); } catch (e) { leaf = undefined; }
      var whole = leaf === undefined ? undefined : wrap(name, parts, leaf);
      if (whole === undefined || !SHAPES[name](whole)) {
        setAside(name, raws[k], has(pending, k) ? null : k);
        return;
      }
      leaves[k] = raws[k];
      found.push({ parts: parts, leaf: leaf });
    });
    var value;
    if (layout.list) {
      var items = found.map(function (f) { places[f.parts[0]] = f.leaf.o; return f.leaf; });
      items.sort(function (a, b) {
        var x = a[layout.list].id, y = b[layout.list].id;
        return a.o - b.o || (x < y ? -1 : x > y ? 1 : 0);
      });
      var list = items.map(function (f) { return f[layout.list]; });
      if (layout.field) {
        value = found.length ? dict() : undefined;
        if (value) value[layout.field] = list;
      } else {
        value = found.length ? list : undefined;
      }
    } else if (layout.depth === 0) {
      value = found.length ? found[0].leaf : undefined;
    } else if (found.length) {
      value = dict();
      found.forEach(function (f) {
        var at = value;
        f.parts.forEach(function (p, i) {
          if (i === f.parts.length - 1) at[p] = f.leaf;
          else at = isObject(at[p]) ? at[p] : (at[p] = dict());
        });
      });
    }
    return { value: value, leaves: leaves, places: places };
  }

  function read(name, fallback) {
    if (!has(LAYOUT, name)) return fallback;
    var v = load(name).value;
    return v === undefined ? fallback : v;
  }

  // The key changes that turn `before` (loaded) into `next`: { key: raw, or null to remove }.
  function changesTo(name, before, next) {
    var after = toLeaves(name, next, before.places);
    var changes = dict();
    Object.keys(before.leaves).forEach(function (k) { if (!(k in after)) changes[k] = null; });
    Object.keys(after).forEach(function (k) { if (before.leaves[k] !== after[k]) changes[k] = after[k]; });
    return changes;
  }

  // Stores one key, or holds it in `pending` when the browser refuses.
  function put(k, raw) {
    var ok = !blockedBy(k) && (raw === null ? del(k) : set(k, raw));
    if (ok) delete pending[k];
    else pending[k] = raw;
    return ok;
  }

  // Retries what the browser refused before: set-aside copies first, then pending changes,
  // then deletes old-layout keys whose values are all stored now.
  function flush() {
    stranded = stranded.filter(function (s) {
      if (!set(ASIDE + encodeURIComponent(s.id), s.raw)) return true;
      if (s.from) del(s.from);
      return false;
    });
    var before = Object.keys(pending).length;
    Object.keys(pending).forEach(function (k) { put(k, pending[k]); });
    moving = moving.filter(function (m) {
      if (m.leaves.some(function (k) { return has(pending, k); }) || m.asides.some(function (raw) {
        return stranded.some(function (s) { return s.raw === raw; });
      })) return true;
      m.keys.forEach(del);
      return false;
    });
    if (before && !Object.keys(pending).length && !stranded.length && noticeState.text === UNSAVED) {
      notice("Your changes are saved again.", false);
    }
  }

  function commit(changes) {
    flush();
    var ok = true;
    Object.keys(changes).forEach(function (k) { if (!put(k, changes[k])) ok = false; });
    if (!ok) warnUnsaved();
    return ok;
  }

  function write(name, value) {
    return commit(changesTo(name, load(name), value));
  }

  // Applies `change` to the value as stored now and writes only the keys it changed, so a
  // change another tab made meanwhile to any other item is kept. `change` edits the value in
  // place or returns a new one. Returns whether the change is stored.
  function update(name, fallback, change) {
    var before = load(name);
    var value = clone(before.value === undefined ? fallback : before.value);
    var next = change(value);
    return commit(changesTo(name, before, next === undefined ? value : next));
  }

  // Values saved in the old layout (or under older schema versions) are migrated into this
  // one: each is upgraded, merged with what a newer tab may have saved already, and written
  // key by key. An old key is deleted only once every value taken from it is stored; until
  // then the page shows (and exports) the values from memory, and the next load tries again.
  function migrate() {
    var groups = dict();
    oldKeys().forEach(function (k) {
      var m = OLD_KEY.exec(k.slice(OLD.length));
      if (m[3]) {
        if (storeAside(m[3], get(k))) del(k);
        return;
      }
      if (Number(m[1]) > SCHEMA) return; // written by a newer guide: leave it
      (groups[m[1]] = groups[m[1]] || []).push({ key: k, name: m[2] });
    });
    var failed = false;
    Object.keys(groups).sort(function (a, b) { return a - b; }).forEach(function (from) {
      var values = dict();
      var raws = dict();
      var asides = [];
      var blocked = false;
      groups[from].forEach(function (g) {
        var raw = get(g.key);
        try {
          values[g.name] = parseJSON(raw);
          raws[g.name] = raw;
        } catch (e) {
          asides.push(raw);
          if (!setAside(g.name, raw, null)) blocked = true;
        }
      });
      try {
        values = upgrade(values, Number(from));
      } catch (e) {
        notice("Your saved data from an earlier version of the guide could not be updated. It is kept as it was.");
        return;
      }
      var changes = dict();
      Object.keys(values).forEach(function (name) {
        var v = values[name];
        if (!has(SHAPES, name) || !SHAPES[name](v)) {
          // Kept as it was stored, unless a migration step made it.
          var raw = has(raws, name) && JSON.stringify(parseJSON(raws[name])) === JSON.stringify(v) ? raws[name] : JSON.stringify(v);
          asides.push(raw);
          if (!setAside(name, raw, null)) blocked = true;
          return;
        }
        // A tab of the new version may have saved already: keep both, its items first.
        var mine = load(name);
        var merged = mine.value === undefined ? v : merge(name, mine.value, v);
        var c = changesTo(name, mine, merged);
        Object.keys(c).forEach(function (k) { changes[k] = c[k]; });
      });
      if (!commitQuietly(changes)) failed = true;
      moving.push({ keys: groups[from].map(function (g) { return g.key; }), leaves: Object.keys(changes), asides: blocked ? asides : [] });
    });
    flush();
    if (failed) {
      notice("Your saved data could not be moved to this version of the guide because the browser's storage is full. " +
        "It is shown here and kept as it was; download your data to keep a copy.", true);
    }
  }
  function commitQuietly(changes) {
    var ok = true;
    Object.keys(changes).forEach(function (k) { if (!put(k, changes[k])) ok = false; });
    return ok;
  }

  // Another tab changed a value: retry refused writes (it may have freed space) and tell this
  // page's features so they redraw.
  window.addEventListener("storage", function (e) {
    if (e.storageArea && e.storageArea !== window.localStorage) return;
    flush();
    if (e.key === null) return notifyAll();
    if (e.key.indexOf(LIVE) !== 0) return;
    var name = e.key.slice(LIVE.length).split("/")[0];
    if (has(LAYOUT, name)) notify(name);
  });

  function subscribe(name, fn) {
    (listeners[name] = listeners[name] || []).push(fn);
  }
  function notify(name) {
    (listeners[name] || []).forEach(function (fn) { fn(read(name)); });
  }
  function notifyAll() { Object.keys(listeners).forEach(notify); }

  // Ask the browser not to evict our data (Safari may clear script-written storage).
  function persist() {
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(function () {});
    }
  }
  // Whether the browser granted that: a promise of true, false, or null (cannot tell).
  function persisted() {
    if (!navigator.storage || !navigator.storage.persisted) return Promise.resolve(null);
    return navigator.storage.persisted().catch(function () { return null; });
  }
  // Bytes this guide's saved data takes (browsers count keys and values as UTF-16).
  function usage() {
    return ownKeys().concat(oldKeys()).reduce(function (n, k) { return n + 2 * (k.length + (get(k) || "").length); }, 0);
  }

  // The reader's programs, shared by checklists, the comparison page and the question sheet.
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
  var TAB_PROGRAM = ROOT + "tab-program";
  var tabProgram = null;
  function chooseProgram(id) {
    tabProgram = id;
    try { window.sessionStorage.setItem(TAB_PROGRAM, id); } catch (e) { /* memory only */ }
    write("current-program", id);
  }
  function currentProgram() {
    var list = programs();
    var mine = tabProgram;
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
  function downloadExport() {
    download(guide + "-my-data.json", "application/json", JSON.stringify(exportAll(), null, 2));
  }

  // Everything this page knows, including changes the browser refused to store.
  function exportAll() {
    var data = dict();
    NAMES.forEach(function (name) {
      var v = read(name, undefined);
      if (v !== undefined) data[name] = v;
    });
    var file = { format: "guidebook-state", version: SCHEMA, guide: guide, exported: new Date().toISOString(), data: data };
    var kept = aside();
    if (kept.length) {
      file.unreadable = dict();
      kept.forEach(function (a) { file.unreadable[a.id] = a.raw; });
    }
    return file;
  }

  // Checks a whole import, and brings an older export up to this schema, before anything is
  // applied. Returns { error } or { data, unreadable }.
  function check(file) {
    if (!isObject(file) || file.format !== "guidebook-state") return { error: "This is not a guidebook export file." };
    if (typeof file.version !== "number" || file.version > SCHEMA) return { error: "This file was made by a newer version of the guide." };
    if (file.version < 1 || file.version % 1) return { error: "This file has an unknown version." };
    if (file.guide !== guide) return { error: "This file holds data for another guide (" + String(file.guide).slice(0, 80) + ")." };
    if (!isObject(file.data)) return { error: "The file has no data." };
    if (file.unreadable !== undefined && !isMap(file.unreadable, function (raw) { return short(raw, 100000); })) {
      return { error: "The file's set-aside data is damaged." };
    }
    var names = Object.keys(file.data);
    for (var i = 0; i < names.length; i++) {
      if (!has(SHAPES, names[i])) return { error: "The file holds an unknown kind of data: " + names[i].slice(0, 40) + "." };
    }
    var data;
    try {
      data = upgrade(clone(file.data), file.version);
    } catch (e) {
      return { error: "The file could not be updated to this version of the guide." };
    }
    names = Object.keys(data);
    for (var j = 0; j < names.length; j++) {
      if (!has(SHAPES, names[j]) || !SHAPES[names[j]](data[names[j]])) return { error: "The file's " + names[j] + " are damaged." };
    }
    return { data: data, unreadable: file.unreadable || dict() };
  }
  function validate(file) { return check(clone(file)).error || null; }

  function merge(name, mine, theirs) {
    if (mine === undefined || mine === null) return theirs;
    if (name === "programs") {
      var ids = mine.map(function (p) { return p.id; });
      return mine.concat(theirs.filter(function (p) { return ids.indexOf(p.id) < 0; }));
    }
    if (name === "sheet") {
      var have = mine.questions.map(function (q) { return q.id; });
      var out = dict();
      out.questions = mine.questions.concat(theirs.questions.filter(function (q) { return have.indexOf(q.id) < 0; }));
      return out;
    }
    if (name === "current-program") return mine;
    var merged = clone(mine);
    (function deep(a, b) {
      Object.keys(b).forEach(function (k) {
        if (isObject(a[k]) && isObject(b[k])) deep(a[k], b[k]);
        else if (a[k] === undefined || a[k] === "") a[k] = b[k];
      });
    })(merged, clone(theirs));
    return merged;
  }

  // Applies a validated export as one transaction: the new state is computed first, then
  // written key by key with the previous values kept as a backup; if the browser refuses any
  // write, every key gets its previous value back, exactly, and this throws. "replace" swaps
  // everything, "merge" keeps what is here and adds. Set-aside values travel with the file and
  // stay set aside.
  function importAll(file, mode) {
    var checked = check(clone(file));
    if (checked.error) throw new Error(checked.error);
    var target = dict();
    NAMES.forEach(function (name) {
      var theirs = checked.data[name];
      var now = load(name);
      var value = mode === "replace" ? theirs : theirs === undefined ? now.value : merge(name, now.value, theirs);
      var leaves = toLeaves(name, value, now.places);
      Object.keys(leaves).forEach(function (k) { target[k] = leaves[k]; });
    });
    var changes = dict();
    // Removals first, so the space they free is there for the writes.
    ownKeys().forEach(function (k) {
      if (k.indexOf(LIVE) === 0 && !(k in target) && !blockedBy(k)) changes[k] = null;
    });
    // Values still waiting in the old layout would come back on the next load.
    if (mode === "replace") {
      oldKeys().forEach(function (k) { if (!OLD_KEY.exec(k.slice(OLD.length))[3]) changes[k] = null; });
    }
    Object.keys(target).forEach(function (k) { if (get(k) !== target[k]) changes[k] = target[k]; });
    var have = aside().map(function (a) { return a.raw; });
    Object.keys(checked.unreadable).forEach(function (id) {
      var raw = checked.unreadable[id];
      if (have.indexOf(raw) < 0) changes[ASIDE + encodeURIComponent(id)] = raw;
    });
    if (!available) {
      Object.keys(changes).forEach(function (k) { pending[k] = changes[k]; });
    } else {
      transact(changes);
      Object.keys(pending).forEach(function (k) { if (k.indexOf(LIVE) === 0) delete pending[k]; });
      if (mode === "replace") moving = [];
    }
    notifyAll();
  }

  // Writes every change or none: on a refusal, puts back each key written so far (in reverse,
  // so what was added is gone before what was removed returns) and throws.
  function transact(changes) {
    var done = [];
    var keys = Object.keys(changes);
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      var backup = get(k);
      var ok = changes[k] === null ? del(k) : set(k, changes[k]);
      if (!ok) {
        if (backup === null) del(k);
        else set(k, backup);
        for (var j = done.length - 1; j >= 0; j--) {
          if (done[j].backup === null) del(done[j].key);
          else set(done[j].key, done[j].backup);
        }
        var err = new Error("this browser's storage has no room for the file (it is full, or the file is too large).");
        err.storage = true;
        throw err;
      }
      done.push({ key: k, backup: backup });
    }
  }

  // An export file's text: parsed so its keys stay data, then imported.
  function importText(text, mode) {
    var file;
    try {
      file = parseJSON(text);
    } catch (e) {
      var err = new Error("the file is not valid JSON.");
      err.json = true;
      throw err;
    }
    importAll(file, mode);
  }

  // Everything this guide saved here: current values, set-aside ones, any left from old
  // layouts and versions. Only this guide's keys: "guidebook/<id>/" is no other guide's prefix.
  function clearAll() {
    ownKeys().concat(oldKeys()).forEach(del);
    pending = dict();
    stranded = [];
    moving = [];
    tabProgram = null;
    try { window.sessionStorage.removeItem(TAB_PROGRAM); } catch (e) { /* ignore */ }
    notifyAll();
  }

  if (!available) {
    notice("This browser is not letting the guide save anything (private mode or blocked storage). " +
      "Your changes last only until you close this page: download your data to keep them.", true);
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
    persisted: persisted,
    usage: usage,
    unsaved: function () { return Object.keys(pending).length; },
    notice: notice,
    onTextSubmit: onTextSubmit,
    download: download,
    downloadExport: downloadExport,
    programs: programs,
    addProgram: addProgram,
    chooseProgram: chooseProgram,
    currentProgram: currentProgram,
    removeProgram: removeProgram,
    unreadable: aside,
    exportAll: exportAll,
    validate: validate,
    importAll: importAll,
    importText: importText,
    clearAll: clearAll
  };
})();
