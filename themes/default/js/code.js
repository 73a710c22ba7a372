// Code blocks: a copy button on each, a toggle for hidden lines, and run/edit buttons on the
// blocks the build marked `pre.playground` (only when book.toml enables a playground). The
// highlighting itself is done at build time; without this script hidden lines stay hidden.
(function () {
  "use strict";
  var dom = window.GuidebookDom;

  // What the reader sees: hidden lines are left out while they are hidden, as mdBook copies.
  function visibleText(code) {
    return code.innerText.replace(/\n$/, "");
  }

  // The whole program, hidden lines included: what runs.
  function fullText(code) {
    return code.textContent;
  }

  // Copies through a selected, off-screen textarea where the clipboard API is missing or
  // refused; reports failure quietly on the button.
  function copyWithSelection(text) {
    var area = dom.el("textarea", "copy-buffer");
    area.value = text;
    area.setAttribute("aria-hidden", "true");
    area.tabIndex = -1;
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    area.remove();
    return done;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithSelection(text); }
      );
    }
    return Promise.resolve(copyWithSelection(text));
  }

  // Shows `message` on the button for a moment, then its own label again.
  function flash(button, message) {
    var label = button.textContent;
    button.textContent = message;
    window.setTimeout(function () { button.textContent = label; }, 1500);
  }

  function copyButton(code) {
    var b = dom.button("Copy", "Copy code to clipboard");
    b.addEventListener("click", function () {
      copy(visibleText(code)).then(function (ok) {
        flash(b, ok ? "Copied" : "Copy failed");
      });
    });
    return b;
  }

  function toggleButton(code) {
    var b = dom.button("Show hidden", "Show hidden lines");
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      var shown = code.classList.toggle("show-boring");
      b.setAttribute("aria-pressed", shown ? "true" : "false");
      b.textContent = shown ? "Hide lines" : "Show hidden";
      b.setAttribute("aria-label", shown ? "Hide the hidden lines" : "Show hidden lines");
    });
    return b;
  }

  // The edition a block compiles with: its `editionNNNN` class, else 2015 as mdBook sends.
  function edition(code) {
    var found = "2015";
    code.classList.forEach(function (c) {
      if (/^edition\d{4}$/.test(c)) found = c.slice(7);
    });
    return found;
  }

  function resultArea(pre) {
    var result = pre.querySelector(".code-result");
    if (!result) {
      result = dom.el("output", "code-result");
      result.setAttribute("aria-live", "polite");
      pre.appendChild(result);
    }
    return result;
  }

  // Sends the code to the playground the book names and shows what it printed.
  function run(pre, code) {
    var text = fullText(code);
    var result = resultArea(pre);
    result.textContent = "Running…";
    var body = JSON.stringify({
      version: text.indexOf("#![feature") !== -1 ? "nightly" : "stable",
      optimize: "0",
      code: text,
      edition: edition(code)
    });
    fetch(pre.dataset.playground + "evaluate.json", {
      method: "POST",
      mode: "cors",
      headers: { "Content-Type": "application/json" },
      body: body
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        var out = (answer.result || answer.error || "").trim();
        result.textContent = out === "" ? "No output" : out;
      })
      .catch(function (e) {
        result.textContent = "Could not reach the playground: " + e.message;
      });
  }

  // An editable block: plain-text editing in place, with a button back to the original.
  function makeEditable(code, buttons) {
    var original = code.cloneNode(true);
    code.contentEditable = "plaintext-only";
    if (code.contentEditable !== "plaintext-only") code.contentEditable = "true";
    code.spellcheck = false;
    code.setAttribute("role", "textbox");
    code.setAttribute("aria-multiline", "true");
    code.setAttribute("aria-label", "Editable code");
    buttons.appendChild(dom.button("Reset", "Undo changes to the code", function () {
      code.replaceChildren.apply(code, Array.from(original.cloneNode(true).childNodes));
    }));
  }

  function setUp(code) {
    var pre = code.parentElement;
    var buttons = dom.el("div", "code-buttons");
    if (pre.classList.contains("playground") && pre.dataset.playground) {
      if (!code.classList.contains("no_run")) {
        buttons.appendChild(dom.button("Run", "Run this code", function () { run(pre, code); }));
      }
      if (code.classList.contains("editable")) makeEditable(code, buttons);
    }
    if (code.querySelector(".boring")) buttons.appendChild(toggleButton(code));
    if (!pre.classList.contains("no-copy")) buttons.appendChild(copyButton(code));
    if (buttons.children.length > 0) {
      pre.classList.add("has-buttons");
      pre.insertBefore(buttons, code);
    }
  }

  dom.ready(function () {
    document.querySelectorAll("main pre > code").forEach(setUp);
  });
})();
