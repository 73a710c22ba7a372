// Question bank pages and embedded questions: "Add to my sheet" buttons (state in the shared
// store, keyed by question id) and the topic / applicant filters. Without JavaScript the
// buttons and filters stay hidden and every question shows.
(function () {
  "use strict";
  var store = window.GuidebookStore;

  function sheet() {
    var s = store.read("sheet", null) || {};
    return { questions: s.questions || [] };
  }

  function has(s, id) {
    return s.questions.some(function (q) { return q.id === id; });
  }

  function label(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "On my sheet (remove)" : "Add to my sheet";
  }

  function wireButtons() {
    var buttons = document.querySelectorAll(".add-to-sheet");
    var refresh = function () {
      var s = sheet();
      buttons.forEach(function (b) { label(b, has(s, b.getAttribute("data-id"))); });
    };
    buttons.forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        var id = b.getAttribute("data-id");
        var article = b.closest(".question");
        // Applied to the sheet as stored now, so another tab's additions are kept.
        store.update("sheet", { questions: [] }, function (s) {
          s.questions = s.questions || [];
          if (has(s, id)) {
            s.questions = s.questions.filter(function (q) { return q.id !== id; });
          } else {
            s.questions.push({ id: id, t: article ? (article.getAttribute("data-text") || "").slice(0, 2000) : "" });
          }
          return s;
        });
        store.persist();
        refresh();
      });
    });
    refresh();
    store.subscribe("sheet", refresh);
  }

  function wireFilters() {
    var form = document.querySelector(".question-filters");
    if (!form) return;
    form.hidden = false;
    var questions = document.querySelectorAll(".bank-page .question");
    var count = form.querySelector(".filter-count");
    var apply = function () {
      var topic = form.elements.topic.value;
      var applies = form.elements.applies.value;
      var shown = 0;
      questions.forEach(function (q) {
        var topics = (q.getAttribute("data-topics") || "").split(" ");
        var who = (q.getAttribute("data-applies") || "all").split(" ");
        var ok = (!topic || topics.indexOf(topic) >= 0) &&
          (!applies || who.indexOf("all") >= 0 || who.indexOf(applies) >= 0);
        q.hidden = !ok;
        if (ok) shown++;
      });
      document.querySelectorAll(".bank-page .bank").forEach(function (bank) {
        bank.hidden = !bank.querySelector(".question:not([hidden])");
      });
      count.textContent = "Showing " + shown + " of " + questions.length + " questions.";
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  function start() {
    if (!store) return;
    wireButtons();
    wireFilters();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
