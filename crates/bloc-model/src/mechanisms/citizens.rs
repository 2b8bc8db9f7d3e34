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
    fn the_lattice_steps_once_on_the_country_stream() {
        let s = two_allies();
        let mut c = country(&s, 0);
        let leaver = (0..c.world.citizens().len()).find(|&i| c.world.emigrate(i));
        assert!(leaver.is_some(), "someone can leave");
        let emigrated = c.world.emigrated();
        let mut world_after_exit = c.world.clone();
        let mut rng_after_exit = c.rng.clone();
        world_after_exit.step(&mut rng_after_exit);
        step(&mut c);
        assert_eq!(c.world.counts(), world_after_exit.counts());
        assert_eq!(c.rng, rng_after_exit);
        assert_ne!(
            c.rng,
            country(&s, 0).rng,
            "the step drew from the country's stream"
        );
        assert_eq!(
            c.last_emigrated, emigrated,
            "last week's emigrants are kept"
        );
        assert_eq!(emigrated, 1);
    }
}
