//! Rebuilds the server when a migration is added or changed: `sqlx::migrate!` embeds
//! `migrations/` at compile time, and on stable Rust Cargo reruns it only when a Rust file of
//! the crate changes, so a new migration alone left a binary (and tests) migrating to the old
//! schema. The build script sqlx recommends (`sqlx migrate build-script`).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
