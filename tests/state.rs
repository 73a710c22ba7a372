//! Readers' saved state in a real browser: values from an older schema are migrated (the old
//! ones kept until the new ones are written), unreadable values are set aside with a notice
//! and kept in the export, and two tabs editing at once keep each other's changes.

mod support;

use headless_chrome::Tab;
use serde_json::{Value, json};
use support::TestBook;
use support::browser::{self, Chrome, Watched, eval, file_url, wait_for};

const PREFIX: &str = "guidebook:minimal-guide:";

fn built() -> TestBook {
    let book = TestBook::from_fixture("minimal");
    book.run(&["build"]).assert_success();
    book
}

/// Every key this guide keeps in localStorage, with its raw value.
fn storage(tab: &Tab) -> Value {
    let raw = eval(
        tab,
        &format!(
            "JSON.stringify(Object.keys(localStorage).filter(k => k.startsWith('{PREFIX}')).sort()\
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
    let book = built();
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
         if (String(k).indexOf(':v2:') >= 0) throw new DOMException('full', 'QuotaExceededError'); \
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
            .any(|k| k.contains(":v2:")),
        "{after_failure:#}"
    );
    refusing.tab.close(true).unwrap();

    // Then a normal load migrates.
    reload(tab);
    wait_for(
        tab,
        "document.querySelector('#mal-fear').checked && document.querySelector('#task-task-flights').checked",
    );
    let state = storage(tab);
    let keys: Vec<&String> = state.as_object().unwrap().keys().collect();
    assert!(
        keys.iter().all(|k| !k.contains(":v1:")),
        "old keys are removed once written: {keys:?}"
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
    let book = built();
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
            .contains("(sheet, programs, ticks) could not be read and was set aside"),
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
    let book = built();
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
    let book = built();
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
