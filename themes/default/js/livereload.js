// Live reload for `guidebook serve` (never part of a published site). The server announces
// each finished build over Server-Sent Events: the page reloads (keeping its scroll position),
// swaps stylesheets when only CSS changed, or shows the build errors over the last good page.
// Until a build succeeds the server answers every page with an error page (marked
// data-guidebook-error-page), which reloads as soon as a build succeeds.
// Saved checklist state is never touched.
(function () {
  "use strict";
  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var errorPage = html.hasAttribute("data-guidebook-error-page");
  var scrollKey = "guidebook-scroll:" + location.pathname;
  var seen = null;

  // The overlay's own stylesheet, loaded up front so the overlay never shows unstyled.
  if (!document.querySelector("link[data-guidebook-build-errors]")) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = root + "assets/css/build-errors.css";
    link.setAttribute("data-guidebook-build-errors", "");
    document.head.appendChild(link);
  }

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  // What the page under the overlay is. The error page's title matches the server's.
  function overlayTitle(build) {
    if (errorPage) {
      return "No build has succeeded yet. Fix the errors and save: " +
        "this page reloads by itself once the book builds.";
    }
    if (!build.has_good_build) {
      return "No build has succeeded since the preview restarted. " +
        "This page is from an earlier build; it reloads once the book builds.";
    }
    return "The last save did not build. This page is the last good build.";
  }

  // A landmark (so every part of the page is in one) that holds an alert with the errors.
  function overlay(build) {
    var box = document.getElementById("guidebook-build-errors");
    if (!build) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("aside");
      box.id = "guidebook-build-errors";
      box.setAttribute("aria-label", "Build errors");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "build-errors-title";
    title.textContent = overlayTitle(build);
    alert.appendChild(title);
    build.errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.textContent = e;
      alert.appendChild(pre);
    });
    box.appendChild(alert);
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
      overlay(build);
      return;
    }
    overlay(null);
    // The error page has nothing to keep: fetch the real page, even if the build that
    // succeeded came before this page connected.
    if (errorPage) {
      location.reload();
      return;
    }
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
