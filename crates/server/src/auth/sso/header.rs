//! `--auth-header`: a reverse proxy that authenticates people (oauth2-proxy, a company's SSO
//! gateway) names the user in a header. The header is believed only when the connection's peer
//! is one of `--trusted-proxy` ([`super::super::AuthSettings::is_trusted_proxy`]); from any other
//! address it is ignored, so it grants nothing there. A name with no user gets one with the
//! default role. No session is made: each request carries the name, and the user read for it is
//! kept for [`super::super::AuthSettings::session_cache`] like a session.
use axum::extract::{ConnectInfo, Request};
use std::net::SocketAddr;

use super::super::store;
use super::super::users::check_name;
use super::super::{Auth, Principal, Recent};
use crate::workspace::WorkspaceError;
use crate::workspace::store::{StoreError, now_ms};

/// The user name a trusted proxy gives in the request, if the header is configured, the peer is
/// trusted and the header is there; an error when it is there but not one plain name.
pub fn proxied_name(auth: &Auth, request: &Request) -> Option<Result<String, WorkspaceError>> {
    let header = auth.settings().auth_header.as_ref()?;
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())?;
    if !auth.settings().is_trusted_proxy(peer) {
        return None;
    }
    let mut values = request.headers().get_all(header).iter();
    let value = values.next()?;
    let refused = |why: &str| {
        Some(Err(WorkspaceError::SignInRequired(format!("The reverse proxy's {header} header {why}"))))
    };
    if values.next().is_some() {
        return refused("appears more than once: it must name one user");
    }
    let Ok(text) = value.to_str() else { return refused("is not text") };
    match check_name(text) {
        Ok(name) => Some(Ok(name.to_owned())),
        Err(_) => refused("is not a user name (1 to 64 characters, no control characters)"),
    }
}

impl Auth {
    /// The user `name` a trusted proxy signed in, created with the default role if new.
    pub(crate) async fn proxied_user(&self, name: &str) -> Result<Principal, WorkspaceError> {
        let key = format!("proxy:{}", store::name_key(name));
        let now = now_ms();
        let fresh_for = i64::try_from(self.settings().session_cache.as_millis()).unwrap_or(0);
        if let Some(recent) = self.recent().get(&key)
            && now - recent.read_at < fresh_for
        {
            return Ok(recent.principal.clone());
        }
        let mut connection = self.store().pool().acquire().await?;
        let user = match store::user_named(&mut connection, name).await? {
            Some(user) => user,
            None => match self
                .create_user(&mut connection, name, "first sign-in through the proxy's header")
                .await?
            {
                Some(user) => user,
                // Made by a request that came at the same time.
                None => store::user_named(&mut connection, name).await?.ok_or_else(|| {
                    WorkspaceError::Storage(StoreError::Other("a user vanished".to_owned()))
                })?,
            },
        };
        let accounts = store::account_roles(&mut connection, &user.id).await?;
        let principal = Principal { user, session: String::new(), accounts };
        if fresh_for > 0 {
            let mut recent = self.recent();
            if recent.len() >= super::super::MAX_RECENT {
                recent.clear();
            }
            let entry = Recent {
                principal: principal.clone(),
                read_at: now,
                last_seen_at: now,
                expires_at: i64::MAX,
            };
            recent.insert(key, entry);
        }
        Ok(principal)
    }
}
