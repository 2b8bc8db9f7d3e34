//! Reading a scenario never panics, whatever the text: random edits of the shipped file and
//! arbitrary strings give either a valid scenario or diagnostics whose spans lie in the text.

use bloc_citizens::epstein::{EpsteinScenario, PAPER_SCENARIO_TOML};
use proptest::prelude::*;

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(diags) = EpsteinScenario::from_toml(text) {
        prop_assert!(!diags.is_empty());
        for d in diags.iter() {
            prop_assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{d:?}"
            );
            prop_assert!(!d.message.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        check(&text)?;
    }

    #[test]
    fn edited_shipped_file(at in 0usize..PAPER_SCENARIO_TOML.len(), cut in 0usize..40, insert in "[\\[\\]=\"a-z0-9.\\-_ \\n]{0,12}") {
        let mut at = at;
        while !PAPER_SCENARIO_TOML.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(PAPER_SCENARIO_TOML.len());
        while !PAPER_SCENARIO_TOML.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!("{}{}{}", &PAPER_SCENARIO_TOML[..at], insert, &PAPER_SCENARIO_TOML[end..]);
        check(&text)?;
    }
}
