//! Mounts the phone preview of `/embed` (a bundle of its own, without the editor).
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(flowsmith::features::preview::EmbedApp);
}
