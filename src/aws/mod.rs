//! Everything that talks to AWS: clients built from a profile or a session, the STS and
//! S3 calls mfatui makes, and turning SDK errors into words.

pub mod client;
pub mod error;
pub mod provider;
pub mod sts;

pub use client::{DEFAULT_REGION, Target};
pub use error::AwsError;
