//! Interactive checklists in a real browser: ticks saved by stable id over file:// and http,
//! scores and bands, per-program state and the comparison page, export / clear / import, and
//! ticks surviving edits to the guide.

use crate::support::browser::{self, Chrome, click, eval, file_url, goto, open, wait_for};
use crate::support::{self, TestBook, parse, select};
use headless_chrome::Tab;
use serde_json::{Value, json};

fn add_program(tab: &Tab, name: &str) {
    let input = tab
        .wait_for_element("#malignancy .add-program-inline input")
        .unwrap();
    input.click().unwrap();
    tab.type_str(name).unwrap();
    click(tab, "#malignancy .add-program-inline button");
    wait_for(
        tab,
        &format!(
            "Array.from(document.querySelectorAll('#malignancy .program-tab')).some(b => b.textContent === {name:?} && b.getAttribute('aria-pressed') === 'true')"
        ),
    );
}

fn score_line(tab: &Tab) -> Value {
    eval(
        tab,
        "document.querySelector('#malignancy .score-text').textContent",
    )
}

/// Everything the reader saved, as JSON (key order does not matter).
fn state(tab: &Tab) -> Value {
    let text = eval(tab, "JSON.stringify(GuidebookStore.exportAll().data)");
    serde_json::from_str(text.as_str().unwrap()).unwrap()
}

/// Ticks on the single-scope list and a task item survive a reload at `page_url`.
fn ticks_survive_reload(chrome: &Chrome, page_url: &str) {
    let tab = open(chrome, page_url);
    click(&tab, "#ready-cv");
    click(&tab, "#task-task-flights");
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.querySelector('#ready-cv').checked && document.querySelector('#task-task-flights').checked",
    );
    assert_eq!(
        eval(&tab, "document.querySelector('#ready-ps').checked"),
        false
    );
}

#[test]
fn ticks_persist_across_reload_from_file_and_over_http() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    // The readiness list is on beta; the tasks on alpha-detail: use a page that has both.
    book.write(
        "content/chapters/beta.md",
        &format!(
            "{}\n- [ ] Book your flights {{#task-flights}}\n",
            book.read("content/chapters/beta.md")
        ),
    );
    book.write(
        "content/chapters/alpha-detail.md",
        &book
            .read("content/chapters/alpha-detail.md")
            .replace("- [ ] Book your flights {#task-flights}\n", ""),
    );
    book.run(&["build"]).assert_success();
    ticks_survive_reload(&chrome, &file_url(&book.path("book/chapters/beta.html")));
    let base = support::http::serve(&book.path("book"));
    ticks_survive_reload(&chrome, &format!("{base}chapters/beta.html"));
}

#[test]
fn score_and_band_follow_the_ticks_and_programs_keep_separate_state() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let tab = open(
        &chrome,
        &file_url(&book.path("book/chapters/alpha-detail.html")),
    );
    wait_for(&tab, "document.querySelector('#mal-fear').disabled");
    add_program(&tab, "Lakeside");
    assert_eq!(score_line(&tab), "Score for Lakeside: 0 of 2 (No flags)");
    click(&tab, "#mal-fear");
    wait_for(
        &tab,
        "document.querySelector('#malignancy .score-text').textContent === 'Score for Lakeside: 1 of 2 (Some flags)'",
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#malignancy .band.current').getAttribute('data-label')"
        ),
        "Some flags"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#malignancy .score-line').getAttribute('aria-live')"
        ),
        "polite"
    );
    click(&tab, "#mal-hours");
    wait_for(
        &tab,
        "document.querySelector('#malignancy').getAttribute('data-score') === '2'",
    );

    add_program(&tab, "Riverside");
    assert_eq!(
        score_line(&tab),
        "Score for Riverside: 0 of 2 (No flags)",
        "a new program starts empty"
    );
    assert_eq!(
        eval(&tab, "document.querySelector('#mal-fear').checked"),
        false
    );
    click(&tab, "#mal-hours");
    tab.wait_for_element("#malignancy .checklist-notes textarea")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str("Call looked heavy").unwrap();

    // One click switches back; Lakeside's ticks are intact.
    click(&tab, "#malignancy .program-tab[aria-pressed=false]");
    wait_for(
        &tab,
        "document.querySelector('#malignancy .score-text').textContent === 'Score for Lakeside: 2 of 2 (Some flags)'",
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#malignancy .checklist-notes textarea').value"
        ),
        ""
    );

    // The comparison page shows both, sorted by the score.
    goto(&tab, &file_url(&book.path("book/compare.html")));
    wait_for(
        &tab,
        "document.querySelectorAll('.compare-table tbody tr').length === 2",
    );
    click(&tab, ".sort-button[data-key='score:malignancy']");
    let rows = "Array.from(document.querySelectorAll('.compare-table tbody tr')).map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).join('; ')";
    assert_eq!(
        eval(&tab, rows),
        "Lakeside=2 / 2 (Some flags); Riverside=1 / 2 (Some flags)"
    );
    click(&tab, ".sort-button[data-key='score:malignancy']");
    assert_eq!(
        eval(&tab, rows),
        "Riverside=1 / 2 (Some flags); Lakeside=2 / 2 (Some flags)"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('.compare-table th[aria-sort]').getAttribute('aria-sort')"
        ),
        "ascending"
    );

    // Figures and the derived per-trainee estimate.
    eval(
        &tab,
        "var s = document.querySelector('.profile-select'); s.value = s.options[0].value; s.dispatchEvent(new Event('change')); true",
    );
    for (figure, value) in [("annual-volume", "8000"), ("trainees", "4")] {
        tab.wait_for_element(&format!("[data-figure={figure}]"))
            .unwrap()
            .click()
            .unwrap();
        tab.type_str(value).unwrap();
    }
    wait_for(
        &tab,
        "document.querySelector('.compare-table').textContent.includes('2000')",
    );
    let csv = eval(&tab, "window.GuidebookCompare.csv()");
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with("Program,Malignancy risk,Culture,Call and workload,Annual IR procedures,Trainees sharing the cases,Trauma level,Cases per trainee per year\r\n"), "{csv}");
    assert!(
        csv.contains("Lakeside,2 / 2 (Some flags),,,8000,4,,2000"),
        "{csv}"
    );
}

#[test]
fn export_clear_and_import_restore_exactly_and_bad_files_change_nothing() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let tab = open(
        &chrome,
        &file_url(&book.path("book/chapters/alpha-detail.html")),
    );
    add_program(&tab, "Lakeside");
    click(&tab, "#mal-fear");
    click(&tab, "#task-task-print");
    goto(&tab, &file_url(&book.path("book/questions/residents.html")));
    click(&tab, "button.add-to-sheet[data-id=res-visa]");

    goto(&tab, &file_url(&book.path("book/saved.html")));
    wait_for(&tab, "!document.querySelector('.saved-app').hidden");
    let before = eval(&tab, "JSON.stringify(GuidebookStore.exportAll().data)");
    assert!(before.as_str().unwrap().contains("Lakeside"));
    let saved = state(&tab);

    eval(&tab, "window.confirm = () => true; true");
    click(&tab, ".saved-clear");
    assert_eq!(
        eval(&tab, "JSON.stringify(GuidebookStore.exportAll().data)"),
        "{}"
    );

    let import = |text: &str, mode: &str| {
        let js = format!(
            "(function () {{ var dt = new DataTransfer(); dt.items.add(new File([{text:?}], 'data.json', {{ type: 'application/json' }})); \
             document.querySelector('#import-file').files = dt.files; \
             document.querySelector('input[name=mode][value={mode}]').checked = true; \
             document.querySelector('.saved-message').textContent = ''; \
             document.querySelector('.saved-import button[type=submit]').click(); return true; }})()"
        );
        eval(&tab, &js);
        wait_for(
            &tab,
            "document.querySelector('.saved-message').textContent !== ''",
        );
        eval(&tab, "document.querySelector('.saved-message').textContent")
    };
    let export = json!({"format": "guidebook-state", "version": 1, "guide": "minimal-guide", "data": serde_json::from_str::<Value>(before.as_str().unwrap()).unwrap()});
    assert_eq!(
        import(&export.to_string(), "replace"),
        "Imported (replace)."
    );
    assert_eq!(state(&tab), saved, "the same state, exactly");

    for (bad, why) in [
        ("not json at all", "not valid JSON"),
        (
            r#"{"format":"guidebook-state","version":1,"guide":"another-guide","data":{}}"#,
            "another guide",
        ),
        (
            r#"{"format":"guidebook-state","version":1,"guide":"minimal-guide","data":{"programs":[{"id":"x","name":{"<img onerror>":1}}]}}"#,
            "damaged",
        ),
        (
            r#"{"format":"guidebook-state","version":1,"guide":"minimal-guide","data":{"evil":"<script>"}}"#,
            "unknown kind",
        ),
    ] {
        let message = import(bad, "replace");
        let message = message.as_str().unwrap();
        assert!(
            message.starts_with("Import refused:") && message.contains(why),
            "{bad}: {message}"
        );
        assert!(message.ends_with("Nothing was changed."), "{message}");
        assert_eq!(state(&tab), saved, "{bad} changed the state");
    }
    // Merge keeps what is here.
    let other = json!({"format": "guidebook-state", "version": 1, "guide": "minimal-guide", "data": {"programs": [{"id": "pz", "name": "Zenith"}]}});
    assert_eq!(import(&other.to_string(), "merge"), "Imported (merge).");
    let after = eval(&tab, "GuidebookStore.programs().map(p => p.name).join(',')");
    assert_eq!(after, "Lakeside,Zenith");
}

#[test]
fn ticks_stay_on_their_items_after_the_guide_is_edited() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let tab = open(
        &chrome,
        &file_url(&book.path("book/chapters/alpha-detail.html")),
    );
    add_program(&tab, "Lakeside");
    click(&tab, "#mal-fear");
    click(&tab, "#mal-hours");
    wait_for(
        &tab,
        "document.querySelector('#malignancy').getAttribute('data-score') === '2'",
    );

    // An advisor inserts an item before the others, rewords one and removes the other.
    let list = book.read("content/checklists/malignancy.yaml");
    let edited = list
        .replace(
            "    items:\n      - id: mal-fear",
            "    items:\n      - id: mal-new\n        text: A brand-new first item.\n      - id: mal-fear",
        )
        .replace("Residents seemed afraid to speak.", "Residents seemed afraid to speak openly.")
        .replace("      - id: mal-hours\n        text: Duty hours are logged as 79 no matter what.\n", "")
;
    book.write("content/checklists/malignancy.yaml", &edited);
    book.run(&["build"]).assert_success();

    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.querySelector('#mal-fear') && document.querySelector('#mal-fear').checked",
    );
    assert_eq!(
        eval(&tab, "document.querySelector('#mal-new').checked"),
        false,
        "the inserted item is not ticked"
    );
    let status = eval(
        &tab,
        "document.querySelector('#mal-fear').parentNode.querySelector('.item-status').textContent",
    );
    assert!(
        status
            .as_str()
            .unwrap()
            .starts_with("Changed since you ticked it"),
        "{status}"
    );
    let orphans = eval(
        &tab,
        "document.querySelector('#malignancy .checklist-orphans').hidden ? '' : document.querySelector('#malignancy .checklist-orphans ul').textContent",
    );
    assert_eq!(orphans, "Duty hours are logged as 79 no matter what.");
    // Confirming clears the mark and keeps the tick.
    click(&tab, "#malignancy .item-status button");
    wait_for(
        &tab,
        "document.querySelector('#mal-fear').parentNode.querySelector('.item-status').hidden",
    );
    assert_eq!(
        eval(&tab, "document.querySelector('#mal-fear').checked"),
        true
    );
}

#[test]
fn without_javascript_the_checklist_is_a_readable_list_of_boxes() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/chapters/alpha-detail.html"));
    let boxes = select(&doc, "#malignancy fieldset input[type=checkbox]");
    assert_eq!(boxes.len(), 2);
    for b in &boxes {
        let id = b.value().attr("id").unwrap();
        assert_eq!(
            select(&doc, &format!("label[for='{id}']")).len(),
            1,
            "{id} has a label"
        );
        assert!(b.value().attr("data-hash").is_some());
    }
    assert_eq!(select(&doc, "#malignancy fieldset legend").len(), 1);
    assert_eq!(select(&doc, "#malignancy .program-picker[hidden]").len(), 1);
    assert_eq!(
        select(&doc, "#malignancy .band").len(),
        2,
        "bands are readable without JS"
    );
    assert_eq!(select(&doc, "input.task[data-task=task-flights]").len(), 1);
    assert_eq!(
        select(&doc, "input.task[disabled]").len(),
        1,
        "the item without an id stays static"
    );
}
