//! The routing graph: screens as node cards, navigation as edges (routing model, navigate
//! actions with the component holding them, NavigationList items, data_exchange decided by
//! the endpoint), laid out left to right by flow-model's layered layout. Pan, zoom, minimap,
//! keyboard; drag nodes (positions kept with the draft, never in flow.json); draw routes,
//! remove edges, add screens; analysis overlays linked to their problems; SVG and PNG export.
mod actions;
mod connect_dialog;
mod edge_bar;
mod edge_line;
mod export;
pub mod geometry;
mod gestures;
pub mod graph_state;
mod graph_view;
mod markup;
mod minimap;
mod node_card;
pub mod scene;
mod toolbar;
mod viewport;

pub use export::svg_document;
pub use graph_view::GraphView;
