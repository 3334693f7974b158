//! Managing users, the same for `flowsmith user …` and for admins in the app (`/api/users`):
//! names are checked, passwords hashed on the blocking pool, and a change of role or password
//! ends the user's sessions. The last admin cannot be removed or demoted, so someone can
//! always manage the others.
use super::store::{self, User};
use super::{Auth, Role, password};
use crate::workspace::WorkspaceError;
use crate::workspace::store::now_ms;

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The longest user name.
pub const MAX_NAME_CHARS: usize = 64;

/// Whether `name` may name a user, or why not.
pub fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(WorkspaceError::invalid(
            "name",
            format!("a user name has 1 to {MAX_NAME_CHARS} characters and no control characters"),
        ));
    }
    Ok(name)
}

async fn hashed(password: &str) -> Result<String> {
    password::check_new(password).map_err(|message| WorkspaceError::invalid("password", message))?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|error| error.to_string())
        .and_then(|hash| hash)
        .map_err(|message| WorkspaceError::Storage(crate::workspace::store::StoreError::Other(message)))
}

fn no_user(name: &str) -> WorkspaceError {
    WorkspaceError::NotFound(format!(
        "No user named '{}'",
        name.chars().take(MAX_NAME_CHARS).collect::<String>()
    ))
}

impl Auth {
    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let mut connection = self.store().pool().acquire().await?;
        Ok(store::users(&mut connection).await?)
    }

    /// Adds a user (409 `name_taken` when the name is).
    pub async fn add_user(&self, name: &str, role: Role, password: &str) -> Result<User> {
        let name = check_name(name)?;
        let hash = hashed(password).await?;
        let mut connection = self.store().pool().acquire().await?;
        let user =
            store::insert_user(&mut connection, name, role, &hash, now_ms()).await.map_err(|error| {
                match error {
                    crate::workspace::store::StoreError::Unique(_) => {
                        WorkspaceError::NameTaken(format!("There is already a user named '{name}'"))
                    }
                    other => WorkspaceError::Storage(other),
                }
            })?;
        self.users_added();
        Ok(user)
    }

    async fn existing(&self, name: &str) -> Result<User> {
        let mut connection = self.store().pool().acquire().await?;
        store::user_named(&mut connection, name).await?.ok_or_else(|| no_user(name))
    }

    async fn keep_an_admin(&self, user: &User) -> Result<()> {
        let mut connection = self.store().pool().acquire().await?;
        if user.role == Role::Admin && store::admin_count(&mut connection).await? <= 1 {
            return Err(WorkspaceError::ReadOnly(format!(
                "'{}' is the last admin: make another user admin first, so someone can still manage users",
                user.name
            )));
        }
        Ok(())
    }

    /// Changes a user's role; their sessions end (they sign in again with the new role).
    pub async fn set_role(&self, name: &str, role: Role) -> Result<User> {
        let user = self.existing(name).await?;
        if role != Role::Admin {
            self.keep_an_admin(&user).await?;
        }
        let mut connection = self.store().pool().acquire().await?;
        store::set_role(&mut connection, &user.id, role, now_ms()).await?;
        self.forget_sessions_of(&user.id);
        Ok(User { role, ..user })
    }

    /// Sets a user's password; their sessions end.
    pub async fn set_password(&self, name: &str, password: &str) -> Result<User> {
        let user = self.existing(name).await?;
        let hash = hashed(password).await?;
        let mut connection = self.store().pool().acquire().await?;
        store::set_password(&mut connection, &user.id, &hash, now_ms()).await?;
        self.forget_sessions_of(&user.id);
        Ok(user)
    }

    /// Gives a user `role` on one account (a workspace or WhatsApp account id) instead of their
    /// role for all, or with `None` takes it back; their sessions end.
    pub async fn set_account_role(&self, name: &str, account: &str, role: Option<Role>) -> Result<User> {
        let user = self.existing(name).await?;
        let mut connection = self.store().pool().acquire().await?;
        let Some(account_id) = store::account_id(&mut connection, account).await? else {
            return Err(WorkspaceError::NotFound(format!(
                "No account '{}' in this workspace (see GET /api/accounts)",
                account.chars().take(64).collect::<String>()
            )));
        };
        store::set_account_role(&mut connection, &user.id, &account_id, role).await?;
        self.forget_sessions_of(&user.id);
        Ok(user)
    }

    /// A user's roles on single accounts.
    pub async fn account_roles(&self, user: &User) -> Result<Vec<(String, Role)>> {
        let mut connection = self.store().pool().acquire().await?;
        Ok(store::account_roles(&mut connection, &user.id).await?)
    }

    /// WhatsApp's id (`…WA`) of the workspace's account `id`, if it has one.
    pub async fn external_account_id(&self, id: &str) -> Result<Option<String>> {
        let mut connection = self.store().pool().acquire().await?;
        Ok(store::external_account_id(&mut connection, id).await?)
    }

    /// Removes a user and their sessions.
    pub async fn remove_user(&self, name: &str) -> Result<User> {
        let user = self.existing(name).await?;
        self.keep_an_admin(&user).await?;
        let mut connection = self.store().pool().acquire().await?;
        store::delete_user(&mut connection, &user.id).await?;
        self.forget_sessions_of(&user.id);
        Ok(user)
    }
}
