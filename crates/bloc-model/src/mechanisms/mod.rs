//! The bloc model's mechanisms, one module each, in the order of a week (docs/model.md §2.1).
//! Each is a function of the state it reads and writes, tested on its own; those with a
//! flag in the scenario's `[mechanisms]` table are switched by it (the citizens' step, the
//! actions and the regime's fate always run, as Model I and the path's record need them).
//!
//! Run level, before the countries: [`events`] (dated events), [`levers`] (the centre's levers
//! paid for and what they do). Then for each country, in file order: [`economy`] (hardship),
//! [`decision`] (the actors' collective decision on the policy), [`actions`] (concessions,
//! elections called, repression and lethal orders, the border), [`security`] (loyalty, cops,
//! defection, the lattice's lethality), [`perception`] (what the citizens perceive:
//! threshold, risk, legitimacy, hardship), [`citizens`] (one step of Model I), [`exit`]
//! (emigration by open routes), [`deaths`] (deterrence and legitimacy lost per death),
//! [`fate`] (the path's record; elections, overthrow, defection, the centre's intervention).
//! Run level, at the end of the week: [`alliance`] (alignment, contacts, troops) and
//! [`beliefs`] (what the allies learned from falls, interventions and concessions).
//!
//! To add a mechanism: a module here with its function and tests, a flag in
//! `config::Mechanisms`, and one call in `run::Simulation::step` or `country_week`.

pub(crate) mod actions;
pub(crate) mod alliance;
pub(crate) mod beliefs;
pub(crate) mod citizens;
pub(crate) mod deaths;
pub(crate) mod decision;
pub(crate) mod economy;
pub(crate) mod events;
pub(crate) mod exit;
pub(crate) mod fate;
pub(crate) mod levers;
pub(crate) mod perception;
pub(crate) mod security;

#[cfg(test)]
pub(crate) mod testing;
