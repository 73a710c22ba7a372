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
      (store.available ? "" : " (This browser is not saving: export before you leave.)") + unreadable();
  }

  // Values that could not be read are not shown anywhere, but the export keeps them.
  function unreadable() {
    var n = store.unreadable().length;
    return n ? " " + n + " saved value" + (n === 1 ? "" : "s") + " could not be read and " + (n === 1 ? "is" : "are") +
      " kept aside; your export includes " + (n === 1 ? "it" : "them") + "." : "";
  }

  function start() {
    var app = document.querySelector(".saved-app");
    if (!store || !app) return;
    app.hidden = false;
    var status = app.querySelector(".saved-status");
    var message = app.querySelector(".saved-message");
    var refresh = function () { status.textContent = summary(); };
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
        var parsed;
        try {
          parsed = JSON.parse(String(reader.result));
        } catch (err) {
          message.textContent = "Import refused: the file is not valid JSON. Nothing was changed.";
          return;
        }
        try {
          store.importAll(parsed, mode);
          message.textContent = "Imported (" + mode + ").";
          refresh();
        } catch (err) {
          message.textContent = "Import refused: " + err.message + " Nothing was changed.";
        }
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
