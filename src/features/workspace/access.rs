//! What the signed-in user may do, read from `GET /api/session`: the app disables what the
//! server would refuse and says why in the control's title. The server enforces the same
//! roles on every route; this only spares people a refusal.
use serde_json::Value;

use crate::api::{Client, Via};
use crate::tasks::Loaded;

/// Asks the same-origin server who is signed in. Without an answer (no workspace, direct
/// mode, an old server) nothing is disabled: the server still refuses what it must.
pub fn load() -> Loaded<Option<Session>> {
    Loaded::new(|| async {
        let client = Client::browser(Via::Server { origin: String::new() });
        client.ws_session().await.ok().map(|data| Session::read(&data))
    })
}

/// A role, least first, as the server names them. Each may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Open, preview, read history.
    Viewer,
    /// Edit, save, save to WhatsApp, make preview links.
    Editor,
    /// Publish, deprecate, delete on WhatsApp, migrate, sync.
    Publisher,
    /// Users, accounts and their credentials.
    Admin,
}

const NAMES: [(Role, &str); 4] = [
    (Role::Viewer, "viewer"),
    (Role::Editor, "editor"),
    (Role::Publisher, "publisher"),
    (Role::Admin, "admin"),
];

impl Role {
    fn parse(text: &str) -> Option<Role> {
        NAMES.iter().find(|(_, name)| *name == text).map(|(role, _)| *role)
    }

    fn name(self) -> &'static str {
        NAMES.iter().find(|(role, _)| *role == self).map_or("", |(_, name)| name)
    }
}

/// Who is signed in and their roles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    /// Their user name; empty when the server asks nobody to sign in (then all is allowed).
    pub user: String,
    /// Their role for all accounts; `None` when nobody signs in.
    role: Option<Role>,
    /// Roles on single accounts, under both the workspace's and WhatsApp's id of each.
    accounts: Vec<(String, Role)>,
}

impl Session {
    /// Reads the `data` of `GET /api/session`.
    pub fn read(data: &Value) -> Session {
        let text =
            |value: &Value, key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let user = data.get("user").filter(|user| user.is_object());
        let mut accounts = Vec::new();
        for item in user.and_then(|user| user.get("accounts")).and_then(Value::as_array).into_iter().flatten()
        {
            if let Some(role) = Role::parse(&text(item, "role")) {
                for id in [text(item, "account_id"), text(item, "external_id")] {
                    accounts.push((id, role));
                }
            }
        }
        Session {
            user: user.map(|user| text(user, "name")).unwrap_or_default(),
            // A role this app does not know yet is taken as the least.
            role: user.map(|user| Role::parse(&text(user, "role")).unwrap_or(Role::Viewer)),
            accounts,
        }
    }

    /// Why the user may not do what needs `needed` on `account` (either id; empty for "any
    /// account"), or `None` when they may.
    pub fn refusal(&self, needed: Role, account: &str) -> Option<String> {
        let role = self.role?;
        let role = self
            .accounts
            .iter()
            .find(|(id, _)| !id.is_empty() && id == account)
            .map_or(role, |(_, role)| *role);
        (role < needed).then(|| {
            format!(
                "This needs the {} role; {} is {} here. An admin can change it.",
                needed.name(),
                self.user,
                role.name()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn roles_on_single_accounts_come_before_the_users_own() {
        let session = Session::read(&json!({"user": {"name": "ana", "role": "viewer", "accounts": [
            {"account_id": "acc_1", "external_id": "shopWA", "role": "publisher"}
        ]}}));
        assert_eq!(session.refusal(Role::Publisher, "shopWA"), None);
        assert_eq!(session.refusal(Role::Publisher, "acc_1"), None);
        assert_eq!(
            session.refusal(Role::Editor, "otherWA").as_deref(),
            Some("This needs the editor role; ana is viewer here. An admin can change it.")
        );
        assert!(session.refusal(Role::Admin, "shopWA").is_some());
    }

    #[test]
    fn nobody_signed_in_may_do_everything_and_an_unknown_role_nothing_more_than_viewing() {
        let open = Session::read(&json!({"user": null, "sign_in_required": false, "insecure_no_auth": true}));
        assert_eq!(open.refusal(Role::Admin, ""), None);
        let odd = Session::read(&json!({"user": {"name": "bo", "role": "viewer", "accounts": [
            {"account_id": "acc_1", "external_id": null, "role": "owner"}
        ]}}));
        assert!(odd.refusal(Role::Editor, "acc_1").is_some());
        assert!(odd.refusal(Role::Editor, "").is_some());
    }
}
