//! Stakeholder tables: who takes part in a collective decision, with what capability,
//! position and salience; and the reader for the CSV/TSV files of the published data sets.
//!
//! Header variants accepted (case-insensitive): actor `Actor`, `Stakeholder`, `Name`;
//! capability `Capability`, `Resources`, `Clout`, `Power`, `c`; position `Position`, `x`;
//! salience `Salience`, `s`. A salience column given on 0-100 (any value above 1) is divided
//! by 100. The delimiter is a tab if the header line holds one, otherwise a comma.

use bloc_base::diagnostics::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};

/// The largest magnitude of a value in a table: products and sums of values over thousands
/// of actors stay finite (a value of 1e308 made the weighted mean NaN).
pub const MAGNITUDE: f64 = 1e12;

/// One stakeholder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stakeholder {
    /// Name.
    pub name: String,
    /// Capability c_i (power, resources, clout), at least 0.
    pub capability: f64,
    /// Position x_i on the issue scale.
    pub position: f64,
    /// Salience s_i in [0, 1].
    pub salience: f64,
}

/// The stakeholders of one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StakeholderTable {
    /// The stakeholders, in file order.
    pub stakeholders: Vec<Stakeholder>,
    /// Whether the salience column was given on 0-100 and scaled.
    pub salience_scaled: bool,
}

impl StakeholderTable {
    /// The positions, in order.
    pub fn positions(&self) -> Vec<f64> {
        self.stakeholders.iter().map(|s| s.position).collect()
    }
}

const ACTOR: &[&str] = &["actor", "stakeholder", "name"];
const CAPABILITY: &[&str] = &["capability", "resources", "clout", "power", "c"];
const POSITION: &[&str] = &["position", "x"];
const SALIENCE: &[&str] = &["salience", "s"];

/// Reads a stakeholder table from CSV or TSV text, reporting every problem with its span.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
pub fn read_stakeholders(text: &str) -> Result<StakeholderTable, Diagnostics> {
    let mut diags = Diagnostics::default();
    let header_end = text.find('\n').unwrap_or(text.len());
    let delimiter = if text[..header_end].contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_span = 0..header_end.max(1).min(text.len());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::new(
                header_span,
                "",
                format!("cannot read the header: {e}"),
                "a header line",
            ));
            return Err(diags);
        }
    };
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_ascii_lowercase().as_str()))
    };
    let mut columns = [0usize; 4];
    for (k, (names, what)) in [
        (ACTOR, "actor"),
        (CAPABILITY, "capability"),
        (POSITION, "position"),
        (SALIENCE, "salience"),
    ]
    .into_iter()
    .enumerate()
    {
        match find(names) {
            Some(i) => columns[k] = i,
            None => diags.push(Diagnostic::new(
                header_span.clone(),
                "",
                format!("no {what} column in the header"),
                format!("a column named one of {}", names.join(", ")),
            )),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut stakeholders = Vec::new();
    let mut salience_spans = Vec::new();
    // Actor names already read, with the byte where their row starts.
    // Each actor's name and the line of its row.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(Diagnostic::new(
                    at..at + 1,
                    "",
                    format!("malformed row: {e}"),
                    "a row of delimited values",
                ));
                continue;
            }
        };
        let row_start = record.position().map_or(0, |p| p.byte() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field_span = |i: usize| -> std::ops::Range<usize> {
            // Locate field i by scanning the raw row text.
            let line_end = text[row_start..]
                .find('\n')
                .map_or(text.len(), |e| row_start + e);
            let line = &text[row_start..line_end];
            let mut start = 0;
            for (k, part) in line.split(delimiter as char).enumerate() {
                if k == i {
                    let trimmed = part.trim_start();
                    let lead = part.len() - trimmed.len();
                    let s = row_start + start + lead;
                    return s..(s + trimmed.trim_end().len())
                        .max(s + 1)
                        .min(text.len().max(s + 1));
                }
                start += part.len() + 1;
            }
            row_start..line_end.max(row_start + 1)
        };
        let name = record.get(columns[0]).unwrap_or("").to_string();
        if name.is_empty() {
            diags.push(Diagnostic::new(
                field_span(columns[0]),
                "",
                "empty actor name",
                "a name",
            ));
        } else if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            // A second row for an actor would count its capability twice.
            let line = *first;
            diags.push(Diagnostic::new(
                field_span(columns[0]),
                "",
                format!("actor \"{name}\" appears twice (first on line {line})"),
                "each actor on one row",
            ));
        } else {
            // The row's line, as the CSV reader counts it (1-based).
            let line = record.position().map_or(0, |p| p.line() as usize);
            seen.push((name.clone(), line));
        }
        let mut number = |k: usize, what: &str, min: f64| -> f64 {
            let raw = record.get(columns[k]).unwrap_or("");
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= min && v.abs() <= MAGNITUDE => v,
                Ok(v) if v.is_finite() => {
                    diags.push(Diagnostic::new(
                        field_span(columns[k]),
                        "",
                        format!("{what} {raw} is out of range"),
                        if min.is_finite() {
                            format!("a number from {min} to {MAGNITUDE:e}")
                        } else {
                            format!("a number from {:e} to {MAGNITUDE:e}", -MAGNITUDE)
                        },
                    ));
                    f64::NAN
                }
                _ => {
                    diags.push(Diagnostic::new(
                        field_span(columns[k]),
                        "",
                        format!("{what} \"{raw}\" is not a number"),
                        "a finite number",
                    ));
                    f64::NAN
                }
            }
        };
        let capability = number(1, "capability", 0.0);
        let position = number(2, "position", f64::NEG_INFINITY);
        let salience = number(3, "salience", 0.0);
        salience_spans.push(field_span(columns[3]));
        stakeholders.push(Stakeholder {
            name,
            capability,
            position,
            salience,
        });
    }
    if stakeholders.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            header_span,
            "",
            "no stakeholders",
            "at least one row after the header",
        ));
    }
    let salience_scaled = stakeholders.iter().any(|s| s.salience > 1.0);
    if salience_scaled {
        for (s, span) in stakeholders.iter_mut().zip(&salience_spans) {
            if s.salience > 100.0 {
                diags.push(Diagnostic::new(
                    span.clone(),
                    "",
                    format!("salience {} is above 100", s.salience),
                    "saliences on 0-1, or all on 0-100",
                ));
            }
            s.salience /= 100.0;
        }
    }
    if diags.is_empty() {
        Ok(StakeholderTable {
            stakeholders,
            salience_scaled,
        })
    } else {
        Err(diags.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_variants_and_scales_salience() {
        let t = read_stakeholders(
            "Stakeholder,Clout,Position,Salience\nGreece,100,40,100\nUSA,30,60,50\n",
        )
        .unwrap();
        assert!(t.salience_scaled);
        assert_eq!(t.stakeholders[1].salience, 0.5);
        let t = read_stakeholders("Name\tx\tc\ts\nA\t1\t0.24\t0.7\n").unwrap();
        assert_eq!(
            t.stakeholders[0],
            Stakeholder {
                name: "A".into(),
                capability: 0.24,
                position: 1.0,
                salience: 0.7
            }
        );
    }

    #[test]
    fn reports_every_bad_cell_with_its_place() {
        let text = "Actor,Capability,Position,Salience\nA,x,1,0.5\nB,1,2,-3\n";
        let d = read_stakeholders(text).unwrap_err();
        assert_eq!(d.len(), 2);
        let (l0, c0) = bloc_base::diagnostics::line_col(text, d.0[0].span.start);
        assert_eq!((l0, c0), (2, 3));
        let (l1, c1) = bloc_base::diagnostics::line_col(text, d.0[1].span.start);
        assert_eq!((l1, c1), (3, 7));
        assert!(read_stakeholders("Who,Capability,Position,Salience\n").is_err());
    }
}
