//! ScenarioWizard's `.sl` solution list (design cib.md §4.2): read against a system,
//! re-verified (a list is never trusted), and written.
//!
//! ```text
//! $ ScenarioWizard 3.0            version line (3.0 even beside 4.0 and 5 projects)
//! Solution set
//!  4                              declared number of solutions
//!                                 blank
//! " 2 3 2",4,0,0,15,""            one line per solution (Visual Basic `Write #`):
//!                                   "1-based variant per descriptor", basin weight,
//!                                   field 2, field 3, total impact score, "text"
//! ```
//!
//! Field 1 is the basin weight under global succession, written in VB's single-precision
//! format (`1.677722E+07` for the largest basins, a saturated counter) and 0 when no
//! succession was run; field 4 is the total impact score. Fields 2 and 3 are kept as
//! written: field 2 is the scenario's consistency value, the least margin over descriptors
//! of its variant's balance over the best other (it equals that in all 66 entries of
//! cibsa's and JuCIB's seven lists, values 0, 1 and 2, once self-impacts are counted);
//! field 3, always 0, may be the tolerance [inference]. Exports stop at 100,000 lines,
//! so the declared count may exceed the lines listed.
//!
//! A list is never trusted: [`verify_solution_list`] recomputes every entry under bloc's
//! system. Where a project has self-impacts (see [`super::scw`]), ScenarioWizard counts
//! them and so does bloc; an engine that dropped them would find 6 of the 16 entries of
//! cibsa's `CIB_natl_regional.sl` inconsistent and all 16 scores off by the self-impact,
//! although the list is exactly ScenarioWizard's consistent set (the design note's
//! "stale lists" are this case).

use super::scw::{Line, clip, lines, vb_str};
use super::system::{CibSystem, Scenario};
use bloc_base::diagnostics::{Diagnostic, Diagnostics};
use serde::Serialize;
use std::ops::Range;

/// The most solutions a ScenarioWizard export lists.
pub const EXPORT_CAP: usize = 100_000;

/// One solution of a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolutionEntry {
    /// The scenario, 0-based variant indices.
    pub scenario: Scenario,
    /// Field 1: basin weight (a float in the file: `1.677722E+07`).
    pub basin_weight: f64,
    /// Field 2 as written (meaning unknown).
    pub field2: String,
    /// Field 3 as written (meaning unknown).
    pub field3: String,
    /// Field 4: the total impact score as written.
    pub total_impact_score: i32,
    /// The quoted text at the end of the line, without its quotes.
    pub text: String,
    /// The line's span in the file.
    pub span: Range<usize>,
}

/// A ScenarioWizard solution list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolutionList {
    /// The number of solutions the file declares.
    pub declared: usize,
    /// The solutions listed, in file order.
    pub entries: Vec<SolutionEntry>,
}

/// Reads a `.sl` solution list; every scenario must be one of `system`'s.
pub fn read_solution_list(text: &str, system: &CibSystem) -> Result<SolutionList, Diagnostics> {
    let mut diags = Diagnostics::default();
    let all = lines(text);
    let end = text.len()..text.len();
    let mut header = all.iter().copied();

    match header.next() {
        Some(l) if l.text.trim_start().starts_with('$') => {}
        Some(l) => diags.push(Diagnostic::new(
            l.trimmed_span(),
            "",
            "the ScenarioWizard version line is missing",
            "a first line such as '$ ScenarioWizard 3.0'",
        )),
        None => {
            diags.push(Diagnostic::new(
                0..0,
                "",
                "the file is empty",
                "a ScenarioWizard solution list ('$ ScenarioWizard 3.0', 'Solution set', count)",
            ));
            return Err(diags);
        }
    }
    match header.next() {
        Some(l) if l.text.trim().eq_ignore_ascii_case("solution set") => {}
        Some(l) => diags.push(Diagnostic::new(
            l.trimmed_span(),
            "",
            format!("'{}' is not the list's title", clip(l.text.trim())),
            "'Solution set' on the second line",
        )),
        None => diags.push(Diagnostic::new(
            end.clone(),
            "",
            "the file ends after its version line",
            "'Solution set' on the second line",
        )),
    }
    let declared = match header.next() {
        Some(l) => match l.text.trim().parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                diags.push(Diagnostic::new(
                    l.trimmed_span(),
                    "",
                    format!("'{}' is not a number of solutions", clip(l.text.trim())),
                    "the number of solutions on the third line",
                ));
                0
            }
        },
        None => {
            diags.push(Diagnostic::new(
                end.clone(),
                "",
                "the file ends before the number of solutions",
                "the number of solutions on the third line",
            ));
            0
        }
    };

    let mut entries = Vec::new();
    for l in header {
        if l.text.trim().is_empty() {
            continue;
        }
        if let Some(e) = entry(l, system, &mut diags) {
            entries.push(e);
        }
    }
    if diags.is_empty() {
        Ok(SolutionList { declared, entries })
    } else {
        Err(diags.finish())
    }
}

/// Parses one solution line, reporting its problems.
#[expect(
    clippy::too_many_lines,
    reason = "written before the lint was enabled; to be split (issue #15 closing note)"
)]
fn entry(l: Line<'_>, system: &CibSystem, diags: &mut Diagnostics) -> Option<SolutionEntry> {
    let before = diags.len();
    let t = l.text.trim_start();
    let Some(inner_and_rest) = t.strip_prefix('"') else {
        diags.push(Diagnostic::new(
            l.trimmed_span(),
            "",
            format!("'{}' is not a solution", clip(t.trim())),
            "a quoted scenario such as \" 2 3 2\", then basin weight, two fields, score, text",
        ));
        return None;
    };
    let Some(close) = inner_and_rest.find('"') else {
        diags.push(Diagnostic::new(
            l.trimmed_span(),
            "",
            "the scenario's quotes are not closed",
            "a quoted scenario such as \" 2 3 2\"",
        ));
        return None;
    };
    let inner = &inner_and_rest[..close];
    let quoted = l.span_of(&t[..close + 2]);
    let rest = &inner_and_rest[close + 1..];

    // The scenario: 1-based variant numbers.
    let tokens: Vec<&str> = inner.split_whitespace().collect();
    let d = system.descriptor_count();
    let mut scenario = Vec::with_capacity(d);
    if tokens.len() != d {
        diags.push(Diagnostic::new(
            quoted,
            "",
            format!(
                "the scenario has {} variant number{}",
                tokens.len(),
                if tokens.len() == 1 { "" } else { "s" }
            ),
            format!("{d}, one per descriptor"),
        ));
    } else {
        for (j, tok) in tokens.iter().enumerate() {
            let n = system.variant_count(j);
            match tok.parse::<usize>() {
                Ok(v) if (1..=n).contains(&v) => scenario.push((v - 1) as u8),
                Ok(v) => diags.push(Diagnostic::new(
                    l.span_of(tok),
                    "",
                    format!(
                        "variant {v} is out of range for descriptor '{}'",
                        system.descriptors()[j].id
                    ),
                    format!("1 to {n}"),
                )),
                Err(_) => diags.push(Diagnostic::new(
                    l.span_of(tok),
                    "",
                    format!("'{}' is not a variant number", clip(tok)),
                    format!("a number from 1 to {n}"),
                )),
            }
        }
    }

    // The fields after the scenario.
    let Some(fields) = rest.trim_start().strip_prefix(',') else {
        diags.push(Diagnostic::new(
            l.span_of(rest),
            "",
            "the solution has no fields after its scenario",
            "',' and basin weight, two fields, total impact score and a quoted text",
        ));
        return None;
    };
    let parts: Vec<&str> = fields.splitn(5, ',').collect();
    if parts.len() < 5 {
        diags.push(Diagnostic::new(
            l.span_of(rest),
            "",
            format!("the solution has {} fields after its scenario", parts.len()),
            "5: basin weight, two fields, total impact score and a quoted text",
        ));
        return None;
    }
    let span_of = |s: &str| {
        let t = s.trim();
        if t.is_empty() {
            let p = l.span_of(s).start;
            p..p
        } else {
            l.span_of(t)
        }
    };
    let number = |s: &str, what: &str, diags: &mut Diagnostics| -> Option<f64> {
        match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                diags.push(Diagnostic::new(
                    span_of(s),
                    "",
                    format!("{what} '{}' is not a number", clip(s.trim())),
                    "a number",
                ));
                None
            }
        }
    };
    let basin_weight = number(parts[0], "the basin weight", diags);
    number(parts[1], "field 2", diags);
    number(parts[2], "field 3", diags);
    let tis = match parts[3].trim().parse::<i32>() {
        Ok(v) => Some(v),
        Err(_) => {
            diags.push(Diagnostic::new(
                span_of(parts[3]),
                "",
                format!(
                    "the total impact score '{}' is not an integer",
                    clip(parts[3].trim())
                ),
                "an integer",
            ));
            None
        }
    };
    let text_field = parts[4].trim();
    let text = text_field
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(text_field)
        .to_string();
    if diags.len() > before {
        return None;
    }
    Some(SolutionEntry {
        scenario,
        basin_weight: basin_weight.unwrap_or(0.0),
        field2: parts[1].trim().to_string(),
        field3: parts[2].trim().to_string(),
        total_impact_score: tis.unwrap_or(0),
        text,
        span: l.trimmed_span(),
    })
}

/// The re-verification of one listed solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryVerification {
    /// Its index in the list.
    pub index: usize,
    /// Its scenario inconsistency under the system (`None` if the scenario is not one of the
    /// system's: the list was read against another system).
    pub inconsistency: Option<i32>,
    /// Whether it is consistent within the tolerance of the verification.
    pub consistent: bool,
    /// The total impact score the list gives.
    pub written_tis: i32,
    /// The total impact score recomputed.
    pub computed_tis: Option<i32>,
    /// The consistency value recomputed (what field 2 holds in ScenarioWizard's lists).
    pub consistency_value: Option<i32>,
}

impl EntryVerification {
    /// Whether the written score equals the recomputed one.
    pub fn tis_matches(&self) -> bool {
        self.computed_tis == Some(self.written_tis)
    }
}

/// The re-verification of a whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// One per listed solution, in order.
    pub entries: Vec<EntryVerification>,
    /// The number of solutions declared.
    pub declared: usize,
    /// The number listed.
    pub listed: usize,
    /// How many listed solutions are consistent within the tolerance.
    pub consistent: usize,
    /// How many are not.
    pub inconsistent: usize,
    /// How many have a written score different from the recomputed one.
    pub tis_mismatches: usize,
    /// How many repeat a scenario listed before.
    pub duplicates: usize,
}

impl Verification {
    /// Whether the declared count equals the number listed.
    pub fn count_matches(&self) -> bool {
        self.declared == self.listed
    }

    /// Whether the list stops at ScenarioWizard's export cap with more solutions declared.
    pub fn capped(&self) -> bool {
        self.listed == EXPORT_CAP && self.declared > self.listed
    }

    /// Whether every solution is consistent with the score written, none repeated, and the
    /// count is as declared.
    pub fn is_clean(&self) -> bool {
        self.inconsistent == 0
            && self.tis_mismatches == 0
            && self.duplicates == 0
            && self.count_matches()
    }
}

/// Re-verifies every solution of `list` against `system` (consistent: inconsistency at
/// most `tolerance` over the descriptors not in `fixed`; ScenarioWizard's own lists are at
/// 0 with nothing fixed), never trusting it. [`missing_from_list`] finds what it leaves out.
pub fn verify_solution_list(
    list: &SolutionList,
    system: &CibSystem,
    tolerance: i32,
    fixed: &[Option<u8>],
) -> Verification {
    let mut seen = std::collections::HashSet::new();
    let mut duplicates = 0;
    let entries: Vec<EntryVerification> = list
        .entries
        .iter()
        .enumerate()
        .map(|(index, e)| {
            if !seen.insert(e.scenario.clone()) {
                duplicates += 1;
            }
            let valid = system.is_scenario(&e.scenario);
            let inconsistency = valid.then(|| system.inconsistency(&e.scenario, fixed));
            EntryVerification {
                index,
                inconsistency,
                consistent: inconsistency.is_some_and(|ic| ic <= tolerance),
                written_tis: e.total_impact_score,
                computed_tis: valid.then(|| system.total_impact_score(&e.scenario)),
                consistency_value: valid.then(|| consistency_value(system, &e.scenario)),
            }
        })
        .collect();
    let consistent = entries.iter().filter(|e| e.consistent).count();
    Verification {
        declared: list.declared,
        listed: entries.len(),
        consistent,
        inconsistent: entries.len() - consistent,
        tis_mismatches: entries.iter().filter(|e| !e.tis_matches()).count(),
        duplicates,
        entries,
    }
}

/// The scenarios consistent under `options` (tolerance, fixed descriptors) that `list` does
/// not hold, sorted: a list is complete only if this is empty (unless it stops at the export
/// cap).
pub fn missing_from_list(
    list: &SolutionList,
    system: &CibSystem,
    options: &super::search::SearchOptions,
) -> Result<Vec<Scenario>, super::search::SearchError> {
    let listed: std::collections::BTreeSet<&Scenario> =
        list.entries.iter().map(|e| &e.scenario).collect();
    Ok(super::search::consistent_scenarios(system, options)?
        .into_iter()
        .filter(|z| !listed.contains(z))
        .collect())
}

/// The consistency value of a valid scenario: the least margin, over descriptors, of its
/// variant's impact balance over the best other variant's (negative when inconsistent).
pub fn consistency_value(system: &CibSystem, z: &[u8]) -> i32 {
    system
        .balances(z)
        .iter()
        .zip(z)
        .map(|(b, &v)| {
            let v = usize::from(v);
            let best_other = b
                .iter()
                .enumerate()
                .filter(|(l, _)| *l != v)
                .map(|(_, &x)| x)
                .max()
                .unwrap_or(b[v]);
            b[v] - best_other
        })
        .min()
        .unwrap_or(0)
}

/// Writes `scenarios` (0-based, each with its basin weight, 0 when unknown) as a
/// ScenarioWizard solution list for `system`, with CRLF line endings: the consistency
/// value in field 2 (as ScenarioWizard writes it), 0 in field 3, the total impact score
/// in field 4, an empty text. A scenario that is not one of the system's is left out (the
/// declared count is the number written).
pub fn write_solution_list(system: &CibSystem, scenarios: &[(Scenario, u64)]) -> String {
    let valid: Vec<&(Scenario, u64)> = scenarios
        .iter()
        .filter(|(z, _)| system.is_scenario(z))
        .collect();
    let mut out = vec![
        "$ ScenarioWizard 3.0".to_string(),
        "Solution set".to_string(),
        format!("{} ", vb_str(valid.len() as i64)),
        String::new(),
    ];
    for (z, weight) in valid {
        let numbers: String = z.iter().map(|&v| vb_str(i64::from(v) + 1)).collect();
        out.push(format!(
            "\"{numbers}\",{weight},{},0,{},\"\"",
            consistency_value(system, z),
            system.total_impact_score(z)
        ));
    }
    let mut text = out.join("\r\n");
    text.push_str("\r\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published;
    use crate::scw::read_scw;
    use bloc_base::diagnostics::line_col;
    use proptest::prelude::*;

    /// A hand-made project: two descriptors of three variants, after ScenarioWizard's layout.
    const PROJECT: &str = "$ ScenarioWizard 4.0\nsmall.scw\n&A\n -a1\n -a2\n -a3\n&B\n -b1\n -b2\n -b3\n#\n&\n \n \n \n&\n \n \n \n#\n#\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\nFFFFFF\n#\n#\n 0 , 0 , 0 , 2 ,-1 ,-1 \n 0 , 0 , 0 ,-1 , 2 ,-1 \n 0 , 0 , 0 , 0 , 0 , 0 \n 3 ,-1 ,-2 , 0 , 0 , 0 \n-1 , 2 ,-1 , 0 , 0 , 0 \n 0 , 0 , 1 , 0 , 0 , 0 \n#\n# 0-0\n\"\"\n#\n#\n";

    /// A hand-made stale list: its third solution (a1 b2) is not consistent.
    const LIST: &str = "$ ScenarioWizard 3.0\nSolution set\n 3 \n\n\" 1 1\",7,0,0,5,\"\"\n\" 2 2\",1,1,0,4,\"\"\n\" 1 2\",1.677722E+07,0,0,3,\"a comment, with a comma\"\n";

    fn system() -> CibSystem {
        read_scw(PROJECT).expect("project")
    }

    #[test]
    fn reads_a_list() {
        let s = system();
        let list = read_solution_list(LIST, &s).expect("reads");
        assert_eq!(list.declared, 3);
        assert_eq!(list.entries.len(), 3);
        assert_eq!(list.entries[0].scenario, [0, 0]);
        assert_eq!(list.entries[0].basin_weight, 7.0);
        assert_eq!(list.entries[1].field2, "1");
        assert_eq!(list.entries[2].basin_weight, 16_777_220.0);
        assert_eq!(list.entries[2].text, "a comment, with a comma");
        assert_eq!(line_col(LIST, list.entries[2].span.start), (7, 1));
        // CRLF reads the same (but for the spans).
        let crlf = read_solution_list(&LIST.replace('\n', "\r\n"), &s).expect("reads");
        assert_eq!(crlf.entries[2].scenario, [0, 1]);
    }

    #[test]
    fn a_stale_entry_is_detected() {
        let s = system();
        // a1 b1: A's balance under b1 is 3, -1, -2 and B's under a1 is 2, -1, -1: consistent,
        // TIS 5. a2 b2: 2, 2 -> A: -1, 2, -1 and B: -1, 2, -1: consistent, TIS 4. a1 b2: A's
        // balance under b2 is -1, 2, -1, so a2 beats a1 by 3: inconsistent, TIS -1 - 1.
        let list = read_solution_list(LIST, &s).expect("reads");
        let v = verify_solution_list(&list, &s, 0, &[]);
        assert_eq!((v.consistent, v.inconsistent), (2, 1));
        assert!(v.entries[0].consistent && v.entries[1].consistent);
        assert!(!v.entries[2].consistent);
        assert_eq!(v.entries[2].inconsistency, Some(3));
        assert_eq!(v.entries[2].computed_tis, Some(-2));
        assert_eq!(v.entries[2].consistency_value, Some(-3));
        assert_eq!(v.entries[0].consistency_value, Some(3));
        assert_eq!(v.tis_mismatches, 1);
        assert!(v.count_matches() && !v.capped() && !v.is_clean());
        assert_eq!(v.duplicates, 0);
    }

    #[test]
    fn a_short_list_and_duplicates_are_reported() {
        let s = system();
        let text = LIST
            .replace(" 3 \n", " 5 \n")
            .replace("\" 2 2\",1,1", "\" 1 1\",1,1");
        let v = verify_solution_list(&read_solution_list(&text, &s).expect("reads"), &s, 0, &[]);
        assert_eq!((v.declared, v.listed, v.duplicates), (5, 3, 1));
        assert!(!v.count_matches());
    }

    #[test]
    fn bad_scenarios_are_located() {
        let s = system();
        let at = |text: &str| -> Vec<((usize, usize), String)> {
            read_solution_list(text, &s)
                .expect_err("errors")
                .iter()
                .map(|d| (line_col(text, d.span.start), d.message.clone()))
                .collect()
        };
        // A variant out of range.
        let e = at(&LIST.replace("\" 2 2\"", "\" 2 4\""));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, (6, 5));
        assert!(
            e[0].1
                .contains("variant 4 is out of range for descriptor 'B'")
        );
        // The wrong number of descriptors.
        let e = at(&LIST.replace("\" 2 2\"", "\" 2 2 1\""));
        assert_eq!(e[0].0, (6, 1));
        assert!(e[0].1.contains("3 variant numbers"));
        // Unclosed quotes, a word, a bad score, a bad weight.
        let e = at(&LIST.replace("\" 2 2\",1,1,0,4,\"\"", "\" 2 2,1,1,0,4,"));
        assert!(e[0].1.contains("quotes are not closed"), "{e:?}");
        let e = at(&LIST.replace("\" 2 2\"", "\" 2 x\""));
        assert_eq!(e[0].0, (6, 5));
        let e = at(&LIST.replace(",1,1,0,4,", ",1,1,0,four,"));
        assert_eq!(e[0].0, (6, 14));
        assert!(e[0].1.contains("'four' is not an integer"));
        let e = at(&LIST.replace(",1,1,0,4,", ",heavy,1,0,4,"));
        assert!(e[0].1.contains("basin weight 'heavy'"));
        let e = at(&LIST.replace("\" 2 2\",1,1,0,4,\"\"", "\" 2 2\",1,1"));
        assert!(e[0].1.contains("2 fields"), "{e:?}");
        // A bad header.
        let e = at("$ ScenarioWizard 3.0\nSolutions\n many \n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, (2, 1));
        assert_eq!(e[1].0, (3, 2));
    }

    #[test]
    fn writes_and_reads_back_the_published_answers() {
        for case in published::CASES {
            let (p, system) = published::case(case.name).expect("case");
            let basins = p.global_succession_basins.clone().unwrap_or_default();
            let scenarios: Vec<(Scenario, u64)> = p
                .consistent
                .iter()
                .map(|z| {
                    let key: String = z
                        .iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(",");
                    (z.clone(), basins.get(&key).copied().unwrap_or(0))
                })
                .collect();
            let text = write_solution_list(&system, &scenarios);
            let list = read_solution_list(&text, &system).expect("reads back");
            assert_eq!(list.declared, scenarios.len());
            for (e, (z, w)) in list.entries.iter().zip(&scenarios) {
                assert_eq!(&e.scenario, z);
                assert_eq!(e.basin_weight, *w as f64);
            }
            let v = verify_solution_list(&list, &system, 0, &[]);
            assert!(v.is_clean(), "{}: {v:?}", case.name);
            for e in &list.entries {
                assert_eq!(
                    e.field2,
                    consistency_value(&system, &e.scenario).to_string()
                );
            }
            let tis: Vec<i32> = list.entries.iter().map(|e| e.total_impact_score).collect();
            assert_eq!(tis, p.consistent_tis, "{}", case.name);
        }
    }

    #[test]
    fn field_2_is_the_consistency_value() {
        // ScenarioWizard's list for CIB_global gives field 2 = 1 for " 3 1 3" and 0 for the
        // other three consistent scenarios.
        let (p, system) = published::case("CIB_global").expect("case");
        let values: Vec<(Vec<u8>, i32)> = p
            .consistent
            .iter()
            .map(|z| (z.clone(), consistency_value(&system, z)))
            .collect();
        for (z, cv) in values {
            assert_eq!(cv, i32::from(z == [2, 0, 2]), "{z:?}");
        }
    }

    #[test]
    fn writes_the_real_layout() {
        let s = system();
        let text = write_solution_list(&s, &[(vec![0, 0], 7), (vec![1, 1], 0), (vec![5, 0], 1)]);
        assert_eq!(
            text,
            "$ ScenarioWizard 3.0\r\nSolution set\r\n 2 \r\n\r\n\" 1 1\",7,3,0,5,\"\"\r\n\" 2 2\",0,3,0,4,\"\"\r\n"
        );
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in ".{0,300}") {
            let _ = read_solution_list(&text, &system());
        }

        #[test]
        fn never_panics_on_damaged_lists(cut in 0usize..200, at in 0usize..200, c in any::<char>()) {
            let text = crate::damaged(LIST, at, c, cut);
            let s = system();
            if let Ok(list) = read_solution_list(&text, &s) {
                let _ = verify_solution_list(&list, &s, 0, &[]);
            }
        }
    }
}
