//! One run of Model I from start to end, and what it is summarized to.

use super::config::{EpsteinScenario, OutburstRule};
use super::world::{Counts, World};
use bloc_base::seeding::SimRng;
use serde::{Deserialize, Serialize};

/// The outcome of one run: the counts at every step (index 0 is the initial state) and the
/// run's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Quiet, active and jailed citizens after each step; `counts[0]` is the start.
    pub counts: Vec<Counts>,
    /// Summary statistics of the run.
    pub summary: RunSummary,
}

/// Summary statistics of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Number of citizens.
    pub citizens: u32,
    /// Number of cops at the start.
    pub cops: u32,
    /// Mean over steps 1..=T of the share of citizens that are active.
    pub mean_active_share: f64,
    /// Largest number of actives at any step.
    pub peak_active: u32,
    /// First step at which the peak was reached.
    pub peak_step: u32,
    /// Share of steps 1..=T at or below the outburst threshold.
    pub calm_share: f64,
    /// The outbursts (see [`OutburstRule`]).
    pub outbursts: Vec<Outburst>,
    /// Steps between the starts of consecutive outbursts.
    pub waits: Vec<u32>,
    /// Jailed citizens at the end.
    pub final_jailed: u32,
}

/// One outburst: a spell of steps with more actives than the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outburst {
    /// First step above the threshold.
    pub start: u32,
    /// Number of steps above the threshold.
    pub duration: u32,
    /// Largest number of actives during the outburst.
    pub peak: u32,
    /// Sum of actives over the outburst's steps (the paper's "total activation").
    pub activation: u64,
}

impl RunSummary {
    /// Mean wait between outbursts, if there were at least two.
    pub fn mean_wait(&self) -> Option<f64> {
        (!self.waits.is_empty()).then(|| {
            self.waits.iter().map(|&w| f64::from(w)).sum::<f64>() / self.waits.len() as f64
        })
    }
}

/// Runs `steps` steps of the scenario on `rng`.
pub fn simulate_run(scenario: &EpsteinScenario, steps: u32, rng: &mut SimRng) -> RunResult {
    let mut world = World::new(scenario, rng);
    let cops = world.cop_count() as u32;
    let mut counts = Vec::with_capacity(steps as usize + 1);
    counts.push(world.counts());
    for _ in 0..steps {
        counts.push(world.step(rng));
    }
    let summary = summarize(
        &counts,
        world.citizens().len() as u32,
        cops,
        &scenario.outburst,
    );
    RunResult { counts, summary }
}

/// Summarizes a run's counts under an outburst rule.
pub fn summarize(counts: &[Counts], citizens: u32, cops: u32, rule: &OutburstRule) -> RunSummary {
    let steps = &counts[1.min(counts.len())..];
    let n = steps.len().max(1) as f64;
    let mean_active_share = if citizens == 0 {
        0.0
    } else {
        steps.iter().map(|c| f64::from(c.active)).sum::<f64>() / n / f64::from(citizens)
    };
    let (mut peak_active, mut peak_step) = (0, 0);
    for (t, c) in steps.iter().enumerate() {
        if c.active > peak_active {
            peak_active = c.active;
            peak_step = t as u32 + 1;
        }
    }
    let calm = steps.iter().filter(|c| c.active <= rule.threshold).count();
    let mut outbursts: Vec<Outburst> = Vec::new();
    let mut calm_run = rule.min_calm_steps; // the start counts as calm
    let mut current: Option<Outburst> = None;
    for (t, c) in steps.iter().enumerate() {
        let step = t as u32 + 1;
        if c.active > rule.threshold {
            match current.as_mut() {
                Some(o) => {
                    o.duration += 1;
                    o.peak = o.peak.max(c.active);
                    o.activation += u64::from(c.active);
                }
                None if calm_run >= rule.min_calm_steps => {
                    current = Some(Outburst {
                        start: step,
                        duration: 1,
                        peak: c.active,
                        activation: u64::from(c.active),
                    });
                }
                None => {
                    // Too soon after the last one: part of the same disturbance.
                    if let Some(last) = outbursts.last_mut() {
                        last.duration += 1;
                        last.peak = last.peak.max(c.active);
                        last.activation += u64::from(c.active);
                    }
                }
            }
            calm_run = 0;
        } else {
            if let Some(o) = current.take() {
                outbursts.push(o);
            }
            calm_run = calm_run.saturating_add(1);
        }
    }
    if let Some(o) = current.take() {
        outbursts.push(o);
    }
    let waits = outbursts
        .windows(2)
        .map(|w| w[1].start - w[0].start)
        .collect();
    RunSummary {
        citizens,
        cops,
        mean_active_share,
        peak_active,
        peak_step,
        calm_share: calm as f64 / n,
        outbursts,
        waits,
        final_jailed: counts.last().map_or(0, |c| c.jailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(actives: &[u32]) -> Vec<Counts> {
        std::iter::once(0)
            .chain(actives.iter().copied())
            .map(|a| Counts {
                quiet: 100 - a,
                active: a,
                jailed: 0,
            })
            .collect()
    }

    #[test]
    fn outbursts_are_spells_above_threshold_after_calm() {
        let rule = OutburstRule {
            threshold: 10,
            min_calm_steps: 2,
        };
        //            steps: 1  2   3   4  5   6  7  8   9  10
        let s = summarize(&series(&[0, 20, 30, 0, 15, 0, 0, 40, 5, 5]), 100, 5, &rule);
        // 2-3 is an outburst; 5 comes after only 1 calm step, so it joins the first;
        // 8 comes after 2 calm steps: a new outburst.
        assert_eq!(s.outbursts.len(), 2);
        assert_eq!(
            s.outbursts[0],
            Outburst {
                start: 2,
                duration: 3,
                peak: 30,
                activation: 65
            }
        );
        assert_eq!(
            s.outbursts[1],
            Outburst {
                start: 8,
                duration: 1,
                peak: 40,
                activation: 40
            }
        );
        assert_eq!(s.waits, vec![6]);
        assert_eq!(s.peak_active, 40);
        assert_eq!(s.peak_step, 8);
        assert!((s.calm_share - 0.6).abs() < 1e-12);
    }
}
