// Renders the table of contents from toc.js into the sidebar, marks the current page, and
// wires the small-screen toggle and print buttons. Without JavaScript the sidebar keeps a
// link to contents.html, so every page stays reachable.
(function () {
  "use strict";
  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var current = html.getAttribute("data-page") || "";
  // mdBook's [output.html.fold]: sections deeper than this many levels start folded.
  var foldAttr = html.getAttribute("data-fold-level");
  var foldLevel = foldAttr === null ? null : parseInt(foldAttr, 10) || 0;

  var el = window.GuidebookDom.el;

  // A chapter's title: its text, or its styled runs (code spans) as elements.
  function titleOf(n) {
    var label = el("span", "title");
    if (!n.parts) {
      label.textContent = n.title;
      return label;
    }
    n.parts.forEach(function (run) {
      var style = run[0];
      label.appendChild(style ? el(style, null, run[1]) : document.createTextNode(run[1]));
    });
    return label;
  }

  function list(nodes, depth) {
    var ol = el("ol");
    nodes.forEach(function (n) {
      var li = el("li");
      if (n.kind === "part") {
        li.className = "part-title";
        li.textContent = n.title;
      } else if (n.kind === "separator") {
        li.className = "separator";
        li.appendChild(el("hr"));
      } else {
        var target = n.href ? el("a") : el("span", "draft");
        if (n.number) target.appendChild(el("span", "number", n.number));
        target.appendChild(titleOf(n));
        if (n.href) {
          target.href = root + n.href;
          if (n.href === current || (current === "index.html" && n === firstLink)) {
            target.setAttribute("aria-current", "page");
          }
        } else {
          target.title = "Not written yet";
        }
        li.appendChild(target);
        if (n.children && n.children.length) {
          li.appendChild(list(n.children, depth + 1));
          if (foldLevel !== null) addFold(li, target, depth);
        }
      }
      ol.appendChild(li);
    });
    return ol;
  }

  // A toggle beside the entry; the section starts open up to the fold level (and wherever
  // the current page is, see openCurrent).
  function addFold(li, target, depth) {
    var row = el("div", "toc-row");
    li.insertBefore(row, target);
    row.appendChild(target);
    var toggle = el("button", "toc-fold");
    toggle.type = "button";
    row.appendChild(toggle);
    function set(open) {
      li.classList.toggle("folded", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.setAttribute("aria-label", (open ? "Collapse " : "Expand ") + target.textContent);
    }
    set(depth <= foldLevel);
    toggle.addEventListener("click", function () {
      set(li.classList.contains("folded"));
    });
    li.guidebookSetFold = set;
  }

  function openCurrent(active) {
    for (var node = active; node; node = node.parentNode) {
      if (node.guidebookSetFold) node.guidebookSetFold(true);
    }
  }

  var firstLink = null;
  function findFirst(nodes) {
    for (var i = 0; i < nodes.length && !firstLink; i++) {
      if (nodes[i].href) firstLink = nodes[i];
      else if (nodes[i].children) findFirst(nodes[i].children);
    }
  }

  function renderToc() {
    var toc = document.getElementById("toc");
    if (!toc || !window.GUIDEBOOK_TOC) return;
    findFirst(window.GUIDEBOOK_TOC);
    toc.textContent = "";
    toc.appendChild(list(window.GUIDEBOOK_TOC, 1));
    var active = toc.querySelector('[aria-current="page"]');
    if (active) openCurrent(active);
    if (active && active.scrollIntoView) active.scrollIntoView({ block: "nearest" });
  }

  function wireToggle() {
    var button = document.querySelector(".sidebar-toggle");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = sidebar.querySelector("a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("open")) {
        sidebar.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  function wirePrintButtons() {
    document.querySelectorAll('[data-action="print"]').forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  // Printing shows every collapsed answer guide.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });

  function start() {
    renderToc();
    wireToggle();
    wirePrintButtons();
  }
  window.GuidebookDom.ready(start);
})();
