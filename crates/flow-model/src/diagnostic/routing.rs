//! Problems of the routing model (§7.1), all `INVALID_ROUTING_MODEL`. "Endpoint" rules apply to
//! flows with `routing_model`, the others to the routes derived from navigate actions; dead
//! ends, unreachable screens and cycles are our warnings.
use super::List;

family! {
    /// A routing model problem (§7.1).
    pub enum RoutingProblem in Routing {
        /// Screens neither keys nor destinations of the routing model.
        MissingScreens {
            /// The screens.
            screens: Vec<String>,
        } => Code::InvalidRoutingModel, |f| {
            write!(f, "Following screens are missing in the routing model: {}.", List(screens))
        };
        /// Keys or destinations that are not screens.
        InvalidScreens {
            /// The ids.
            screens: Vec<String>,
        } => Code::InvalidRoutingModel, |f| {
            write!(f, "Invalid screens found in the routing model: {}.", List(screens))
        };
        /// A screen routing to itself.
        Loop {
            /// The screens.
            screens: Vec<String>,
        } => Code::InvalidRoutingModel, |f| {
            write!(f, "Loop detected in the routing model for screens: {}.", List(screens))
        };
        /// More than 10 destinations from one screen.
        TooManyBranches {
            /// The screens.
            screens: Vec<String>,
            /// Derived from navigate actions.
            derived: bool,
        } => Code::InvalidRoutingModel, |f| {
            write!(f, "Number of branches exceeds the max limit of 10 for screens: {}.", List(screens))?;
            if *derived { f.write_str(" Reduce navigate actions for the screen.") } else { Ok(()) }
        };
        /// A→B and B→A.
        BackwardRoute {
            /// A.
            from: String,
            /// B.
            to: String,
        } => Code::InvalidRoutingModel, |f| {
            write!(
                f,
                "Backward route [{to}->{from}] corresponding to forward route [{from}->{to}] is not allowed: the back button already returns."
            )
        };
        /// Every screen has an inbound edge.
        NoEntryScreen {
            /// Derived from navigate actions.
            derived: bool,
        } => Code::InvalidRoutingModel, |f| {
            f.write_str(if *derived {
                "No entry screen found. Add a screen that is not used as the next screen in any of the navigate actions."
            } else {
                "No entry screen found in the routing model. Expected a screen with no inbound edges as the entry screen."
            })
        };
        /// Screens not connected to the first one.
        NotConnected {
            /// The screens.
            screens: Vec<String>,
            /// Derived from navigate actions.
            derived: bool,
        } => Code::InvalidRoutingModel, |f| {
            write!(f, "Following screens are not connected with the rest of the screens")?;
            if *derived {
                f.write_str(" via navigate screen action")?;
            }
            write!(f, ": {}.", List(screens))
        };
        /// A screen that is not terminal and leads to no other screen (a warning).
        DeadEnd {
            /// The screen id.
            screen: String,
        } => Code::InvalidRoutingModel, |f| {
            write!(
                f,
                "Screen '{screen}' leads nowhere: it is not terminal and no action or route goes on from it, so people get stuck there. Add a navigate action or make it terminal."
            )
        };
        /// A screen linked to the others that no path from an entry screen reaches (a warning).
        Unreachable {
            /// The screen id.
            screen: String,
        } => Code::InvalidRoutingModel, |f| {
            write!(
                f,
                "No path from the entry screen reaches screen '{screen}': people never see it. Navigate to it from a screen they reach."
            )
        };
        /// Screens that lead back to each other (a warning; Meta rejects only some cycles).
        Cycle {
            /// The screens.
            screens: Vec<String>,
        } => Code::InvalidRoutingModel, |f| {
            write!(
                f,
                "Screens {} lead back to each other: people can go round in circles. Routes should move forward and end at a terminal screen.",
                List(screens)
            )
        };
        /// A navigate action without a route.
        MissingRoute {
            /// The screen of the action.
            from: String,
            /// The next screen.
            to: String,
        } => Code::InvalidRoutingModel, |f| {
            write!(
                f,
                "Missing direct route from screen '{from}' to screen '{to}' in the routing model, while it exists in the navigate screen action of screen '{from}'."
            )
        };
    }
}
