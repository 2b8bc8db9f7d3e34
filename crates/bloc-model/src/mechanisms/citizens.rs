//! The citizens act: one step of Epstein's Model I on the country's lattice and stream, with
//! the inputs the perception set. Last week's emigrant count is kept for the cascade's exit
//! signal.

use crate::country::CountryState;

/// One Model I step of the country's lattice.
pub(crate) fn step(c: &mut CountryState) {
    c.last_emigrated = c.world.emigrated();
    c.world.step(&mut c.rng);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testing::{country, two_allies};

    #[test]
    fn the_lattice_steps_on_the_country_stream() {
        let s = two_allies();
        let (mut a, mut b) = (country(&s, 0), country(&s, 0));
        step(&mut a);
        step(&mut b);
        assert_eq!(a.world.counts(), b.world.counts());
        assert_eq!(a.last_emigrated, 0);
    }
}
