// "Your saved data": export to a file, import it back (validated before anything changes;
// merge or replace), and clear everything after confirmation.
(function () {
  "use strict";
  var store = window.GuidebookStore;

  function summary() {
    var data = store.exportAll().data;
    var ticks = 0;
    Object.keys(data.ticks || {}).forEach(function (l) {
      Object.keys(data.ticks[l]).forEach(function (s) {
        ticks += Object.keys(data.ticks[l][s]).length;
      });
    });
    var programs = (data.programs || []).length;
    var questions = ((data.sheet || {}).questions || []).length;
    return "Saved here: " + programs + " program" + (programs === 1 ? "" : "s") + ", " + ticks + " tick" +
      (ticks === 1 ? "" : "s") + ", " + questions + " question" + (questions === 1 ? "" : "s") + " on your sheet." +
      (store.available ? "" : " (This browser is not saving: export before you leave.)") + unsaved() + unreadable();
  }

  // Changes the browser refused to store are in this page only.
  function unsaved() {
    var n = store.available ? store.unsaved() : 0;
    return n ? " " + n + " change" + (n === 1 ? " is" : "s are") + " not saved (the browser's storage is full): export before you leave." : "";
  }

  // Values that could not be read are not shown anywhere, but the export keeps them.
  function unreadable() {
    var n = store.unreadable().length;
    return n ? " " + n + " saved value" + (n === 1 ? "" : "s") + " could not be read and " + (n === 1 ? "is" : "are") +
      " kept aside; your export includes " + (n === 1 ? "it" : "them") + "." : "";
  }

  // How much is stored, and whether the browser promised to keep it: a reader whose browser
  // may clear it (Safari does, after weeks unused) knows to export.
  function showUsage(line) {
    var kb = store.usage() / 1024;
    var size = "Your data for this guide takes " + (kb < 10 ? kb.toFixed(1) : Math.round(kb)) + " KB of this browser's storage.";
    line.textContent = size;
    store.persisted().then(function (granted) {
      line.textContent = size + " " + (granted ?
        "The browser has granted persistent storage: it will not clear this data to free space." :
        granted === false ?
          "The browser has not granted persistent storage: it may clear this data (to free space, or after a while unused), so export it to keep a copy." :
          "This browser does not say whether it will keep this data: export it to keep a copy.");
      line.setAttribute("data-persisted", granted ? "yes" : granted === false ? "no" : "unknown");
    });
  }

  function start() {
    var app = document.querySelector(".saved-app");
    if (!store || !app) return;
    app.hidden = false;
    var status = app.querySelector(".saved-status");
    var message = app.querySelector(".saved-message");
    var usage = app.querySelector(".saved-usage");
    var refresh = function () {
      status.textContent = summary();
      showUsage(usage);
    };
    refresh();

    app.querySelector(".saved-export").addEventListener("click", function () {
      store.download(store.guide + "-my-data.json", "application/json", JSON.stringify(store.exportAll(), null, 2));
    });

    app.querySelector(".saved-import").addEventListener("submit", function (e) {
      e.preventDefault();
      var file = app.querySelector("#import-file").files[0];
      var mode = app.querySelector("input[name=mode]:checked").value;
      if (!file) {
        message.textContent = "Choose an export file first.";
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        try {
          store.importText(String(reader.result), mode);
          message.textContent = "Imported (" + mode + ").";
        } catch (err) {
          // A file that fails its checks is refused; one that passes but does not fit in
          // storage failed, and every saved value was put back as it was.
          message.textContent = (err.storage ? "Import failed: " : "Import refused: ") + err.message + " Nothing was changed.";
        }
        refresh();
      };
      reader.readAsText(file);
    });

    app.querySelector(".saved-clear").addEventListener("click", function () {
      if (!window.confirm("Remove all your saved ticks, programs, notes and questions for this guide?")) return;
      store.clearAll();
      message.textContent = "Cleared.";
      refresh();
    });
  }
  window.GuidebookDom.ready(start);
})();
