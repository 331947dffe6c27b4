//! Profiles from `~/.aws/config` and `~/.aws/credentials`: locating, parsing, merging,
//! kinds and chains. Reads files; never writes them.

pub mod chain;
pub mod load;
pub mod location;
pub mod model;
pub mod parser;
pub mod problems;
pub mod section;

#[cfg(test)]
mod chain_tests;

pub use chain::{Base, Chain, ChainError, RoleHop};
pub use load::{FileProblem, ProfileSet};
pub use location::{Locations, Platform, selected_profile};
pub use model::{Kind, Profile, StaticKeys};
