//! Deaths and backlash: the deterrence of the week's new deaths (per 10,000 citizens) raises
//! the perceived risk and decays; each death also costs the regime legitimacy.

use crate::config::BlocScenario;
use crate::country::CountryState;

/// One week of the deaths' effects.
pub(crate) fn week(s: &BlocScenario, c: &mut CountryState) {
    let dead = c.world.dead();
    let new = dead - c.last_dead;
    c.last_dead = dead;
    if !s.mechanisms.backlash {
        return;
    }
    let per = if c.citizens_initial > 0 {
        1.0e4 / f64::from(c.citizens_initial)
    } else {
        0.0
    };
    c.deterrence *= 1.0 - s.backlash.deterrence_decay.value;
    if new > 0 {
        let x = f64::from(new) * per;
        c.deterrence += s.backlash.deterrence_per_death.value * x;
        if s.mechanisms.legitimacy {
            c.legitimacy = (c.legitimacy - s.backlash.legitimacy_per_death.value * x).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn deterrence_decays_without_deaths() {
        let s = two_allies();
        let mut c = country(&s, 0);
        c.deterrence = 1.0;
        week(&s, &mut c);
        assert_eq!(c.deterrence, 1.0 - s.backlash.deterrence_decay.value);
        assert_eq!(c.legitimacy, s.countries[0].legitimacy.value);
    }
}
