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
    notice: notice
  };
})();
