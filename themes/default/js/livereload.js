// Live reload for `guidebook serve` (never part of a published site). The server announces
// each finished build over Server-Sent Events: the page reloads (keeping its scroll position),
// swaps stylesheets when only CSS changed, or shows the build errors over the last good page.
// Saved checklist state is never touched.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var scrollKey = "guidebook-scroll:" + location.pathname;
  var seen = null;

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  function overlay(errors) {
    var box = document.getElementById("guidebook-build-errors");
    if (!errors) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "guidebook-build-errors";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("p");
    title.className = "build-errors-title";
    title.textContent = "The last save did not build. This page is the last good build.";
    box.appendChild(title);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.textContent = e;
      box.appendChild(pre);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
  }

  function swapStyles(id) {
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      var href = link.getAttribute("href").replace(/\?v=\d+$/, "");
      link.setAttribute("href", href + "?v=" + id);
    });
  }

  function onBuild(message) {
    var build = JSON.parse(message.data);
    var first = seen === null;
    var changed = !first && build.id !== seen;
    seen = build.id;
    if (!build.ok) {
      overlay(build.errors);
      return;
    }
    overlay(null);
    if (!changed) return;
    if (build.css_only) {
      swapStyles(build.id);
    } else {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      location.reload();
    }
  }

  var source = null;
  function connect() {
    source = new EventSource(root + "__guidebook/events");
    source.addEventListener("build", onBuild);
  }
  connect();
  // Close the stream when the page is left: a browser opens only six connections per host,
  // and pages kept in its back-forward cache would otherwise each hold one until page loads
  // stall. A page restored from that cache reconnects.
  window.addEventListener("pagehide", function () {
    if (source) source.close();
    source = null;
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !source) connect();
  });
  window.GuidebookLiveReload = {
    lastBuild: function () { return seen; },
    connected: function () { return source !== null && source.readyState !== EventSource.CLOSED; }
  };
})();
