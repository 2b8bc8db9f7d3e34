//! Rendering of bloc diagnostics for people: `FILE:LINE:COL: problem, expected ...`
//! followed by the source line with the span underlined (miette's graphical handler; for a
//! line longer than [`LONG_LINE`] characters, an excerpt of it around the span, which miette
//! cannot draw past column 65,535), and writing to stderr without failing when it is closed.

use bloc_base::diagnostics::{Diagnostic, Diagnostics, line_col};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use std::io::{IsTerminal, Write};

/// Lines longer than this (in characters) are shown as an excerpt around the span.
pub const LONG_LINE: usize = 1000;

/// Characters of a long line shown on each side of the span.
const EXCERPT_SIDE: usize = 60;

/// Writes `text` to stderr; a closed or broken stderr is ignored (nothing can be reported
/// there, and the exit code still says what happened).
pub fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct Problem {
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    message: String,
    label: String,
    #[help]
    help: Option<String>,
}

/// Renders every diagnostic of `text` (named `name`) as a string.
pub fn diagnostics(name: &str, text: &str, diags: &Diagnostics) -> String {
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for d in diags.iter() {
        out.push_str(&one(name, text, d, &handler));
    }
    out.push_str(&format!(
        "{name}: {} problem{} found\n",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    ));
    out
}

fn one(name: &str, text: &str, d: &Diagnostic, handler: &GraphicalReportHandler) -> String {
    let (line, col) = line_col(text, d.span.start);
    let mut out = format!("{name}:{line}:{col}: {}\n", d.summary());
    if let Some(excerpt) = long_line_excerpt(text, d, col) {
        out.push_str(&excerpt);
        out.push('\n');
        return out;
    }
    let len = d
        .span
        .end
        .saturating_sub(d.span.start)
        .max(usize::from(!text.is_empty()));
    let start = d.span.start.min(text.len().saturating_sub(len));
    let problem = Problem {
        src: NamedSource::new(name, text.to_string()),
        span: (start, len).into(),
        message: d.message.clone(),
        label: label(d),
        help: d.hint.clone(),
    };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &problem).is_ok() {
        out.push_str(&rendered);
    }
    out.push('\n');
    out
}

/// The label under a diagnostic's span.
fn label(d: &Diagnostic) -> String {
    if d.expected.is_empty() {
        d.message.clone()
    } else {
        format!("expected {}", d.expected)
    }
}

/// For a span on a line longer than [`LONG_LINE`] characters: the line's characters around
/// column `col`, with the span marked below and the help, drawn without miette.
fn long_line_excerpt(text: &str, d: &Diagnostic, col: usize) -> Option<String> {
    let start = d.span.start.min(text.len());
    let line_start = text[..floor_boundary(text, start)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= LONG_LINE {
        return None;
    }
    let at = col.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(EXCERPT_SIDE);
    let to = (at + EXCERPT_SIDE).min(chars.len());
    let width = d
        .span
        .end
        .saturating_sub(d.span.start)
        .clamp(1, to - at.min(to) + 1);
    let before = if from > 0 { "…" } else { "" };
    let after = if to < chars.len() { "…" } else { "" };
    let shown: String = chars[from..to].iter().collect();
    let pad = " ".repeat(before.chars().count() + at - from);
    let mut out = format!(
        "  | (columns {}-{} of a line of {} characters)\n  | {before}{shown}{after}\n  | {pad}{} {}\n",
        from + 1,
        to,
        chars.len(),
        "^".repeat(width.min(EXCERPT_SIDE)),
        label(d)
    );
    if let Some(help) = &d.hint {
        out.push_str(&format!("  help: {help}\n"));
    }
    Some(out)
}

/// The largest char boundary of `text` at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A table in bloc's style (condensed UTF-8 borders) with the given header row.
pub fn table(header: impl Into<comfy_table::Row>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(header);
    t
}

/// A progress bar over `runs` runs on stderr, shown only when stderr is a terminal.
pub fn progress_bar(runs: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(runs);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} runs {pos}/{len} [{bar:40}] {elapsed_precise} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
