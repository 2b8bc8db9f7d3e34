//! Rendering of bloc diagnostics for people: `FILE:LINE:COL: problem, expected ...`
//! followed by the source line with the span underlined (miette's graphical handler; for a
//! line longer than [`LONG_LINE`] characters, an excerpt of it around the span, which miette
//! cannot draw past column 65,535), and writing to stderr without failing when it is closed.

use bloc_base::diagnostics::{Diagnostic, Diagnostics};
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
    let limit = crate::limits::PROBLEMS_PRINTED;
    let shown = if limit.liftable && crate::limits::lifted() {
        diags.len()
    } else {
        diags
            .len()
            .min(usize::try_from(limit.max).unwrap_or(usize::MAX))
    };
    let lines = bloc_base::diagnostics::LineIndex::new(text);
    let mut out = String::new();
    for d in diags.iter().take(shown) {
        out.push_str(&one(name, text, &lines, d, &handler));
    }
    if shown < diags.len() {
        out.push_str(&format!(
            "{name}: {} more problems not shown (the first {shown} are; `bloc check --json` \
             lists all, --allow-large prints all)\n",
            diags.len() - shown
        ));
    }
    out.push_str(&format!(
        "{name}: {} problem{} found\n",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    ));
    out
}

fn one(
    name: &str,
    text: &str,
    lines: &bloc_base::diagnostics::LineIndex<'_>,
    d: &Diagnostic,
    handler: &GraphicalReportHandler,
) -> String {
    let (line, col) = lines.line_col(d.span.start);
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
    let start = floor_boundary(text, d.span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    // miette also prints the lines before and after in full: a long one there is as bad.
    let before_line = text[..line_start.saturating_sub(1)].rsplit('\n').next();
    let after_line = text
        .get(line_end + 1..)
        .and_then(|rest| rest.split('\n').next());
    let long = |l: &str| l.chars().count() > LONG_LINE;
    if !long(line) && !before_line.is_some_and(long) && !after_line.is_some_and(long) {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(EXCERPT_SIDE);
    let to = (at + EXCERPT_SIDE).min(chars.len());
    let span_end = floor_boundary(text, d.span.end.clamp(start, line_end));
    let width = text[start..span_end]
        .chars()
        .count()
        .clamp(1, (to + 1).saturating_sub(at).max(1));
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

#[cfg(test)]
mod tests {
    use super::*;
    use bloc_base::diagnostics::line_col;

    fn excerpt(text: &str, span: std::ops::Range<usize>) -> Option<String> {
        let d = Diagnostic::new(span.clone(), "", "bad", "good");
        let (_, col) = line_col(text, span.start);
        long_line_excerpt(text, &d, col)
    }

    #[test]
    fn short_lines_are_left_to_miette() {
        assert_eq!(excerpt("a = 1\nb = 2\n", 4..5), None);
        assert_eq!(excerpt("", 0..0), None);
    }

    #[test]
    fn a_long_line_of_multibyte_characters_is_cut_at_characters_with_one_caret_each() {
        let text = format!("{}X{}", "é".repeat(2000), "ü".repeat(10));
        let at = "é".len() * 2000;
        let out = excerpt(&text, at..at + 1).expect("a long line");
        assert!(
            out.contains("columns 1941-2011 of a line of 2011 characters"),
            "{out}"
        );
        let caret_line = out.lines().nth(2).expect("three lines");
        assert_eq!(caret_line.matches('^').count(), 1, "{out}");
        let shown = out.lines().nth(1).expect("the excerpt");
        let caret = caret_line.find('^').expect("a caret");
        assert_eq!(
            shown[..].chars().nth(caret_line[..caret].chars().count()),
            Some('X')
        );
    }

    #[test]
    fn crlf_endings_a_span_over_the_newline_and_the_end_of_file_are_safe() {
        let long = "A".repeat(1500);
        let crlf = format!("{long}\r\nb = 1\r\n");
        let out = excerpt(&crlf, 1499..1503).expect("a long line");
        assert!(out.contains("of a line of 1500 characters"), "{out}");
        assert!(!out.contains('\r'));
        let eof = long.clone();
        assert!(excerpt(&eof, eof.len()..eof.len()).is_some());
    }

    #[test]
    fn a_long_neighbour_of_a_short_line_is_not_printed_whole() {
        let text = format!("a = 1\n{}\nb = 2\n", "#".repeat(5000));
        let out = excerpt(&text, 0..1).expect("the long next line counts");
        assert!(out.lines().all(|l| l.chars().count() < 300), "{out}");
    }
}
