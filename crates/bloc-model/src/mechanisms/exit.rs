//! Exit (Hirschman 1970): citizens at home whose hardship, discounted by legitimacy, is above
//! `exit.grievance_threshold` leave for the West with a weekly probability scaled by how
//! open their route is and how readily the West takes them. A route is open through the
//! country's own open border, or (with coupling) through an ally that lets others through
//! and has a land border to the West (`west_border`): the GDR's citizens reached Austria
//! through Hungary from 11 September 1989 and the FRG through Czechoslovakia from 3 November
//! (record: events_1989); Poland, with no such border, was no land route (those who fled
//! there went to the FRG's embassy in Warsaw).

use crate::config::BlocScenario;
use crate::country::CountryState;
use bloc_citizens::epstein::world::CitizenState;
use rand::RngExt;

/// How open an exit route to the West is for country `i`'s citizens (0-1), from last week's
/// borders (`open`, `lets allies through`) of every country and the transit countries'
/// borders with the West.
pub(crate) fn route(s: &BlocScenario, i: usize, borders: &[(bool, bool)]) -> f64 {
    if borders[i].0 {
        return 1.0;
    }
    if !s.mechanisms.coupling {
        return 0.0;
    }
    let transit = s.exit.transit_openness.value;
    let mut best: f64 = 0.0;
    for to in &s.countries[i].travel_to {
        if let Some(j) = s.country_index(to)
            && borders[j] == (true, true)
            && s.countries[j].borders_west()
        {
            best = best.max(transit);
        }
    }
    best
}

/// One week of exit from country `i` through a route of openness `route`.
pub(crate) fn week(s: &BlocScenario, i: usize, c: &mut CountryState, route: f64) {
    if !s.mechanisms.exit {
        return;
    }
    let p = s.exit.weekly_probability.value * route * s.countries[i].west_acceptance.value;
    if p > 0.0 {
        emigrate(s, c, p);
    }
}

/// Each aggrieved citizen at home leaves with probability `p`.
fn emigrate(s: &BlocScenario, c: &mut CountryState, p: f64) {
    let l = c.legitimacy;
    let threshold = s.exit.grievance_threshold.value;
    for idx in 0..c.world.citizens().len() {
        let citizen = c.world.citizens()[idx];
        if matches!(citizen.state, CitizenState::Jailed | CitizenState::Gone) {
            continue;
        }
        if citizen.hardship * (1.0 - l) > threshold && c.rng.random::<f64>() < p {
            c.world.emigrate(idx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn an_own_open_border_is_a_full_route_and_a_closed_one_none() {
        let s = two_allies();
        let n = s.countries.len();
        assert_eq!(route(&s, 0, &vec![(true, false); n]), 1.0);
        assert_eq!(route(&s, 0, &vec![(false, false); n]), 0.0);
    }

    #[test]
    fn an_ally_that_lets_others_through_is_a_route_only_with_a_border_to_the_west() {
        let mut s = two_allies();
        let n = s.countries.len();
        let (from, via) = (0, 1);
        s.countries[from].travel_to = vec![s.countries[via].id.clone()];
        let mut borders = vec![(false, false); n];
        borders[via] = (true, true);
        let transit = s.exit.transit_openness.value;
        assert!(transit > 0.0);
        assert_eq!(route(&s, from, &borders), transit);
        s.countries[via].west_border = Some(false);
        assert_eq!(route(&s, from, &borders), 0.0);
        s.countries[via].west_border = Some(true);
        assert_eq!(route(&s, from, &borders), transit);
    }

    #[test]
    fn no_route_no_exit_and_an_open_one_lets_the_aggrieved_leave() {
        let mut s = two_allies();
        s.exit.weekly_probability.value = 1.0;
        s.exit.grievance_threshold.value = 0.0;
        let mut c = country(&s, 0);
        c.legitimacy = 0.0;
        week(&s, 0, &mut c, 0.0);
        assert_eq!(c.world.emigrated(), 0);
        week(&s, 0, &mut c, 1.0);
        assert!(c.world.emigrated() > 0);
    }
}
