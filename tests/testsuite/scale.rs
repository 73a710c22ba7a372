//! Validation stays linear: a 20,000-question bank (half in flow style) checks in seconds and
//! reports exactly its one problem, at the right place. `benches/scale.py` prints the real
//! figures for a release build.

use std::time::{Duration, Instant};

use crate::support::{self, TestBook};

const QUESTIONS: usize = 20_000;

/// One question; odd ones in flow style. `topic` is its only topic.
fn question(i: usize, topic: &str) -> String {
    if i % 2 == 1 {
        return format!(
            "  - {{ id: scale-q{i}, text: 'Question {i}: how is call shared?', why: 'It shows the workload.', topics: [{topic}], applies_to: all }}\n"
        );
    }
    format!(
        "  - id: scale-q{i}\n    text: Question {i}, see the [glossary](../glossary.md#esir).\n    why: Shows the real workload.\n    good_signs:\n      - Concrete numbers\n    follow_ups:\n      - Who backs you up?\n    topics: [visa, {topic}]\n    applies_to: [us-img, non-us-img]\n    priority: medium\n"
    )
}

#[test]
fn a_20000_question_bank_checks_in_seconds_with_exactly_its_errors() {
    let _timing = support::timing_lock();
    let book = TestBook::from_fixture("minimal");
    let mut bank =
        String::from("id: scale\ntitle: Questions at scale\naudience: alumni\nquestions:\n");
    let mut bad_lines = Vec::new();
    for i in 0..QUESTIONS {
        // Two misspelt topics, one in each style, far down the file.
        let topic = if i == 12_345 || i == 19_998 {
            "wrkload"
        } else {
            "workload"
        };
        if topic == "wrkload" {
            bad_lines.push(bank.lines().count() + 1);
        }
        bank.push_str(&question(i, topic));
    }
    book.write("content/questions/scale.yaml", &bank);

    let started = Instant::now();
    let run = book.run(&["check"]);
    let took = started.elapsed();

    // 12,345 is flow style: its topic is on its own line. 19,998 is block style: the topics
    // line is the 8th of the question.
    let flow = bad_lines[0];
    let block = bad_lines[1] + 7;
    let flow_line = bank.lines().nth(flow - 1).unwrap();
    let block_line = bank.lines().nth(block - 1).unwrap();
    let flow_col = flow_line.find("wrkload").unwrap() + 1;
    let block_col = block_line.find("wrkload").unwrap() + 1;
    let message = "error: unknown topic \"wrkload\", did you mean \"workload\"?";
    let caret = |line: usize, col: usize, text: &str| {
        let pad = " ".repeat(line.to_string().len());
        format!("{pad} |\n{line} | {text}\n{pad} | {}^", " ".repeat(col - 1))
    };
    let expected = format!(
        "content/questions/scale.yaml:{flow}:{flow_col}: {message}\n{}\n\ncontent/questions/scale.yaml:{block}:{block_col}: {message}\n{}\n\nerror: check found 2 errors\n",
        caret(flow, flow_col, flow_line),
        caret(block, block_col, block_line),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, expected);
    // Generous: a debug build on a loaded 2-core machine. Release takes well under 2 s.
    assert!(took < Duration::from_secs(60), "check took {took:?}");
}
