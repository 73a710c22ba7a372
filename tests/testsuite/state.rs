//! Readers' saved state in a real browser: values from an older schema are migrated (the old
//! ones kept until the new ones are written), unreadable values are set aside with a notice
//! and kept in the export, and two tabs editing at once keep each other's changes.

use crate::support;
use crate::support::TestBook;
use crate::support::browser::{self, Chrome, Watched, eval, file_url, wait_for};
use headless_chrome::Tab;
use serde_json::{Value, json};

/// The layout before `[book] id` was checked: one key per whole value.
const PREFIX: &str = "guidebook:minimal-guide:";
/// Today's layout: one key per item.
const LIVE: &str = "guidebook/minimal-guide/v2/";

/// Every key this guide keeps in localStorage, with its raw value.
fn storage(tab: &Tab) -> Value {
    let raw = eval(
        tab,
        &format!(
            "JSON.stringify(Object.keys(localStorage).filter(k => k.startsWith('{PREFIX}') || k.startsWith('guidebook/minimal-guide/')).sort()\
             .reduce((o, k) => (o[k] = localStorage.getItem(k), o), {{}}))"
        ),
    );
    serde_json::from_str(raw.as_str().unwrap()).unwrap()
}

/// Writes raw localStorage values, then reloads so the page's scripts start from them.
fn seed_and_reload(tab: &Tab, values: &[(&str, String)]) {
    for (key, raw) in values {
        eval(
            tab,
            &format!("localStorage.setItem({key:?}, {raw:?}); true"),
        );
    }
    reload(tab);
}

/// Reloads the page and waits until its scripts have run.
fn reload(tab: &Tab) {
    let url = tab.get_url();
    browser::goto(tab, &url);
    wait_for(tab, "document.readyState === 'complete'");
}

/// Types `text` into the field `input` and submits its form, by script: the second tab of a
/// test is in the background, where headless Chromium does not deliver mouse and key input.
fn submit_text(tab: &Tab, input: &str, text: &str) {
    eval(
        tab,
        &format!(
            "(function () {{ var i = document.querySelector({input:?}); i.value = {text:?}; \
             i.form.requestSubmit(); return true; }})()"
        ),
    );
}

/// Clicks `css` by script (see [`submit_text`]).
fn press(tab: &Tab, css: &str) {
    eval(
        tab,
        &format!("document.querySelector({css:?}).click(); true"),
    );
}

fn text(tab: &Tab, css: &str) -> Value {
    eval(
        tab,
        &format!(
            "Array.from(document.querySelectorAll({css:?})).map(e => e.textContent.trim()).join(' | ')"
        ),
    )
}

fn assert_clean(watched: &Watched) {
    let problems = watched.take_problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The interview sheet of the first release kept program names inside "sheet"; v2 keeps them
/// in "programs". Every v1 value is read, migrated and written under v2, and nothing is lost.
#[test]
fn values_from_the_old_schema_are_migrated_and_nothing_is_lost() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let page = file_url(&book.path("book/chapters/alpha-detail.html"));
    let watched = Watched::new(&chrome);
    let tab = &watched.tab;
    watched.goto(&page);
    let hash = eval(
        tab,
        "document.querySelector('#mal-fear').getAttribute('data-hash')",
    );
    let flights = eval(
        tab,
        "document.querySelector('#task-task-flights').getAttribute('data-hash')",
    );
    let v1 = |name: &str| format!("{PREFIX}v1:{name}");
    let keys = [
        v1("sheet"),
        v1("programs"),
        v1("ticks"),
        v1("notes"),
        v1("current-program"),
    ];
    let old_values = [
        (
            keys[0].as_str(),
            json!({"questions": [{"id": "res-visa", "t": "Has the program sponsored visas?"},
                                 {"id": "own-1", "own": true, "t": "Where do residents live?"}],
                   "programs": ["Lakeside", "Riverside"]})
            .to_string(),
        ),
        (
            keys[1].as_str(),
            json!([{"id": "p1", "name": "Lakeside"}]).to_string(),
        ),
        (
            keys[2].as_str(),
            json!({"malignancy": {"p1": {"mal-fear": {"h": hash, "t": "Residents seemed afraid to speak."}}},
                   "tasks": {"single": {"task-flights": {"h": flights, "t": "Book your flights", "done": true}}}})
            .to_string(),
        ),
        (
            keys[3].as_str(),
            json!({"malignancy": {"p1": "Old note"}}).to_string(),
        ),
        (keys[4].as_str(), json!("p1").to_string()),
    ];

    // First, a browser that refuses to write the new values: the old ones must stay.
    let refusing = Watched::new(&chrome);
    refusing.before_scripts(
        "(function () { var set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) { \
         if (String(k).indexOf('/v2/') >= 0) throw new DOMException('full', 'QuotaExceededError'); \
         return set.call(this, k, v); }; })();",
    );
    refusing.goto(&page);
    seed_and_reload(&refusing.tab, &old_values);
    let after_failure = storage(tab);
    for (key, raw) in &old_values {
        assert_eq!(
            after_failure[key].as_str(),
            Some(raw.as_str()),
            "{key} was dropped although the migration could not be written"
        );
    }
    assert!(
        !after_failure
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with(LIVE)),
        "{after_failure:#}"
    );
    refusing.tab.close(true).unwrap();

    // Then a normal load migrates, set-aside values of the old layout too.
    seed_and_reload(
        tab,
        &[(
            &format!("{PREFIX}unreadable:ticks:123"),
            "{old broken".to_owned(),
        )],
    );
    wait_for(
        tab,
        "document.querySelector('#mal-fear').checked && document.querySelector('#task-task-flights').checked",
    );
    let state = storage(tab);
    let keys: Vec<&String> = state.as_object().unwrap().keys().collect();
    assert!(
        keys.iter().all(|k| !k.starts_with(PREFIX)),
        "old keys are removed once written: {keys:?}"
    );
    assert_eq!(
        state["guidebook/minimal-guide/unreadable/ticks%3A123"],
        "{old broken"
    );
    assert_eq!(
        text(tab, "#malignancy .program-tab"),
        "Lakeside | Riverside",
        "the sheet's program names joined the shared list, without a duplicate"
    );
    assert_eq!(
        eval(
            tab,
            "document.querySelector('#malignancy .checklist-notes textarea').value"
        ),
        "Old note"
    );
    assert_eq!(
        eval(tab, "GuidebookStore.read('sheet').programs === undefined"),
        true
    );
    watched.goto(&file_url(&book.path("book/my-sheet.html")));
    wait_for(
        tab,
        "document.querySelectorAll('.chosen-questions li').length === 2",
    );
    assert_eq!(
        text(tab, ".program-list li"),
        "Lakeside Remove | Riverside Remove"
    );
    assert!(
        text(tab, ".chosen-questions .chosen-text")
            .as_str()
            .unwrap()
            .ends_with("| Where do residents live?")
    );
    // An old export file (version 1, legacy sheet) imports through the same migration.
    watched.goto(&file_url(&book.path("book/saved.html")));
    let file = json!({"format": "guidebook-state", "version": 1, "guide": "minimal-guide",
                      "data": {"sheet": {"questions": [], "programs": ["Hilltop"]}}});
    eval(
        tab,
        &format!("GuidebookStore.importAll({file}, 'merge'); true"),
    );
    assert_eq!(
        eval(tab, "GuidebookStore.programs().map(p => p.name).join(',')"),
        "Lakeside,Riverside,Hilltop"
    );
    assert_clean(&watched);
}

#[test]
fn unreadable_values_are_set_aside_with_a_notice_and_kept_in_the_export() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let watched = Watched::new(&chrome);
    let tab = &watched.tab;
    watched.goto(&file_url(&book.path("book/chapters/alpha-detail.html")));
    let bad = [
        (format!("{PREFIX}v2:ticks"), "{\"malignancy\": {".to_owned()),
        (
            format!("{PREFIX}v2:programs"),
            "{\"foreign\": true}".to_owned(),
        ),
        (
            format!("{PREFIX}v2:sheet"),
            "\"<img src=x onerror=alert(1)>\"".to_owned(),
        ),
    ];
    let seeded: Vec<(&str, String)> = bad.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    seed_and_reload(tab, &seeded);

    // The page works: the notice shows, and the reader can start again.
    wait_for(tab, "!document.querySelector('.storage-notice').hidden");
    let notice = eval(tab, "document.querySelector('.storage-notice').textContent");
    // It names every value the page found unreadable, not only the last one.
    assert!(
        notice
            .as_str()
            .unwrap()
            .contains("(programs, sheet, ticks) could not be read and was set aside"),
        "{notice}"
    );
    submit_text(tab, "#malignancy .add-program-inline input", "Lakeside");
    wait_for(tab, "!document.querySelector('#mal-fear').disabled");
    press(tab, "#mal-fear");
    wait_for(
        tab,
        "document.querySelector('#malignancy').getAttribute('data-score') === '1'",
    );
    assert_clean(&watched);

    // Each bad value is kept once, however often the page reads it.
    for _ in 0..2 {
        reload(tab);
    }
    wait_for(tab, "document.querySelector('#mal-fear').checked");
    let export = eval(tab, "JSON.stringify(GuidebookStore.exportAll())");
    let export: Value = serde_json::from_str(export.as_str().unwrap()).unwrap();
    let mut kept: Vec<&str> = export["unreadable"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap())
        .collect();
    kept.sort();
    let mut expected: Vec<&str> = bad.iter().map(|(_, v)| v.as_str()).collect();
    expected.sort();
    assert_eq!(kept, expected);
    assert_eq!(export["data"]["programs"][0]["name"], "Lakeside");

    // The saved-data page says so, and the export imports back into a fresh profile.
    watched.goto(&file_url(&book.path("book/saved.html")));
    wait_for(tab, "!document.querySelector('.saved-app').hidden");
    let status = eval(tab, "document.querySelector('.saved-status').textContent");
    assert!(
        status
            .as_str()
            .unwrap()
            .contains("3 saved values could not be read and are kept aside"),
        "{status}"
    );
    eval(
        tab,
        "window.confirm = () => true; document.querySelector('.saved-clear').click(); true",
    );
    assert_eq!(
        storage(tab),
        json!({}),
        "clearing removes the set-aside values too"
    );
    eval(
        tab,
        &format!("GuidebookStore.importAll({export}, 'replace'); true"),
    );
    assert_eq!(
        eval(tab, "GuidebookStore.unreadable().length"),
        3,
        "set-aside values travel with the export"
    );
    assert_eq!(eval(tab, "GuidebookStore.programs()[0].name"), "Lakeside");
    assert_clean(&watched);
}

/// Installed in the second tab before its scripts (so it runs before the guide's own storage
/// listener): while `window.holdStorage` is set, storage events are dropped, as if they had
/// not arrived yet, and the page acts on what it drew earlier.
const HOLD_STORAGE_EVENTS: &str = "window.holdStorage = false; window.addEventListener('storage', \
    function (e) { if (window.holdStorage) e.stopImmediatePropagation(); }, true);";

fn hold_storage_events(tab: &Tab) {
    eval(tab, "window.holdStorage = true; true");
}
fn release_storage_events(tab: &Tab) {
    eval(tab, "window.holdStorage = false; true");
}

fn two_tabs(chrome: &Chrome, url: &str) -> (Watched, Watched) {
    let a = Watched::new(chrome);
    a.goto(url);
    let b = Watched::new(chrome);
    b.before_scripts(HOLD_STORAGE_EVENTS);
    b.goto(url);
    (a, b)
}

#[test]
fn two_tabs_keep_each_others_ticks_and_the_other_tab_redraws() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let (wa, wb) = two_tabs(
        &chrome,
        &file_url(&book.path("book/chapters/alpha-detail.html")),
    );
    let (a, b) = (&wa.tab, &wb.tab);
    let program = "#malignancy .add-program-inline input";
    submit_text(a, program, "Lakeside");
    // B learns about the program from A, without a reload.
    wait_for(
        b,
        "document.querySelector('#malignancy .program-tab[aria-pressed=true]') !== null",
    );

    // Interleaved ticks; each tab's view updates live after the other's.
    press(a, "#mal-fear");
    wait_for(b, "document.querySelector('#mal-fear').checked");
    press(b, "#mal-hours");
    wait_for(a, "document.querySelector('#mal-hours').checked");
    wait_for(
        a,
        "document.querySelector('#malignancy').getAttribute('data-score') === '2'",
    );
    press(b, "#task-task-print");
    wait_for(a, "document.querySelector('#task-task-print').checked");

    // While B has not heard of A's latest tick yet, B changes another item: both stay.
    hold_storage_events(b);
    press(a, "#task-task-flights");
    press(b, "#mal-fear"); // B unticks; A's flights tick must survive it
    release_storage_events(b);

    for tab in [a, b] {
        reload(tab);
        wait_for(
            tab,
            "document.querySelector('#mal-hours').checked && !document.querySelector('#mal-fear').checked && \
             document.querySelector('#task-task-flights').checked && document.querySelector('#task-task-print').checked",
        );
    }

    // Each tab scores the program it chose: B switching does not move A's next tick.
    submit_text(b, program, "Riverside");
    wait_for(
        a,
        "document.querySelectorAll('#malignancy .program-tab').length === 2",
    );
    assert_eq!(
        text(a, "#malignancy .program-tab[aria-pressed=true]"),
        "Lakeside"
    );
    press(a, "#mal-fear");
    let ticks = eval(
        a,
        "JSON.stringify(Object.fromEntries(GuidebookStore.programs().map(p => [p.name, Object.keys((GuidebookStore.read('ticks').malignancy || {})[p.id] || {}).sort()])))",
    );
    assert_eq!(
        ticks,
        r#"{"Lakeside":["mal-fear","mal-hours"],"Riverside":[]}"#
    );
    assert_clean(&wa);
    assert_clean(&wb);
}

#[test]
fn two_tabs_editing_the_sheet_and_the_comparison_lose_nothing() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let (wa, wb) = two_tabs(&chrome, &file_url(&book.path("book/my-sheet.html")));
    let (a, b) = (&wa.tab, &wb.tab);
    let questions = ".chosen-questions .chosen-text";
    let count =
        |n: usize| format!("document.querySelectorAll('.chosen-questions li').length === {n}");
    submit_text(a, "#own-question", "First from A");
    wait_for(b, &count(1));

    // B acts on the list it drew before A's next addition arrives.
    hold_storage_events(b);
    submit_text(a, "#own-question", "Second from A");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(text(b, questions), "First from A", "B has not heard yet");
    press(b, ".chosen-questions .chosen-actions button:last-child"); // removes "First from A"
    submit_text(b, "#own-question", "From B");
    release_storage_events(b);
    submit_text(a, "#own-question", "Third from A");
    wait_for(b, &count(3));
    for tab in [a, b] {
        reload(tab);
        wait_for(tab, &count(3));
        assert_eq!(
            text(tab, questions),
            "Second from A | From B | Third from A"
        );
    }

    // The comparison page: each tab records a different figure of the same program.
    wa.goto(&file_url(&book.path("book/compare.html")));
    submit_text(a, "#compare-program-name", "Lakeside");
    wb.goto(&file_url(&book.path("book/compare.html")));
    wait_for(
        b,
        "document.querySelectorAll('.compare-table tbody tr').length === 1",
    );
    hold_storage_events(b);
    for (tab, figure, value) in [(a, "annual-volume", "8000"), (b, "trainees", "4")] {
        eval(
            tab,
            &format!(
                "(function () {{ var i = document.querySelector('[data-figure={figure}]'); i.value = '{value}'; \
                 i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()"
            ),
        );
    }
    release_storage_events(b);
    reload(b);
    wait_for(
        b,
        "document.querySelector('.compare-table').textContent.includes('2000')",
    );
    assert_clean(&wa);
    assert_clean(&wb);
}

// ---- Storage under pressure, two tabs racing, guides sharing a disk (tests/fixtures/saved-state) ----

use crate::support::dev_server;

/// Runs `check` with the book opened from disk, then served by `guidebook serve`: `url` maps
/// a page of the site to its address.
fn from_disk_and_http(book: &TestBook, check: impl Fn(&str, &dyn Fn(&str) -> String)) {
    check("file://", &|page| {
        file_url(&book.path(&format!("book/{page}")))
    });
    let server = dev_server::serve(book);
    check("http", &|page| server.url(page));
}

/// Fills localStorage up to the quota with one key of another site's ("filler"), less
/// `room` characters; returns the filler's length.
fn fill_storage(tab: &Tab, room: u64) -> u64 {
    let js = format!(
        "(function () {{ var lo = 0, hi = 32 * 1024 * 1024; localStorage.removeItem('filler'); \
         while (hi - lo > 1) {{ var mid = Math.floor((lo + hi) / 2); \
         try {{ localStorage.setItem('filler', 'x'.repeat(mid)); lo = mid; }} catch (e) {{ hi = mid; }} }} \
         localStorage.setItem('filler', 'x'.repeat(Math.max(0, lo - {room}))); return lo; }})()"
    );
    eval(tab, &js).as_u64().unwrap()
}

/// Every localStorage key but the filler, with its value, and the filler's length: the whole
/// storage, compared without carrying megabytes over the wire.
fn whole_storage(tab: &Tab) -> Value {
    let raw = eval(
        tab,
        "JSON.stringify({ filler: (localStorage.getItem('filler') || '').length, keys: Object.keys(localStorage)\
         .filter(k => k !== 'filler').sort().reduce((o, k) => (o[k] = localStorage.getItem(k), o), {}) })",
    );
    serde_json::from_str(raw.as_str().unwrap()).unwrap()
}

fn export(tab: &Tab) -> Value {
    let raw = eval(tab, "JSON.stringify(GuidebookStore.exportAll().data)");
    serde_json::from_str(raw.as_str().unwrap()).unwrap()
}

/// The ticked items of list `list` for the program named `program`, from an export's data.
fn ticked(data: &Value, list: &str, program: &str) -> Vec<String> {
    let id = data["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == program)
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .unwrap();
    let mut items: Vec<String> = data["ticks"][list][&id]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    items.sort();
    items
}

fn note(data: &Value, list: &str) -> Value {
    let id = data["programs"][0]["id"].as_str().unwrap();
    data["notes"][list][id].clone()
}

/// Types `text` into `textarea` one character at a time, as input events.
fn type_char(tab: &Tab, textarea: &str, c: char) {
    eval(
        tab,
        &format!(
            "(function () {{ var t = document.querySelector({textarea:?}); t.value += {c:?}; \
             t.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()",
            c = c.to_string()
        ),
    );
}

fn type_text(tab: &Tab, textarea: &str, text: &str) {
    for c in text.chars() {
        type_char(tab, textarea, c);
    }
}

/// What the notice's "Download my data" button downloads (the blob it hands the browser).
const CAPTURE_DOWNLOADS: &str = "window.downloads = []; (function () { var make = URL.createObjectURL; \
    URL.createObjectURL = function (blob) { blob.text().then(function (t) { window.downloads.push(t); }); \
    return make.call(URL, blob); }; })();";

#[test]
fn a_tick_that_full_storage_refuses_stays_visible_is_noticed_and_is_in_the_export() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    from_disk_and_http(&book, |origin, url| {
        let watched = Watched::new(&chrome);
        watched.before_scripts(CAPTURE_DOWNLOADS);
        let tab = &watched.tab;
        watched.goto(&url("lists.html"));
        submit_text(tab, "#visit .add-program-inline input", "Lakeside");
        wait_for(tab, "!document.querySelector('#v01').disabled");
        press(tab, "#v01");
        type_text(tab, "#visit .checklist-notes textarea", "Great case volume");
        let filler = fill_storage(tab, 0);
        eprintln!("{origin}: localStorage took {filler} characters of another key");

        press(tab, "#v02");
        type_char(tab, "#second .checklist-notes textarea", '!');
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(
            eval(
                tab,
                "[document.querySelector('#v01').checked, document.querySelector('#v02').checked].join()"
            ),
            "true,true",
            "{origin}: the refused tick stays"
        );
        assert_eq!(
            text(tab, ".storage-notice"),
            "Your browser did not save your last change (its storage is full or blocked). It stays on this \
             page until you close it: download your data to keep it. Download my data",
            "{origin}"
        );
        let data = export(tab);
        assert_eq!(
            ticked(&data, "visit", "Lakeside"),
            ["v01", "v02"],
            "{origin}"
        );
        assert_eq!(note(&data, "visit"), "Great case volume", "{origin}");
        assert_eq!(note(&data, "second"), "!", "{origin}");
        // The notice's button downloads exactly that.
        press(tab, ".storage-notice .storage-export");
        wait_for(tab, "window.downloads.length === 1");
        let file: Value =
            serde_json::from_str(eval(tab, "window.downloads[0]").as_str().unwrap()).unwrap();
        assert_eq!(file["data"], data, "{origin}");

        // Storage still full at the next load: what was saved shows and exports.
        reload(tab);
        wait_for(tab, "document.querySelector('#v01').checked");
        assert_eq!(
            eval(
                tab,
                "document.querySelector('#visit .checklist-notes textarea').value"
            ),
            "Great case volume"
        );
        let data = export(tab);
        assert_eq!(ticked(&data, "visit", "Lakeside"), ["v01"], "{origin}");

        // Values in the old layout, at a load with storage full: shown, exported, kept.
        let old = json!({"visit": {data["programs"][0]["id"].as_str().unwrap(): {"v07": {"h": "x", "t": "Visit item 7."}}}});
        eval(
            tab,
            &format!(
                "localStorage.removeItem('filler'); localStorage.setItem('guidebook:ir:v2:ticks', {:?}); true",
                old.to_string()
            ),
        );
        fill_storage(tab, 0);
        reload(tab);
        wait_for(
            tab,
            "document.querySelector('#v01').checked && document.querySelector('#v07').checked",
        );
        assert_eq!(
            ticked(&export(tab), "visit", "Lakeside"),
            ["v01", "v07"],
            "{origin}"
        );
        assert_eq!(
            eval(tab, "localStorage.getItem('guidebook:ir:v2:ticks')"),
            old.to_string(),
            "{origin}: the old value stays until its items are stored"
        );
        // Once there is room, the next change stores everything and the old key goes.
        eval(tab, "localStorage.removeItem('filler'); true");
        press(tab, "#v03");
        let keys = eval(
            tab,
            "JSON.stringify(Object.keys(localStorage).filter(k => k.indexOf('ticks') >= 0).sort())",
        );
        assert_eq!(
            keys.as_str()
                .unwrap()
                .matches("guidebook/ir/v2/ticks/visit/")
                .count(),
            3,
            "{origin}: {keys}"
        );
        assert!(!keys.as_str().unwrap().contains("guidebook:ir:"), "{keys}");

        // An unreadable value near the quota: set aside in memory, and its key is not
        // overwritten by the next tick of that item until the copy is stored.
        let pid = data["programs"][0]["id"].as_str().unwrap().to_owned();
        let bad_key = format!("guidebook/ir/v2/ticks/visit/{pid}/v04");
        eval(
            tab,
            &format!("localStorage.setItem({bad_key:?}, '{{broken'); true"),
        );
        fill_storage(tab, 0);
        reload(tab);
        wait_for(tab, "!document.querySelector('.storage-notice').hidden");
        assert_eq!(
            text(tab, ".storage-notice"),
            "Some saved data (ticks) could not be read and was set aside. It is kept in your export on \
             the \u{201c}Your saved data\u{201d} page. Download my data",
            "{origin}"
        );
        press(tab, "#v04");
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(eval(tab, "document.querySelector('#v04').checked"), true);
        assert_eq!(
            eval(tab, &format!("localStorage.getItem({bad_key:?})")),
            "{broken",
            "{origin}: kept where it was"
        );
        let file: Value = serde_json::from_str(
            eval(tab, "JSON.stringify(GuidebookStore.exportAll())")
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            ticked(&file["data"], "visit", "Lakeside"),
            ["v01", "v03", "v04", "v07"],
            "{origin}"
        );
        let kept: Vec<&Value> = file["unreadable"].as_object().unwrap().values().collect();
        assert_eq!(kept, [&json!("{broken")], "{origin}");
        // With room again, the next change stores the copy, then the tick over the old value.
        eval(tab, "localStorage.removeItem('filler'); true");
        press(tab, "#v05");
        let hash = eval(
            tab,
            "document.querySelector('#v04').getAttribute('data-hash')",
        );
        assert_eq!(
            eval(
                tab,
                &format!("JSON.parse(localStorage.getItem({bad_key:?})).h")
            ),
            hash,
            "{origin}"
        );
        assert_eq!(
            eval(
                tab,
                "Object.keys(localStorage).filter(k => k.startsWith('guidebook/ir/unreadable/'))\
                 .map(k => localStorage.getItem(k)).join()"
            ),
            "{broken",
            "{origin}"
        );
        assert_clean(&watched);
        watched.tab.close(true).unwrap();
    });
}

/// Sets the file input of saved.html to `text` and imports it in `mode`; returns the message.
fn import_file(tab: &Tab, text: &str, mode: &str) -> String {
    let js = format!(
        "(function () {{ var dt = new DataTransfer(); dt.items.add(new File([{text:?}], 'data.json', {{ type: 'application/json' }})); \
         document.querySelector('#import-file').files = dt.files; \
         document.querySelector('input[name=mode][value={mode}]').checked = true; \
         document.querySelector('.saved-message').textContent = ''; \
         document.querySelector('.saved-import button[type=submit]').click(); return true; }})()"
    );
    eval(tab, &js);
    wait_for(
        tab,
        "document.querySelector('.saved-message').textContent !== ''",
    );
    eval(tab, "document.querySelector('.saved-message').textContent")
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_replace_import_larger_than_the_free_space_fails_and_changes_nothing() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    from_disk_and_http(&book, |origin, url| {
        let watched = Watched::new(&chrome);
        let tab = &watched.tab;
        watched.goto(&url("lists.html"));
        submit_text(tab, "#visit .add-program-inline input", "Lakeside");
        wait_for(tab, "!document.querySelector('#v01').disabled");
        press(tab, "#v01");
        press(tab, "#v02");
        type_text(tab, "#visit .checklist-notes textarea", "Before");
        watched.goto(&url("saved.html"));
        wait_for(tab, "!document.querySelector('.saved-app').hidden");
        let mut file: Value = serde_json::from_str(
            eval(tab, "JSON.stringify(GuidebookStore.exportAll())")
                .as_str()
                .unwrap(),
        )
        .unwrap();
        let id = file["data"]["programs"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        file["data"]["notes"] =
            json!({"visit": {&id: "y".repeat(19_000)}, "second": {&id: "z".repeat(19_000)}});
        file["data"]["ticks"] = json!({"visit": {&id: {"v05": {"h": "x", "t": "Visit item 5."}}}});
        fill_storage(tab, 4000);
        let before = whole_storage(tab);

        let message = import_file(tab, &file.to_string(), "replace");
        assert_eq!(
            message,
            "Import failed: this browser's storage has no room for the file (it is full, or the file is \
             too large). Nothing was changed.",
            "{origin}"
        );
        assert_eq!(
            whole_storage(tab),
            before,
            "{origin}: every key as it was, byte for byte"
        );
        watched.goto(&url("lists.html"));
        wait_for(
            tab,
            "document.querySelector('#v01').checked && document.querySelector('#v02').checked && \
             !document.querySelector('#v05').checked",
        );
        assert_clean(&watched);
        watched.tab.close(true).unwrap();
    });
}

#[test]
fn two_tabs_ticking_and_typing_as_fast_as_they_can_keep_everything() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    from_disk_and_http(&book, |origin, url| {
        let a = Watched::new(&chrome);
        a.goto(&url("lists.html"));
        let b = Watched::new(&chrome);
        b.goto(&url("lists.html"));
        let (ta, tb) = (&a.tab, &b.tab);
        submit_text(ta, "#visit .add-program-inline input", "Lakeside");
        wait_for(tb, "!document.querySelector('#v01').disabled");

        // At one moment, both tabs start ticking, one item per turn of their event loop (so
        // each sees the other's storage events in between, when they have arrived): A the odd
        // items, B the even ones.
        let at = now_ms() + 400;
        let odd: Vec<String> = (1..=20).step_by(2).map(|i| format!("#v{i:02}")).collect();
        let even: Vec<String> = (2..=20).step_by(2).map(|i| format!("#v{i:02}")).collect();
        run_at(ta, at, &odd, "document.querySelector(step).click()");
        run_at(tb, at, &even, "document.querySelector(step).click()");
        let all: Vec<String> = (1..=20).map(|i| format!("v{i:02}")).collect();
        let every_box = "Array.from(document.querySelectorAll('#visit input[type=checkbox]')).every(i => i.checked)";
        for tab in [ta, tb] {
            wait_for(tab, "window.runDone === true");
            wait_for(tab, every_box);
        }
        // Notes typed at once, keystroke for keystroke: A in one list's notes, B in the other's.
        let (text_a, text_b) = (
            "Great case volume, 4 IR fellows",
            "Friendly residents; call q4",
        );
        let keys = |t: &str| t.chars().map(String::from).collect::<Vec<_>>();
        let typing = |list: &str| {
            format!(
                "(function () {{ var t = document.querySelector('#{list} .checklist-notes textarea'); t.value += step; \
                 t.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()"
            )
        };
        let at = now_ms() + 400;
        run_at(ta, at, &keys(text_a), &typing("visit"));
        run_at(tb, at, &keys(text_b), &typing("second"));
        for tab in [ta, tb] {
            wait_for(tab, "window.runDone === true");
        }
        for tab in [ta, tb] {
            reload(tab);
            wait_for(tab, every_box);
            let data = export(tab);
            assert_eq!(ticked(&data, "visit", "Lakeside"), all, "{origin}");
            assert_eq!(note(&data, "visit"), text_a, "{origin}");
            assert_eq!(note(&data, "second"), text_b, "{origin}");
            assert_eq!(
                eval(
                    tab,
                    "document.querySelector('#visit .checklist-notes textarea').value + '|' + \
                     document.querySelector('#second .checklist-notes textarea').value"
                ),
                format!("{text_a}|{text_b}")
            );
        }
        assert_clean(&a);
        assert_clean(&b);
        a.tab.close(true).unwrap();
        b.tab.close(true).unwrap();
    });
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

/// At `at` (ms since the epoch, the same clock in every tab), runs `action` with `step` set to
/// each of `steps` in turn, one per turn of the page's event loop; sets `window.runDone` after.
fn run_at(tab: &Tab, at: u128, steps: &[String], action: &str) {
    let steps = serde_json::to_string(steps).unwrap();
    eval(
        tab,
        &format!(
            "window.runDone = false; (function () {{ var steps = {steps}; \
             function run(i) {{ if (i === steps.length) {{ window.runDone = true; return; }} \
             var step = steps[i]; {action}; setTimeout(function () {{ run(i + 1); }}, 0); }} \
             setTimeout(function () {{ run(0); }}, {at} - Date.now()); }})(); true"
        ),
    );
}

/// Every localStorage key, with its value, except those starting with one of `mine`.
fn others(tab: &Tab, mine: &[&str]) -> Value {
    let mine = serde_json::to_string(mine).unwrap();
    let raw = eval(
        tab,
        &format!(
            "JSON.stringify(Object.keys(localStorage).filter(k => !{mine}.some(p => k.startsWith(p))).sort()\
             .reduce((o, k) => (o[k] = localStorage.getItem(k), o), {{}}))"
        ),
    );
    serde_json::from_str(raw.as_str().unwrap()).unwrap()
}

#[test]
fn guides_ir_and_ir_v1_opened_from_disk_never_touch_each_others_data() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    // Side by side in one directory, as a reader keeps two editions.
    let shelf = TestBook::empty();
    for id in ["ir", "ir-v1"] {
        support::copy_tree(&support::fixtures().join("saved-state"), &shelf.path(id));
        let toml = shelf
            .read(&format!("{id}/book.toml"))
            .replace("id = \"ir\"", &format!("id = \"{id}\""));
        shelf.write(&format!("{id}/book.toml"), &toml);
        support::run_in(&shelf.path(id), &["build"]).assert_success();
    }
    // An id that could end in another's prefix is refused where it is written.
    support::copy_tree(
        &support::fixtures().join("saved-state"),
        &shelf.path("colon"),
    );
    let toml = shelf
        .read("colon/book.toml")
        .replace("id = \"ir\"", "id = \"ir:2025\"");
    shelf.write("colon/book.toml", &toml);
    let refused = support::run_in(&shelf.path("colon"), &["build"]);
    assert_eq!(refused.code, 1);
    assert_eq!(
        refused.stderr,
        "book.toml:3:6: error: `book.id` may contain only letters, digits and hyphens (it names readers' saved data)\n  \
         |\n3 | id = \"ir:2025\"\n  |      ^\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert!(!shelf.path("colon/book").exists());

    let page = |id: &str, p: &str| file_url(&shelf.path(&format!("{id}/book/{p}")));
    let watched = Watched::new(&chrome);
    let tab = &watched.tab;
    watched.goto(&page("ir", "lists.html"));
    // What older builds left: each guide's own value in the old layout, and one of a guide
    // once called "ir:2025", whose key starts with "guidebook:ir:".
    let foreign = [
        (
            "guidebook:ir:2025:v2:programs",
            json!([{"id": "p9", "name": "Old edition"}]).to_string(),
        ),
        (
            "guidebook:ir-v1:v2:programs",
            json!([{"id": "pv", "name": "Riverside"}]).to_string(),
        ),
    ];
    for (k, v) in &foreign {
        eval(tab, &format!("localStorage.setItem({k:?}, {v:?}); true"));
    }
    eval(
        tab,
        &format!(
            "localStorage.setItem('guidebook:ir:v2:programs', {:?}); true",
            json!([{"id": "pl", "name": "Lakeside"}]).to_string()
        ),
    );
    reload(tab);
    wait_for(tab, "!document.querySelector('#v01').disabled");
    press(tab, "#v01");
    press(tab, "#v02");
    assert_eq!(
        eval(tab, "localStorage.getItem('guidebook:ir:v2:programs')"),
        Value::Null,
        "ir's old value migrated"
    );
    assert_eq!(
        eval(tab, "localStorage.getItem('guidebook:ir:2025:v2:programs')"),
        foreign[0].1,
        "not ir's"
    );

    watched.goto(&page("ir-v1", "lists.html"));
    wait_for(tab, "!document.querySelector('#v01').disabled");
    assert_eq!(text(tab, "#visit .program-tab"), "Riverside");
    press(tab, "#v03");
    let v1_export = export(tab);
    assert_eq!(
        v1_export["programs"],
        json!([{"id": "pv", "name": "Riverside"}])
    );
    assert_eq!(ticked(&v1_export, "visit", "Riverside"), ["v03"]);

    watched.goto(&page("ir", "lists.html"));
    wait_for(tab, "document.querySelector('#v02').checked");
    let ir_export = export(tab);
    assert_eq!(
        ir_export["programs"],
        json!([{"id": "pl", "name": "Lakeside"}])
    );
    assert_eq!(ticked(&ir_export, "visit", "Lakeside"), ["v01", "v02"]);
    let ir_keys = others(
        tab,
        &["guidebook/ir-v1/", "guidebook:ir-v1:", "guidebook:ir:2025"],
    );

    // Clearing ir-v1 leaves every other key as it was; clearing ir then leaves ir-v1's.
    watched.goto(&page("ir-v1", "saved.html"));
    let not_v1 = others(tab, &["guidebook/ir-v1/"]);
    eval(
        tab,
        "window.confirm = () => true; document.querySelector('.saved-clear').click(); true",
    );
    assert_eq!(others(tab, &[]), not_v1, "only ir-v1's keys went");
    watched.goto(&page("ir", "saved.html"));
    eval(
        tab,
        "window.confirm = () => true; document.querySelector('.saved-clear').click(); true",
    );
    let left = others(tab, &[]);
    assert_eq!(
        left,
        json!({"guidebook:ir:2025:v2:programs": foreign[0].1}),
        "ir's clear took its own keys only (ir-v1 had none left)"
    );
    assert!(
        ir_keys
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("guidebook/ir/"))
    );
    assert_clean(&watched);
}

/// Over http each guide has its own origin; in one origin, keys of guides whose ids start
/// with this one's (a later `ir-v1`, an old `ir:2025`) are never read, exported or cleared.
#[test]
fn over_http_keys_of_guides_with_longer_ids_are_not_this_guides() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    let server = dev_server::serve(&book);
    let watched = Watched::new(&chrome);
    let tab = &watched.tab;
    watched.goto(&server.url("lists.html"));
    let foreign = json!({
        "guidebook/ir-v1/v2/programs/pv": json!({"o": 1, "p": {"id": "pv", "name": "Riverside"}}).to_string(),
        "guidebook:ir:2025:v2:programs": json!([{"id": "p9", "name": "Old edition"}]).to_string(),
        "guidebook:ir:v1:v2:ticks": "{}",
    });
    for (k, v) in foreign.as_object().unwrap() {
        eval(
            tab,
            &format!(
                "localStorage.setItem({k:?}, {:?}); true",
                v.as_str().unwrap()
            ),
        );
    }
    reload(tab);
    submit_text(tab, "#visit .add-program-inline input", "Lakeside");
    wait_for(tab, "!document.querySelector('#v01').disabled");
    press(tab, "#v01");
    assert_eq!(text(tab, "#visit .program-tab"), "Lakeside");
    let data = export(tab);
    assert_eq!(data["programs"].as_array().unwrap().len(), 1);
    watched.goto(&server.url("saved.html"));
    eval(
        tab,
        "window.confirm = () => true; document.querySelector('.saved-clear').click(); true",
    );
    assert_eq!(others(tab, &[]), foreign);
    assert_clean(&watched);
}

#[test]
fn an_import_with_proto_keys_changes_no_prototype() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    let file = r#"{"format": "guidebook-state", "version": 2, "guide": "ir",
        "__proto__": {"polluted": "top"},
        "data": {
          "programs": [{"id": "p1", "name": "Lakeside", "__proto__": {"polluted": "program"}}],
          "ticks": {"__proto__": {"p1": {"v01": {"h": "x", "t": "proto list"}}},
                    "constructor": {"prototype": {"v02": {"h": "x", "t": "constructor list"}}},
                    "visit": {"p1": {"__proto__": {"h": "x", "t": "proto item"}}}},
          "notes": {"__proto__": {"p1": "polluted note"}, "prototype": {"p1": "prototype note"}},
          "profiles": {"p1": {"ratings": {"__proto__": 3}, "figures": {"constructor": "5"}}}
        }}"#;
    from_disk_and_http(&book, |origin, url| {
        let watched = Watched::new(&chrome);
        let tab = &watched.tab;
        watched.goto(&url("saved.html"));
        wait_for(tab, "!document.querySelector('.saved-app').hidden");
        let prototype = "JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), \
             Object.getPrototypeOf({}) === Object.prototype, ({}).polluted, ({}).p1, ({}).v01, \
             Object.prototype.constructor === Object, typeof Object.prototype.prototype])";
        let before = eval(tab, prototype);
        // A kind of data named "__proto__" is no kind the guide saves: refused, as any other.
        let unknown = r#"{"format": "guidebook-state", "version": 2, "guide": "ir", "data": {"__proto__": {"polluted": "data"}}}"#;
        assert_eq!(
            import_file(tab, unknown, "merge"),
            "Import refused: The file holds an unknown kind of data: __proto__. Nothing was changed."
        );
        assert_eq!(eval(tab, prototype), before, "{origin}");
        for mode in ["merge", "replace"] {
            assert_eq!(
                import_file(tab, file, mode),
                format!("Imported ({mode})."),
                "{origin}"
            );
            assert_eq!(eval(tab, prototype), before, "{origin} {mode}");
        }
        // The keys are data: stored, exported and read back as they were.
        reload(tab);
        assert_eq!(eval(tab, prototype), before, "{origin}: after a reload");
        let data = export(tab);
        assert_eq!(
            data["notes"]["__proto__"]["p1"], "polluted note",
            "{origin}"
        );
        assert_eq!(data["notes"]["prototype"]["p1"], "prototype note");
        assert_eq!(
            data["ticks"]["constructor"]["prototype"]["v02"]["t"],
            "constructor list"
        );
        assert_eq!(data["ticks"]["visit"]["p1"]["__proto__"]["t"], "proto item");
        assert_eq!(data["profiles"]["p1"]["ratings"]["__proto__"], 3);
        assert_eq!(
            data["programs"],
            json!([{"id": "p1", "name": "Lakeside", "__proto__": {"polluted": "program"}}])
        );
        watched.goto(&url("lists.html"));
        wait_for(
            tab,
            "document.querySelector('#visit .program-tab') !== null",
        );
        assert_eq!(
            eval(tab, prototype),
            before,
            "{origin}: pages reading the data"
        );
        assert_clean(&watched);
        watched.tab.close(true).unwrap();
    });
}

/// The saved-data page says how much this guide stores and whether the browser granted
/// persistent storage.
#[test]
fn the_saved_data_page_shows_the_size_and_persistence() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    from_disk_and_http(&book, |origin, url| {
        let watched = Watched::new(&chrome);
        let tab = &watched.tab;
        watched.goto(&url("lists.html"));
        submit_text(tab, "#visit .add-program-inline input", "Lakeside");
        wait_for(tab, "!document.querySelector('#v01').disabled");
        press(tab, "#v01");
        watched.goto(&url("saved.html"));
        wait_for(
            tab,
            "document.querySelector('.saved-usage').hasAttribute('data-persisted')",
        );
        let bytes = eval(
            tab,
            "Object.keys(localStorage).filter(k => k.startsWith('guidebook/ir/'))\
             .reduce((n, k) => n + 2 * (k.length + localStorage.getItem(k).length), 0)",
        );
        let granted = eval(
            tab,
            "document.querySelector('.saved-usage').getAttribute('data-persisted')",
        );
        eprintln!("{origin}: {bytes} bytes stored, persistent storage granted: {granted}");
        let kb = format!("{:.1}", bytes.as_f64().unwrap() / 1024.0);
        let persistence = match granted.as_str().unwrap() {
            "yes" => {
                "The browser has granted persistent storage: it will not clear this data to free space."
            }
            "no" => {
                "The browser has not granted persistent storage: it may clear this data (to free space, or after a while unused), so export it to keep a copy."
            }
            _ => {
                "This browser does not say whether it will keep this data: export it to keep a copy."
            }
        };
        assert_eq!(
            eval(tab, "document.querySelector('.saved-usage').textContent"),
            format!(
                "Your data for this guide takes {kb} KB of this browser's storage. {persistence}"
            ),
            "{origin}"
        );
        assert_clean(&watched);
        watched.tab.close(true).unwrap();
    });
}

/// Storage blocked outright (as by a privacy setting): the page says so at once, and ticks
/// and notes live on the page and in its export.
#[test]
fn with_storage_blocked_changes_stay_on_the_page_and_in_the_export() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("saved-state");
    from_disk_and_http(&book, |origin, url| {
        let watched = Watched::new(&chrome);
        watched.before_scripts(
            "Object.defineProperty(window, 'localStorage', { get: function () { \
             throw new DOMException('blocked', 'SecurityError'); } });",
        );
        let tab = &watched.tab;
        watched.goto(&url("lists.html"));
        assert_eq!(
            text(tab, ".storage-notice"),
            "This browser is not letting the guide save anything (private mode or blocked storage). \
             Your changes last only until you close this page: download your data to keep them. \
             Download my data",
            "{origin}"
        );
        submit_text(tab, "#visit .add-program-inline input", "Lakeside");
        wait_for(tab, "!document.querySelector('#v01').disabled");
        press(tab, "#v01");
        type_text(tab, "#visit .checklist-notes textarea", "Kept");
        assert_eq!(eval(tab, "document.querySelector('#v01').checked"), true);
        let data = export(tab);
        assert_eq!(ticked(&data, "visit", "Lakeside"), ["v01"], "{origin}");
        assert_eq!(note(&data, "visit"), "Kept", "{origin}");
        assert_clean(&watched);
        watched.tab.close(true).unwrap();
    });
}
