//! The text input format of the `decide-exchange-model` package: tab-separated lines of
//! single-quoted fields.
//!
//! * `'#A' 'id' 'name' 'comment'`: an actor;
//! * `'#P' 'id' 'name' 'description'`: an issue;
//! * `'#M' 'issue' bound`: one bound of an issue's scale (two lines per issue: lower, upper);
//! * `'#D' 'actor' 'issue' position salience power`: an actor's stake in an issue.
//!
//! Lines of other kinds and blank lines are ignored. Every problem is reported with its span.

use bloc_base::diagnostics::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// An issue with its scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Identifier.
    pub id: String,
    /// Lower bound of the scale.
    pub lower: f64,
    /// Upper bound of the scale.
    pub upper: f64,
}

/// An actor's stake in one issue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stake {
    /// Position on the issue's scale.
    pub position: f64,
    /// Salience in [0, 1].
    pub salience: f64,
    /// Power (capability).
    pub power: f64,
}

/// Actors, issues and stakes of a multi-issue decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiIssueInput {
    /// Actor identifiers, in file order.
    pub actors: Vec<String>,
    /// Issues, in file order.
    pub issues: Vec<Issue>,
    /// `stakes[a][i]`: actor a's stake in issue i, if given.
    pub stakes: Vec<Vec<Option<Stake>>>,
}

struct Field<'a> {
    text: &'a str,
    span: Range<usize>,
}

fn fields(line: &str, offset: usize) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in line.split('\t') {
        let trimmed = part.trim();
        let lead = part.len() - part.trim_start().len();
        let unquoted = trimmed
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .unwrap_or(trimmed);
        let s = offset + start + lead;
        out.push(Field {
            text: unquoted,
            span: s..s + trimmed.len().max(1),
        });
        start += part.len() + 1;
    }
    while out.last().is_some_and(|f| f.text.is_empty()) {
        out.pop();
    }
    out
}

/// Reads decide's text format.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn read_decide(text: &str) -> Result<MultiIssueInput, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut actors: Vec<String> = Vec::new();
    let mut issues: Vec<Issue> = Vec::new();
    // Each issue's bounds with the span of their '#M' lines.
    let mut bounds: Vec<Vec<(f64, std::ops::Range<usize>)>> = Vec::new();
    let mut data: Vec<(usize, usize, Stake)> = Vec::new();
    // The line number of the first '#D' line of each (actor, issue) pair.
    let mut stake_lines: std::collections::BTreeMap<(usize, usize), usize> =
        std::collections::BTreeMap::new();
    let mut offset = 0;
    for (line_index, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let f = fields(line, offset);
        let line_span = offset..offset + line.len().max(1);
        offset += raw.len();
        let Some(kind) = f.first() else { continue };
        let need = |n: usize, what: &str, diags: &mut Diagnostics| -> bool {
            if f.len() < n {
                diags.push(Diagnostic::new(
                    line_span.clone(),
                    "",
                    format!("a '{}' line needs {n} fields, found {}", kind.text, f.len()),
                    what.to_string(),
                ));
                false
            } else {
                true
            }
        };
        let number = |field: &Field<'_>, what: &str, diags: &mut Diagnostics| -> Option<f64> {
            match field.text.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= crate::table::MAGNITUDE => Some(v),
                Ok(_) => {
                    diags.push(Diagnostic::new(
                        field.span.clone(),
                        "",
                        format!("{what} {} is out of range", field.text),
                        format!("a number of at most {:e} in size", crate::table::MAGNITUDE),
                    ));
                    None
                }
                _ => {
                    diags.push(Diagnostic::new(
                        field.span.clone(),
                        "",
                        format!("{what} \"{}\" is not a number", field.text),
                        "a finite number",
                    ));
                    None
                }
            }
        };
        match kind.text {
            "#A" if need(2, "'#A' 'id' 'name' 'comment'", &mut diags) => {
                actors.push(f[1].text.to_string());
            }
            "#P" if need(2, "'#P' 'id' 'name' 'description'", &mut diags) => {
                issues.push(Issue {
                    id: f[1].text.to_string(),
                    lower: 0.0,
                    upper: 100.0,
                });
                bounds.push(Vec::new());
            }
            "#M" if need(3, "'#M' 'issue' bound", &mut diags) => {
                match issues.iter().position(|i| i.id == f[1].text) {
                    Some(i) => {
                        if let Some(b) = number(&f[2], "bound", &mut diags) {
                            bounds[i].push((b, line_span.clone()));
                        }
                    }
                    None => diags.push(Diagnostic::new(
                        f[1].span.clone(),
                        "",
                        format!("unknown issue '{}'", f[1].text),
                        "an issue declared before by a '#P' line",
                    )),
                }
            }
            "#D" if need(
                6,
                "'#D' 'actor' 'issue' position salience power",
                &mut diags,
            ) =>
            {
                let actor = actors.iter().position(|a| a == f[1].text);
                let issue = issues.iter().position(|i| i.id == f[2].text);
                if actor.is_none() {
                    diags.push(Diagnostic::new(
                        f[1].span.clone(),
                        "",
                        format!("unknown actor '{}'", f[1].text),
                        "an actor declared before by an '#A' line",
                    ));
                }
                if issue.is_none() {
                    diags.push(Diagnostic::new(
                        f[2].span.clone(),
                        "",
                        format!("unknown issue '{}'", f[2].text),
                        "an issue declared before by a '#P' line",
                    ));
                }
                let position = number(&f[3], "position", &mut diags);
                let salience = number(&f[4], "salience", &mut diags);
                let power = number(&f[5], "power", &mut diags);
                if let Some(s) = salience
                    && !(0.0..=1.0).contains(&s)
                {
                    diags.push(Diagnostic::new(
                        f[4].span.clone(),
                        "",
                        format!("salience {s} is out of range"),
                        "a value from 0 to 1",
                    ));
                }
                if let Some(p) = power
                    && p < 0.0
                {
                    diags.push(Diagnostic::new(
                        f[5].span.clone(),
                        "",
                        format!("power {p} is negative"),
                        "a value of at least 0",
                    ));
                }
                if let (Some(a), Some(i)) = (actor, issue)
                    && let Some(first) = stake_lines.get(&(a, i))
                {
                    let line = *first;
                    diags.push(Diagnostic::new(
                        line_span.clone(),
                        "",
                        format!(
                            "actor '{}' has a second stake in issue '{}' (the first is on line {line})",
                            f[1].text, f[2].text
                        ),
                        "one '#D' line per actor and issue",
                    ));
                    continue;
                }
                if let (Some(a), Some(i)) = (actor, issue) {
                    stake_lines.insert((a, i), line_index + 1);
                }
                if let (Some(a), Some(i), Some(position), Some(salience), Some(power)) =
                    (actor, issue, position, salience, power)
                {
                    data.push((
                        a,
                        i,
                        Stake {
                            position,
                            salience,
                            power,
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    for (issue, b) in issues.iter_mut().zip(&bounds) {
        match b.as_slice() {
            [] => {}
            [(lo, _), (hi, _)] if lo < hi => {
                issue.lower = *lo;
                issue.upper = *hi;
            }
            _ => {
                let values: Vec<f64> = b.iter().map(|(v, _)| *v).collect();
                // At the last '#M' line of the issue, where the range went wrong.
                let span = b.last().map_or(0..0, |(_, s)| s.clone());
                diags.push(Diagnostic::new(
                    span,
                    "",
                    format!("issue '{}' has bounds {values:?}", issue.id),
                    "two '#M' lines, lower bound then a larger upper bound",
                ));
            }
        }
    }
    if actors.is_empty() || issues.is_empty() {
        diags.push(Diagnostic::new(
            0..0,
            "",
            "no actors or no issues",
            "'#A' and '#P' lines",
        ));
    }
    if !diags.is_empty() {
        return Err(diags.finish());
    }
    let mut stakes = vec![vec![None; issues.len()]; actors.len()];
    for (a, i, s) in data {
        stakes[a][i] = Some(s);
    }
    Ok(MultiIssueInput {
        actors,
        issues,
        stakes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_format_and_reports_unknown_names() {
        let text = "'#A'\t'X'\t'X'\t''\n'#A'\t'Y'\t'Y'\t''\n'#P'\t'p'\t'p'\t'p'\n'#M'\t'p'\t0\n'#M'\t'p'\t10\n'#D'\t'X'\t'p'\t3.0\t0.5\t1.0\n";
        let m = read_decide(text).unwrap();
        assert_eq!(m.actors, vec!["X", "Y"]);
        assert_eq!(m.issues[0].upper, 10.0);
        assert_eq!(
            m.stakes[0][0],
            Some(Stake {
                position: 3.0,
                salience: 0.5,
                power: 1.0
            })
        );
        assert_eq!(m.stakes[1][0], None);
        let bad = "'#A'\t'X'\t'X'\t''\n'#P'\t'p'\t'p'\t'p'\n'#D'\t'Z'\t'p'\tabc\t0.5\t1.0\n";
        let d = read_decide(bad).unwrap_err();
        assert_eq!(d.len(), 2);
        assert_eq!(
            bloc_base::diagnostics::line_col(bad, d.0[0].span.start),
            (3, 6)
        );
    }
}
