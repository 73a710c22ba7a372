// mdBook's [output.html.redirect]. On a redirect page (data-redirect-to on <html>), go to the
// new page, keeping the #fragment or following the fragment's own entry. On a page that still
// exists, an old #fragment listed in redirects.js goes to its new place (on load, and when
// the reader follows one within the page).
(function () {
  "use strict";
  var html = document.documentElement;
  var hash = window.location.hash;

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  function go(target, keepHash) {
    var url = new URL(target, window.location.href);
    if (!/^(https?|file):$/.test(url.protocol)) return;
    if (keepHash && hash) url.hash = hash;
    window.location.replace(url.href);
  }

  var to = html.getAttribute("data-redirect-to");
  if (to !== null) {
    var fragments = {};
    try {
      fragments = JSON.parse(html.getAttribute("data-fragments") || "{}");
    } catch (e) {
      fragments = {};
    }
    if (hash && has(fragments, hash)) go(fragments[hash], false);
    else go(to, true);
    return;
  }
  var all = window.GUIDEBOOK_REDIRECTS || {};
  var page = html.getAttribute("data-page") || "";
  var mine = has(all, page) ? all[page] : {};
  function follow() {
    hash = window.location.hash;
    if (hash && has(mine, hash)) go(mine[hash], false);
  }
  follow();
  // An old anchor followed from within the page moves on too.
  window.addEventListener("hashchange", follow);
})();
