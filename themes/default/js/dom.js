// The small DOM helpers every theme script shares. Loaded first, as a plain deferred script
// (no modules, so pages work from file://): the other scripts find it as window.GuidebookDom.
(function () {
  "use strict";

  // A new element with an optional class and text.
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = text;
    return node;
  }

  // A secondary button (never a form submit) labelled `text`, with an optional accessible
  // name `aria`, calling `onClick`.
  function button(text, aria, onClick) {
    var b = el("button", "button-secondary", text);
    b.type = "button";
    if (aria) b.setAttribute("aria-label", aria);
    if (onClick) b.addEventListener("click", onClick);
    return b;
  }

  // Runs `start` once the document is parsed (at once if it already is).
  function ready(start) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  window.GuidebookDom = { el: el, button: button, ready: ready };
})();
