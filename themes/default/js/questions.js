// Question bank pages and embedded questions: "Add to my sheet" buttons (state in the shared
// store, keyed by question id) and the topic / applicant filters. Without JavaScript the
// buttons and filters stay hidden and every question shows (the "More questions" folds are
// plain <details>, which open without it).
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

  // A filter opens the "More questions" folds that hold a match, so no match stays folded
  // away, and hides the folds with none. Clearing the filters closes again only the folds
  // the filter opened.
  function showMatches(fold, filtering) {
    var matches = fold.querySelectorAll(".question:not([hidden])").length;
    var number = fold.querySelector(".more-count");
    if (number) number.textContent = String(matches);
    fold.hidden = matches === 0;
    if (filtering && matches > 0 && !fold.open) {
      fold.open = true;
      fold.setAttribute("data-opened-by-filter", "");
    } else if (!filtering && fold.hasAttribute("data-opened-by-filter")) {
      fold.open = false;
      fold.removeAttribute("data-opened-by-filter");
    }
  }

  // A link to a question inside a closed fold (from a chapter, the search or the reader's
  // sheet) opens the fold, so the question is on screen.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var fold = target.closest(".more-questions");
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
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
      document.querySelectorAll(".bank-page .more-questions").forEach(function (fold) {
        showMatches(fold, Boolean(topic || applies));
      });
      count.textContent = "Showing " + shown + " of " + questions.length + " questions.";
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  function start() {
    revealTarget();
    window.addEventListener("hashchange", revealTarget);
    if (!store) return;
    wireButtons();
    wireFilters();
  }
  window.GuidebookDom.ready(start);
})();
