//! Single sign-on: people who prove who they are elsewhere. Two ways, either or both:
//!
//! - OpenID Connect ([`oidc`]): the identity provider signs an ID token; the user is found by
//!   the provider's issuer and their subject there (`user_identities`), never by name, so a
//!   provider's account cannot take over a user an admin added by hand: a person whose name is
//!   taken here gets the first free one of `name-2` … `name-9`.
//! - A trusted reverse proxy's header ([`header`], `--auth-header`): the proxy authenticates
//!   and names the user; the name is the user's (an existing user of that name is that person).
//!   Believed only from `--trusted-proxy` addresses, ignored from any other.
//!
//! Either way, a person with no user yet gets one with `--sso-default-role` and no password
//! ([`store::NO_PASSWORD`]); the audit log records its creation (`user_add`).
pub mod header;
pub mod http;
pub mod oidc;

use super::store::{self, User};
use super::users::{MAX_NAME_CHARS, check_name};
use super::{Auth, audit_entry};
use crate::workspace::WorkspaceError;
use crate::workspace::store::{StoreError, now_ms};

/// Who signed in at an identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// Their subject there (stable, unique per issuer).
    pub subject: String,
    /// Names to give a new user, best first (preferred user name, email, full name).
    pub names: Vec<String>,
}

/// Names for a new user from `names`: each as given, then the first with `-2` … `-9`, then one
/// made from `subject` (so there is always one to try).
fn candidates(names: &[String], subject: &str) -> Vec<String> {
    let usable: Vec<String> = names
        .iter()
        .filter_map(|name| check_name(name).ok())
        .map(|name| name.chars().take(MAX_NAME_CHARS - 2).collect())
        .collect();
    let mut all = usable.clone();
    if let Some(first) = usable.first() {
        all.extend((2..=9).map(|n| format!("{first}-{n}")));
    }
    all.push(format!(
        "sso-{}",
        subject.chars().filter(char::is_ascii_alphanumeric).take(40).collect::<String>()
    ));
    all
}

impl Auth {
    /// The user `identity` is, created with the default role at their first sign-in.
    pub(crate) async fn identity_user(&self, identity: &Identity) -> Result<User, WorkspaceError> {
        let mut connection = self.store().pool().acquire().await?;
        if let Some(user) =
            store::user_by_identity(&mut connection, &identity.issuer, &identity.subject).await?
        {
            return Ok(user);
        }
        let how = "first single sign-on (OpenID Connect)";
        let mut created = None;
        for name in candidates(&identity.names, &identity.subject) {
            if let Some(user) = self.create_user(&mut connection, &name, how).await? {
                created = Some(user);
                break;
            }
        }
        let user = created.ok_or_else(|| {
            WorkspaceError::NameTaken("Every name this person could have here is taken".to_owned())
        })?;
        let now = now_ms();
        if store::insert_identity(&mut connection, &identity.issuer, &identity.subject, &user.id, now).await?
        {
            return Ok(user);
        }
        // The same person signed in twice at once and the other sign-in made the user first.
        store::delete_user(&mut connection, &user.id).await?;
        store::user_by_identity(&mut connection, &identity.issuer, &identity.subject)
            .await?
            .ok_or_else(|| WorkspaceError::Storage(StoreError::Other("an identity vanished".to_owned())))
    }

    /// Adds `name` with the default role and no password; `None` when the name is taken.
    async fn create_user(
        &self,
        connection: &mut sqlx::AnyConnection,
        name: &str,
        how: &str,
    ) -> Result<Option<User>, WorkspaceError> {
        let role = self.settings().sso_default_role;
        match store::insert_user(connection, name, role, store::NO_PASSWORD, now_ms()).await {
            Ok(user) => {
                self.users_added();
                let mut entry = audit_entry(&user.name, "user_add", "ok");
                entry.detail =
                    Some(format!("user {} created at their {how}, role {}", user.name, role.as_str()));
                self.audit(entry).await;
                Ok(Some(user))
            }
            Err(StoreError::Unique(_)) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_user_gets_the_first_usable_name() {
        let names = ["ana".to_owned(), "ana@example.com".to_owned()];
        let all = candidates(&names, "abc-123");
        assert_eq!(&all[..3], ["ana", "ana@example.com", "ana-2"]);
        assert_eq!(all.last().unwrap(), "sso-abc123");
        assert_eq!(candidates(&["\u{7}".to_owned()], "x"), ["sso-x"]);
    }
}
