// "My sheet" (named by the book): the reader's chosen questions (kept by id with the text they saw),
// reordered, removed or added by hand, printed once per program. A question the guide later
// rewords is marked "changed"; one it removes is kept and marked, never silently dropped.
(function () {
  "use strict";
  var store = window.GuidebookStore;
  var data = (window.GUIDEBOOK_DATA || {}).questions || {};
  var root = document.documentElement.getAttribute("data-root") || "";

  // Questions live in "sheet"; programs are the reader's shared program list.
  function load() {
    var s = store.read("sheet", null) || {};
    return { questions: s.questions || [], programs: store.programs() };
  }
  // Changes the question list as stored now (not as this page drew it), so questions another
  // tab added or moved meanwhile are kept; then redraws.
  function change(edit) {
    store.update("sheet", { questions: [] }, function (s) {
      s.questions = s.questions || [];
      edit(s.questions);
    });
    store.persist();
    render();
  }

  var el = window.GuidebookDom.el;
  var button = window.GuidebookDom.button;

  // What to show for a saved question, and whether the guide changed or dropped it.
  function describe(item) {
    if (item.own) return { text: item.t, status: "Your own question" };
    var current = Object.prototype.hasOwnProperty.call(data, item.id) ? data[item.id] : null;
    if (!current) return { text: item.t, status: "No longer in the guide", gone: true };
    if (item.t && item.t !== current.t) return { text: current.t, status: "Changed since you added it", was: item.t, href: current.u };
    return { text: current.t, status: current.a, href: current.u };
  }

  // Moves a question by id, one place up (by = -1) or down (+1).
  function move(id, by) {
    var j = -1;
    change(function (questions) {
      var i = questions.map(function (q) { return q.id; }).indexOf(id);
      if (i < 0 || i + by < 0 || i + by >= questions.length) return;
      j = i + by;
      var tmp = questions[i];
      questions[i] = questions[j];
      questions[j] = tmp;
    });
    if (j < 0) return;
    // Keep keyboard focus on the moved question (its other button once it reaches an end).
    var moved = document.querySelector(".chosen-questions").children[j];
    if (!moved) return;
    var again = moved.querySelector(by < 0 ? ".move-up" : ".move-down");
    if (again.disabled) again = moved.querySelector(by < 0 ? ".move-down" : ".move-up");
    if (!again.disabled) again.focus();
    status("Moved to position " + (j + 1) + ".");
  }

  function renderQuestions(s) {
    var list = document.querySelector(".chosen-questions");
    list.textContent = "";
    document.querySelector(".empty-sheet").hidden = s.questions.length > 0;
    s.questions.forEach(function (item, i) {
      var d = describe(item);
      var li = el("li", "chosen" + (d.gone ? " gone" : "") + (d.was ? " changed" : ""));
      li.setAttribute("data-id", item.id);
      var text = el("p", "chosen-text");
      if (d.href) {
        var a = el("a", "", d.text);
        a.href = root + d.href;
        text.appendChild(a);
      } else {
        text.textContent = d.text;
      }
      li.appendChild(text);
      li.appendChild(el("p", "chosen-status", d.status));
      if (d.was) li.appendChild(el("p", "chosen-was", "You added it as: " + d.was));
      var actions = el("p", "chosen-actions");
      var up = button("Move up", "Move up: " + d.text, function () { move(item.id, -1); });
      up.classList.add("move-up");
      up.disabled = i === 0;
      var down = button("Move down", "Move down: " + d.text, function () { move(item.id, 1); });
      down.classList.add("move-down");
      down.disabled = i === s.questions.length - 1;
      actions.appendChild(up);
      actions.appendChild(down);
      actions.appendChild(button("Remove", "Remove: " + d.text, function () {
        change(function (questions) {
          var at = questions.map(function (q) { return q.id; }).indexOf(item.id);
          if (at >= 0) questions.splice(at, 1);
        });
        status("Removed: " + d.text);
      }));
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  function renderPrograms(s) {
    var list = document.querySelector(".program-list");
    list.textContent = "";
    s.programs.forEach(function (p) {
      var li = el("li", "program", p.name + " ");
      li.appendChild(button("Remove", "Remove program " + p.name, function () {
        if (!window.confirm("Remove " + p.name + " from your programs (and its ticks and ratings)?")) return;
        store.removeProgram(p.id);
        render();
      }));
      list.appendChild(li);
    });
  }

  // The printed sheets are kept in the page (hidden on screen), so printing is just printing.
  function renderPrint(s) {
    var out = document.querySelector(".my-sheet-print");
    out.textContent = "";
    var programs = s.programs.length ? s.programs.map(function (p) { return p.name; }) : [""];
    programs.forEach(function (name) {
      var sheet = el("section", "printed-sheet");
      var header = el("header", "printed-header");
      header.appendChild(el("h1", "printed-program", name ? "Program: " + name : "Program: ____________________"));
      var fields = el("p", "printed-fields", out.getAttribute("data-fields") || "");
      header.appendChild(fields);
      sheet.appendChild(header);
      var ol = el("ol", "ws-questions");
      s.questions.forEach(function (item) {
        var li = el("li", "ws-question");
        li.appendChild(el("p", "ws-question-text", describe(item).text));
        var lines = el("div", "answer-lines");
        for (var k = 0; k < 4; k++) lines.appendChild(el("span", "answer-line"));
        li.appendChild(lines);
        ol.appendChild(li);
      });
      sheet.appendChild(ol);
      var notes = el("div", "notes-box");
      notes.appendChild(el("p", "notes-title", "Notes"));
      for (var n = 0; n < 6; n++) notes.appendChild(el("span", "answer-line"));
      sheet.appendChild(notes);
      out.appendChild(sheet);
    });
  }

  function status(text) {
    document.querySelector(".sheet-status").textContent = text;
  }

  function render() {
    var s = load();
    renderQuestions(s);
    renderPrograms(s);
    renderPrint(s);
    document.querySelector(".print-sheets").hidden = s.questions.length === 0;
  }

  function wireForms() {
    var own = document.querySelector(".add-own");
    own.hidden = false;
    store.onTextSubmit(own, function (text) {
      change(function (questions) {
        questions.push({ id: "own-" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36), own: true, t: text });
      });
      status("Added your question.");
    });
    var programs = document.querySelector(".add-program");
    programs.hidden = false;
    store.onTextSubmit(programs, function (name) {
      store.addProgram(name);
      render();
      status("Added " + name + ".");
    });
    document.querySelector(".print-sheets").addEventListener("click", function () { window.print(); });
  }

  function start() {
    if (!store || !document.querySelector(".my-sheet")) return;
    wireForms();
    render();
    store.subscribe("sheet", render);
    store.subscribe("programs", render);
  }
  window.GuidebookDom.ready(start);
})();
