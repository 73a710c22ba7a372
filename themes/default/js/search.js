// Search: the index is loaded lazily, shard by shard, with plain <script> tags (works from
// file://). Prefix matching as you type, one typo forgiven in longer words, results grouped
// (chapters, questions, checklists, glossary) with matched words highlighted. The box is a
// combobox: "/" focuses it, arrows move, Enter opens, Escape closes.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var GROUPS = [["chapter", "In the chapters"], ["question", "Questions to ask"], ["checklist", "Checklist items"], ["glossary", "Glossary"]];
  var index = { meta: null, terms: {}, sortedTerms: {}, docs: {} };
  var scripts = {};
  // How text splits into words, from the index (the build tokenizes by the same rules).
  var rules = null;

  function compile(t) {
    var stop = Object.create(null);
    t.stopWords.forEach(function (w) { stop[w] = true; });
    return { word: new RegExp(t.word, "gu"), letter: t.letter, stop: stop, shard: new RegExp(t.shard, "u"), other: t.otherShard };
  }

  window.GuidebookSearchIndex = {
    meta: function (m) { index.meta = m; rules = compile(m.tokenizer); },
    terms: function (key, map) { index.terms[key] = map; index.sortedTerms[key] = Object.keys(map).sort(); },
    docs: function (n, list) { index.docs[n] = list; }
  };

  function load(path) {
    if (!scripts[path]) {
      scripts[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + path;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + path)); };
        document.head.appendChild(s);
      });
    }
    return scripts[path];
  }

  // Lowercase words without stop words; each word is lowercased on its own, as in the build.
  function tokens(text) {
    return (text.match(rules.word) || []).map(function (w) { return w.toLowerCase(); }).filter(function (w) {
      return !rules.stop[w];
    });
  }
  function shardOf(term) {
    var m = term.match(rules.shard);
    return m ? m[0] : rules.other;
  }

  // At most one typo apart: an insertion, deletion, substitution or swap of neighbours.
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    if (a.length === b.length) {
      var diff = [];
      for (var k = 0; k < a.length && diff.length <= 2; k++) if (a[k] !== b[k]) diff.push(k);
      if (diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]) return true;
    }
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  // doc → score for one query word: exact terms count fully, prefixes and near misses less.
  function scoresFor(word, isLast) {
    var key = shardOf(word);
    var terms = index.sortedTerms[key] || [];
    var map = index.terms[key] || {};
    var out = {};
    // Postings are flat pairs: the gap from the previous document id, then the score.
    var add = function (term, factor) {
      var postings = map[term];
      for (var i = 0, doc = 0; i < postings.length; i += 2) {
        doc += postings[i];
        out[doc] = Math.max(out[doc] || 0, postings[i + 1] * factor);
      }
    };
    terms.forEach(function (term) {
      if (term === word) add(term, 1);
      else if (term.indexOf(word) === 0 && (isLast || word.length >= 4)) add(term, word.length >= 3 ? 0.7 : 0.4);
      else if (word.length >= 5 && oneEdit(term, word)) add(term, 0.5);
    });
    return out;
  }

  function query(text) {
    var words;
    return load("search/meta.js").then(function () {
      words = tokens(text);
      var shards = index.meta.shards;
      var needed = {};
      words.forEach(function (w) {
        var key = shardOf(w);
        if (Object.prototype.hasOwnProperty.call(shards, key)) needed[shards[key]] = true;
      });
      return Promise.all(Object.keys(needed).map(load));
    }).then(function () {
      if (!words.length) return [];
      var perWord = words.map(function (w, i) { return scoresFor(w, i === words.length - 1); });
      var total = {};
      var hits = {};
      perWord.forEach(function (scores) {
        Object.keys(scores).forEach(function (d) {
          total[d] = (total[d] || 0) + scores[d];
          hits[d] = (hits[d] || 0) + 1;
        });
      });
      var ids = Object.keys(total);
      var all = ids.filter(function (d) { return hits[d] === words.length; });
      var ranked = (all.length ? all : ids).sort(function (a, b) { return total[b] - total[a]; }).slice(0, 40);
      var chunks = {};
      ranked.forEach(function (d) { chunks[Math.floor(d / index.meta.perChunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (n) { return load("search/docs-" + n + ".js"); }))
        .then(function () {
          return ranked.map(function (d) {
            var e = index.docs[Math.floor(d / index.meta.perChunk)][d % index.meta.perChunk];
            return { kind: e.k, title: e.t, context: e.c, url: e.u, snippet: e.s, score: total[d] };
          });
        });
    });
  }

  // Appends `text` to `parent`, wrapping the query's words in <mark>.
  function highlight(parent, text, words) {
    if (!words.length) { parent.appendChild(document.createTextNode(text)); return; }
    var pattern = new RegExp("(" + words.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")" + rules.letter + "*", "giu");
    var last = 0;
    text.replace(pattern, function (match, _w, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = match;
      parent.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function start() {
    var input = document.getElementById("search-input");
    var box = document.getElementById("search-results");
    if (!input || !box) return;
    input.hidden = false;
    var options = [];
    var active = -1;
    var seq = 0;

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function setActive(i) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }
    function go(option) { window.location.href = root + option.getAttribute("data-url"); }

    function show(results, words) {
      box.textContent = "";
      options = [];
      active = -1;
      if (!results.length) {
        var none = document.createElement("p");
        none.className = "search-none";
        none.textContent = "No results. Try fewer or shorter words.";
        box.appendChild(none);
      }
      GROUPS.forEach(function (g) {
        var inGroup = results.filter(function (r) { return r.kind === g[0]; }).slice(0, 8);
        if (!inGroup.length) return;
        var group = document.createElement("div");
        group.setAttribute("role", "group");
        group.setAttribute("aria-labelledby", "search-group-" + g[0]);
        var label = document.createElement("p");
        label.className = "search-group-label";
        label.id = "search-group-" + g[0];
        label.textContent = g[1];
        group.appendChild(label);
        inGroup.forEach(function (r) {
          var o = document.createElement("div");
          o.setAttribute("role", "option");
          o.setAttribute("aria-selected", "false");
          o.id = "search-option-" + options.length;
          o.className = "search-option";
          o.setAttribute("data-url", r.url);
          var t = document.createElement("span");
          t.className = "search-title";
          highlight(t, r.title, words);
          var c = document.createElement("span");
          c.className = "search-context";
          c.textContent = r.context;
          var s = document.createElement("span");
          s.className = "search-snippet";
          highlight(s, r.snippet, words);
          o.appendChild(t);
          o.appendChild(c);
          if (r.snippet) o.appendChild(s);
          o.addEventListener("mousedown", function (e) { e.preventDefault(); go(o); });
          group.appendChild(o);
          options.push(o);
        });
        box.appendChild(group);
      });
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    input.addEventListener("input", function () {
      var text = input.value;
      var mine = ++seq;
      if (!text.trim()) { close(); return; }
      query(text).then(function (results) {
        if (mine === seq) show(results, tokens(text));
      }).catch(function () { box.textContent = "Search is unavailable."; box.hidden = false; });
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && options.length) { e.preventDefault(); setActive((active + 1) % options.length); }
      else if (e.key === "ArrowUp" && options.length) { e.preventDefault(); setActive(active <= 0 ? options.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(options[active]); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    // Load the index on first use, not with the page.
    input.addEventListener("focus", function () { load("search/meta.js").catch(function () {}); }, { once: true });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag) && !e.target.isContentEditable) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  // `tokens` gives a text's words once search/meta.js has loaded (null before).
  window.GuidebookSearch = { query: query, tokens: function (text) { return rules && tokens(text); } };
  window.GuidebookDom.ready(start);
})();
