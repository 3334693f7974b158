//! Mounts the app; everything else lives in the library so browser tests can mount parts of it.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(flowsmith::App);
}
