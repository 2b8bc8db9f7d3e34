//! The calm-start rule for legitimacy, as a library function.
//!
//! Epstein's L is not observed (there were no free polls); what is known on a calm start
//! date is that the country was not in a mass crisis. The rule of the flagship (header of
//! scenarios/eastern-europe-1989.toml): each country's L is the lowest value on a 0.001 grid
//! at which at most 1 run in 10 has a crisis in weeks 1-4 (100 runs, master seed 1989, the
//! same L tried for all countries at once), the lowest value of the calm band that reaches
//! the top of the grid (0.950). The scenario's events are dropped while the rule runs: L is
//! the legitimacy of the calm before them, the trigger of a historical case among them.
//!
//! It differs from the flagship's example (`calibrate_legitimacy`, which derived the
//! flagship's six values) in three ways, each said where it applies: (1) the example keeps
//! the scenario's events (the flagship's week-0 statement and round table), this function
//! drops them, because a historical case's trigger is among its events; (2) the example
//! scans the fine grid from the top, this function a 0.01 grid first and then the 0.001 grid
//! inside the first 0.01 step that is not calm (the same value whenever the calm band has
//! no hole narrower than 0.01); (3) where the top of the grid is not calm, the example goes
//! on to the first calm band below it, this function keeps the top (0.950) and reports the
//! crisis rate there; where the grid is calm to its bottom, it returns the bottom (0.700).

use crate::config::BlocScenario;
use crate::runs::{KeepSeries, run_bloc_ensemble};
use crate::sourced::Fraction;
use bloc_base::ensemble::{EnsembleError, EnsemblePlan};
use std::collections::BTreeMap;

/// Runs per grid point.
pub const RUNS: u64 = 100;
/// Master seed of the rule.
pub const SEED: u64 = 1989;
/// Weeks watched after the start.
pub const WEEKS: u32 = 4;
/// Largest share of runs with a crisis that still counts as calm.
pub const MAX_RATE: f64 = 0.1;
/// Top of the grid, in thousandths.
const TOP: u32 = 950;
/// Bottom of the grid, in thousandths.
const BOTTOM: u32 = 700;

/// One country's derived legitimacy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalmStart {
    /// The lowest calm value of the band that reaches the top of the grid.
    pub legitimacy: f64,
    /// The crisis rate one grid step below it (`None`: calm down to the bottom).
    pub rate_below: Option<f64>,
}

/// Share of runs with a crisis in weeks 1-4, per country, with every country at `milli`/1000.
fn crisis_rates(
    base: &BlocScenario,
    milli: u32,
    threads: usize,
) -> Result<Vec<f64>, EnsembleError> {
    let mut s = base.clone();
    s.scenario.weeks = WEEKS;
    s.events.clear();
    for c in &mut s.countries {
        c.legitimacy.value = f64::from(milli) / 1000.0;
    }
    let mut crises = vec![0u64; s.countries.len()];
    let plan = EnsemblePlan {
        runs: RUNS,
        master_seed: SEED,
        threads,
    };
    run_bloc_ensemble(
        &s,
        plan,
        &KeepSeries(|_| false),
        |_, run| {
            for (n, c) in crises.iter_mut().zip(&run.countries) {
                *n += u64::from(c.crisis_weeks > 0);
            }
        },
        |_| {},
    )?;
    Ok(crises.iter().map(|&n| n as f64 / RUNS as f64).collect())
}

/// Memoized crisis rates over the grid.
struct Grid<'a> {
    base: &'a BlocScenario,
    threads: usize,
    rates: BTreeMap<u32, Vec<f64>>,
}

impl Grid<'_> {
    fn rate(&mut self, milli: u32, country: usize) -> Result<f64, EnsembleError> {
        if !self.rates.contains_key(&milli) {
            let r = crisis_rates(self.base, milli, self.threads)?;
            self.rates.insert(milli, r);
        }
        Ok(self.rates[&milli][country])
    }

    /// From `from` down by `step` to `to`: the last calm value before the first that is not
    /// calm, and that value (`None` if calm throughout).
    fn scan(
        &mut self,
        country: usize,
        from: u32,
        to: u32,
        step: u32,
    ) -> Result<(u32, Option<u32>), EnsembleError> {
        let mut calm = from;
        let mut k = from;
        while k >= to {
            if self.rate(k, country)? > MAX_RATE {
                return Ok((calm, Some(k)));
            }
            calm = k;
            k -= step;
        }
        Ok((calm, None))
    }
}

/// The calm-start legitimacy of every country of `s`.
pub fn derive(s: &BlocScenario, threads: usize) -> Result<Vec<CalmStart>, EnsembleError> {
    let mut grid = Grid {
        base: s,
        threads,
        rates: BTreeMap::new(),
    };
    let mut out = Vec::with_capacity(s.countries.len());
    for c in 0..s.countries.len() {
        let (coarse_calm, coarse_hot) = grid.scan(c, TOP, BOTTOM, 10)?;
        let result = match coarse_hot {
            None => CalmStart {
                legitimacy: f64::from(coarse_calm) / 1000.0,
                rate_below: None,
            },
            // Not calm at the top: no calm band reaches it; the top is kept, and said.
            Some(hot) if hot == TOP => CalmStart {
                legitimacy: f64::from(TOP) / 1000.0,
                rate_below: Some(grid.rate(TOP, c)?),
            },
            Some(coarse_hot) => {
                let (calm, fine_hot) = grid.scan(c, coarse_calm - 1, coarse_hot, 1)?;
                let hot = fine_hot.unwrap_or(coarse_hot);
                CalmStart {
                    legitimacy: f64::from(calm) / 1000.0,
                    rate_below: Some(grid.rate(hot, c)?),
                }
            }
        };
        out.push(result);
    }
    Ok(out)
}

/// Sets every country's legitimacy of `s` by the rule, with its source.
pub fn apply(s: &mut BlocScenario, threads: usize) -> Result<Vec<CalmStart>, EnsembleError> {
    let derived = derive(s, threads)?;
    for (c, d) in s.countries.iter_mut().zip(&derived) {
        let below = match d.rate_below {
            Some(r) if d.legitimacy >= f64::from(TOP) / 1000.0 => {
                format!(
                    "not calm at the top of the grid: crisis rate {:.0} %",
                    100.0 * r
                )
            }
            Some(r) => format!("crisis rate 0.001 below: {:.0} %", 100.0 * r),
            None => "calm to the bottom of the grid".to_string(),
        };
        c.legitimacy = Fraction::new(
            d.legitimacy,
            &format!(
                "rule: calm start (the lowest L of the calm band, {RUNS} runs, seed {SEED}, weeks 1-{WEEKS}, at most {MAX_RATE} with a crisis; {below})"
            ),
        );
    }
    Ok(derived)
}
