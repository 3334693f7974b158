//! Mounts the Flows page of `/flows` (a bundle of its own, without the editor).
fn main() {
    console_error_panic_hook::set_once();
    flowsmith::text::use_browser_numbers();
    leptos::mount::mount_to_body(flowsmith::features::workspace::FlowsPage);
}
