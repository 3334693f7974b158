//! Problems of the flow as a whole: its versions and root properties (§1).
use super::{List, Publishable};
use crate::version::Version;

family! {
    /// Problems of the flow as a whole: its versions and root properties (§1).
    pub enum FlowProblem in Flow {

        /// `version` is missing.
        MissingVersion => Code::MissingFlowJsonVersion, |f| {
            f.write_str("Flow JSON version is not specified.")
        };
        /// `version` is not a version Meta offers.
        UnknownVersion {
            /// The value as written (JSON for non-strings).
            version: String,
        } => Code::InvalidFlowJsonVersion, |f| {
            write!(
                f,
                "Given Flow JSON version {version} is not supported. Publishable versions: {}.",
                Publishable
            )
        };
        /// `version` is frozen: the flow loads but cannot be published.
        FrozenVersion {
            /// The version.
            version: Version,
        } => Code::UnsupportedFlowJsonVersion, |f| {
            write!(
                f,
                "Flow JSON version '{version}' is frozen: flows with it cannot be published. Move the flow to version {}.",
                Version::LATEST
            )
        };
        /// `data_api_version` has a value this Flow JSON version does not accept.
        InvalidDataApiVersion {
            /// The value as written.
            found: String,
            /// The Flow JSON version.
            version: Version,
            /// The values accepted.
            allowed: &'static [&'static str],
        } => Code::InvalidDataApiVersion, |f| {
            write!(
                f,
                "No supported Data API version found for given Flow JSON version: {found} is not one of {} for Flow JSON {version}.",
                List(allowed)
            )
        };
        /// `data_channel_uri` is not part of Flow JSON since 3.0.
        DataChannelUri => Code::InvalidPropertyKey, |f| {
            f.write_str(
                "Property 'data_channel_uri' is no longer supported in Flow JSON as of version '3.0'. Set the endpoint with the Flows API's 'endpoint_uri' instead.",
            )
        };
    }
}
