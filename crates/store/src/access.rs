//! Users, sessions and the audit log, as a part of the repository. Passwords and tokens are in
//! [`crate::auth`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::access::{AuditAction, AuditEntry, AuditLog, Role, User};
use uuid::Uuid;

use crate::audit_chain::{AuditRow, ChainHead, SealedEntry};
use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub worker_id: Option<Uuid>,
    /// An argon2 PHC string; see [`crate::auth::hash_password`].
    pub password_hash: String,
}

/// A server-side session: the cookie holds a random token; the store keeps only its hash.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// A change to an account: what is `Some` is changed.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub display_name: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub person_id: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub action: Option<AuditAction>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub until: Option<DateTime<Utc>>,
    /// Entries older than this one (the next page, newest first).
    pub before: Option<AuditCursor>,
    pub limit: u32,
}

/// A place in the audit and access logs listed together, newest first: entries are ordered by
/// time, then by log, then by id within the log (each log numbers its own entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub at: DateTime<Utc>,
    pub log: AuditLog,
    pub id: i64,
}

impl AuditCursor {
    /// The place of an entry: the next page starts after it.
    pub fn of(e: &AuditEntry) -> Self {
        AuditCursor {
            at: e.at,
            log: e.log,
            id: e.id,
        }
    }

    /// As a query parameter: `<microseconds since 1970>.<log>.<id>`.
    pub fn to_param(&self) -> String {
        format!(
            "{}.{}.{}",
            self.at.timestamp_micros(),
            self.log.as_str(),
            self.id
        )
    }

    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split('.');
        let at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
        let log = AuditLog::parse(parts.next()?)?;
        let id = parts.next()?.parse().ok()?;
        parts
            .next()
            .is_none()
            .then_some(AuditCursor { at, log, id })
    }

    /// In `log`'s part of the listing, the entries at the cursor's time that come after it
    /// are those with an id below this (newest first: time, then log, then id, descending).
    fn id_bound(&self, log: AuditLog) -> i64 {
        match log.as_str().cmp(self.log.as_str()) {
            std::cmp::Ordering::Less => i64::MAX,
            std::cmp::Ordering::Equal => self.id,
            std::cmp::Ordering::Greater => i64::MIN,
        }
    }
}

/// A value bound to the audit listing's query.
pub(crate) enum AuditBind {
    Id(Uuid),
    Text(&'static str),
    At(DateTime<Utc>),
    Int(i64),
}

/// The listing of both logs together for `q`, newest first: for each log, its newest `limit`
/// entries that match (a query of the filters given, so that each uses its index), merged.
pub(crate) fn audit_listing(q: &AuditQuery, limit: i64) -> (String, Vec<AuditBind>) {
    let mut binds = Vec::new();
    let param = |binds: &mut Vec<AuditBind>, b: AuditBind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    let mut parts = Vec::new();
    for log in AuditLog::ALL {
        let mut filters = Vec::new();
        if let Some(p) = q.person_id {
            filters.push(format!(
                "person_id = {}",
                param(&mut binds, AuditBind::Id(p))
            ));
        }
        if let Some(a) = q.actor {
            filters.push(format!("actor = {}", param(&mut binds, AuditBind::Id(a))));
        }
        if let Some(a) = q.action {
            filters.push(format!(
                "action = {}",
                param(&mut binds, AuditBind::Text(a.as_str()))
            ));
        }
        if let Some(f) = q.from {
            filters.push(format!("at >= {}", param(&mut binds, AuditBind::At(f))));
        }
        if let Some(u) = q.until {
            filters.push(format!("at < {}", param(&mut binds, AuditBind::At(u))));
        }
        if let Some(c) = q.before {
            let at = param(&mut binds, AuditBind::At(c.at));
            let at2 = param(&mut binds, AuditBind::At(c.at));
            let id = param(&mut binds, AuditBind::Int(c.id_bound(log)));
            filters.push(format!("(at < {at} OR (at = {at2} AND id < {id}))"));
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        let n = param(&mut binds, AuditBind::Int(limit));
        parts.push(format!(
            "SELECT * FROM (SELECT CAST('{log}' AS TEXT) AS log, id, at, actor, action, entity_type, entity_id, \
             person_id, before, after, detail, seq, prev_hash, hash FROM {table} {filter} \
             ORDER BY at DESC, id DESC LIMIT {n}) {log}_part",
            log = log.as_str(),
            table = log_table(log),
        ));
    }
    let n = param(&mut binds, AuditBind::Int(limit));
    (
        format!(
            "SELECT * FROM ({}) listing ORDER BY at DESC, log DESC, id DESC LIMIT {n}",
            parts.join(" UNION ALL ")
        ),
        binds,
    )
}

/// The table that holds `log`'s entries.
pub(crate) fn log_table(log: AuditLog) -> &'static str {
    match log {
        AuditLog::Audit => "audit_log",
        AuditLog::Access => "access_log",
    }
}

/// The one-row table that holds `log`'s chain head.
pub(crate) fn chain_table(log: AuditLog) -> &'static str {
    match log {
        AuditLog::Audit => "audit_chain",
        AuditLog::Access => "access_chain",
    }
}

#[async_trait]
pub trait Access: Send + Sync {
    async fn create_user(&self, actor: Actor, user: NewUser) -> Result<User>;
    /// The user and their password hash, for signing in.
    async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn get_user(&self, id: Uuid) -> Result<User>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()>;
    /// Changes an account's role, name or whether it is active; deactivating ends its sessions.
    /// Audited with before and after.
    async fn update_user(&self, actor: Actor, user_id: Uuid, change: UserChange) -> Result<User>;
    /// Ends every session of a user (their API tokens too); returns how many. Audited.
    async fn end_sessions(&self, actor: Actor, user_id: Uuid) -> Result<u64>;
    async fn create_session(&self, session: NewSession) -> Result<()>;
    /// The session's user, if the session exists, has not expired, has been used within
    /// `idle_timeout` (when there is one) and the user is active. Notes the use.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_timeout: Option<chrono::Duration>,
    ) -> Result<Option<SessionUser>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    // Audit.
    /// Records an event that changes nothing else: a refusal, a sign-in, an export.
    async fn record_event(
        &self,
        actor: Actor,
        action: AuditAction,
        person_id: Option<Uuid>,
        detail: &str,
    ) -> Result<()>;
    /// Records a view of a list or a form that discloses children's details (search results,
    /// a queue, work due, an edit form, the audit log): one access entry per child shown, all
    /// with `detail`, or one entry naming no child when none is shown. Appended by the access
    /// log's writer; returns once committed.
    async fn record_views(
        &self,
        actor: Actor,
        entity_type: &'static str,
        children: &[Uuid],
        detail: &str,
    ) -> Result<()>;
    /// Whether `user` gave a break-glass reason to open `child`'s record since `since`.
    async fn broke_glass_since(
        &self,
        user: Uuid,
        child: Uuid,
        since: DateTime<Utc>,
    ) -> Result<bool>;
    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;
    /// `log`'s chain head, and the id of the first entry outside the chain (inserted around it).
    async fn audit_chain_head(&self, log: AuditLog) -> Result<(ChainHead, Option<i64>)>;
    /// `log`'s entries in chain order with `after_seq < seq <= up_to`, at most `limit`: for
    /// [`crate::audit_chain::verify`] and the export.
    async fn audit_chain_page(
        &self,
        log: AuditLog,
        after_seq: i64,
        up_to: i64,
        limit: u32,
    ) -> Result<Vec<SealedEntry>>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::access::Access as AccessRepository;

        fn user_from_row(r: &Row) -> Result<User, sqlx::Error> {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: parse_role(&r.try_get::<String, _>("role")?)?,
                worker_id: r.try_get("worker_id")?,
                active: r.try_get("active")?,
            })
        }

        fn audit_from_row(r: &Row) -> Result<AuditEntry, sqlx::Error> {
            let e = sealed_from_row(r)?;
            // The listing of both logs names each row's log; a query of the audit log alone
            // does not.
            let log = match r.try_get::<String, _>("log") {
                Ok(log) => AuditLog::parse(&log).ok_or_else(|| $crate::sql::bad_column("log", &log))?,
                Err(sqlx::Error::ColumnNotFound(_)) => AuditLog::Audit,
                Err(e) => return Err(e),
            };
            Ok(AuditEntry {
                log,
                id: e.id,
                at: e.row.at,
                actor: e.row.actor,
                action: parse_action(&e.row.action)?,
                entity_type: e.row.entity_type,
                entity_id: e.row.entity_id,
                person_id: e.row.person_id,
                before: e.row.before,
                after: e.row.after,
                detail: e.row.detail,
            })
        }

        /// The changes to a person's details, with who made them, oldest first: for the chronology.
        pub(super) async fn corrections_for(conn: &mut Conn, id: Uuid) -> Result<Vec<(AuditEntry, Option<String>)>, StoreError> {
            let corrections = sqlx::query(
                "SELECT l.*, u.display_name FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor \
                 WHERE l.person_id = $1 AND l.entity_type = 'person' AND l.action IN ('create', 'update') ORDER BY l.id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((audit_from_row(r)?, r.try_get::<Option<String>, _>("display_name")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(corrections)
        }

        /// The changes the audit log holds for a child's records (not the child's own details),
        /// in order: who recorded each chronology entry (see [`domain::chronology::fill_recorded_by`]).
        pub(super) async fn changes_for(conn: &mut Conn, id: Uuid) -> Result<Vec<domain::chronology::Change>, StoreError> {
            let rows = sqlx::query(
                "SELECT l.entity_id, l.action, l.detail, u.display_name FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor \
                 WHERE l.person_id = $1 AND l.entity_type <> 'person' AND l.action IN ('create', 'update') AND l.entity_id IS NOT NULL ORDER BY l.id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            Ok(rows
                .iter()
                .map(|r| {
                    Ok(domain::chronology::Change {
                        record: r.try_get("entity_id")?,
                        created: r.try_get::<String, _>("action")? == "create",
                        detail: r.try_get("detail")?,
                        by: r.try_get("display_name")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?)
        }

        fn sealed_from_row(r: &Row) -> Result<$crate::audit_chain::SealedEntry, sqlx::Error> {
            let before: Option<Json<serde_json::Value>> = r.try_get("before")?;
            let after: Option<Json<serde_json::Value>> = r.try_get("after")?;
            Ok($crate::audit_chain::SealedEntry {
                id: r.try_get("id")?,
                seq: r.try_get("seq")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
                row: $crate::audit_chain::AuditRow {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity_type: r.try_get("entity_type")?,
                    entity_id: r.try_get("entity_id")?,
                    person_id: r.try_get("person_id")?,
                    before: before.map(|j| j.0),
                    after: after.map(|j| j.0),
                    detail: r.try_get("detail")?,
                },
            })
        }

        /// Seals the entries written before the chain existed (once, when the store opens after
        /// the migration): each gets its place and hashes in id order, a page per transaction.
        pub(crate) async fn seal_unchained(pool: &sqlx::Pool<Db>) -> Result<u64, StoreError> {
            let mut sealed = 0;
            loop {
                let mut tx = pool.begin_with(<$store>::WRITE_BEGIN).await?;
                let (mut seq, mut prev) = super::lock_chain_head(&mut tx, AuditLog::Audit).await?;
                let rows = sqlx::query("SELECT * FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 5000")
                    .fetch_all(&mut *tx)
                    .await?;
                if rows.is_empty() {
                    return Ok(sealed);
                }
                for r in &rows {
                    let e = sealed_from_row(r)?;
                    seq += 1;
                    let hash = $crate::audit_chain::entry_hash(seq, &prev, &e.row);
                    sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4")
                        .bind(seq)
                        .bind(&prev)
                        .bind(&hash)
                        .bind(e.id)
                        .execute(&mut *tx)
                        .await?;
                    prev = hash;
                    sealed += 1;
                }
                sqlx::query("UPDATE audit_chain SET seq = $1, hash = $2 WHERE id = 1")
                    .bind(seq)
                    .bind(&prev)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }

        /// Commits one batch of the access log's rows in one transaction (the writer's side of
        /// [`crate::access::AccessLog`]), extending the access log's hash chain once for the
        /// whole batch. On SQLite `pool` is the access log's own file.
        pub(crate) async fn write_views(pool: sqlx::Pool<Db>, rows: Vec<$crate::audit_chain::AuditRow>) -> Result<(), String> {
            async {
                let mut tx = pool.begin_with(<$store>::WRITE_BEGIN).await?;
                super::append_to_log(&mut tx, AuditLog::Access, &rows).await?;
                tx.commit().await
            }
            .await
            .map_err(|e: sqlx::Error| e.to_string())
        }

        #[async_trait::async_trait]
        impl AccessRepository for $store {
            async fn create_user(&self, actor: Actor, u: NewUser) -> Result<User> {
                let mut tx = self.tx().await?;
                let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM app_user WHERE username = $1")
                    .bind(&u.username)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::Invalid { field: "username", message: format!("User {} exists already", u.username) });
                }
                let user = User {
                    id: new_id(),
                    username: u.username,
                    display_name: u.display_name,
                    role: u.role,
                    worker_id: u.worker_id,
                    active: true,
                };
                sqlx::query(
                    "INSERT INTO app_user (id, username, display_name, role, worker_id, password_hash, active, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(user.id)
                .bind(&user.username)
                .bind(&user.display_name)
                .bind(user.role.as_str())
                .bind(user.worker_id)
                .bind(&u.password_hash)
                .bind(true)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "user", Some(user.id), None, None, Some(to_json(&user)), "user account created").await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
                let row = sqlx::query("SELECT * FROM app_user WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(r) => Ok(Some((user_from_row(&r)?, r.try_get("password_hash")?))),
                    None => Ok(None),
                }
            }

            async fn get_user(&self, id: Uuid) -> Result<User> {
                let r = sqlx::query("SELECT * FROM app_user WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(not_found("user"))?;
                Ok(user_from_row(&r)?)
            }

            async fn list_users(&self) -> Result<Vec<User>> {
                let rows = sqlx::query("SELECT * FROM app_user ORDER BY username").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
            }

            async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()> {
                let mut tx = self.tx().await?;
                let n = sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                    .bind(&password_hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound("user"));
                }
                sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                audit(&mut tx, actor, AuditAction::Update, "user", Some(user_id), None, None, None, "password changed; sessions ended").await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_user(&self, actor: Actor, user_id: Uuid, c: UserChange) -> Result<User> {
                let mut tx = self.tx().await?;
                let row = sqlx::query("SELECT * FROM app_user WHERE id = $1")
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(not_found("user"))?;
                let before = user_from_row(&row)?;
                let mut after = before.clone();
                if let Some(r) = c.role { after.role = r; }
                if let Some(n) = c.display_name { after.display_name = n; }
                if let Some(a) = c.active { after.active = a; }
                sqlx::query("UPDATE app_user SET role = $1, display_name = $2, active = $3 WHERE id = $4")
                    .bind(after.role.as_str())
                    .bind(&after.display_name)
                    .bind(after.active)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                let mut detail = Vec::new();
                if after.role != before.role { detail.push(format!("role {} to {}", before.role.as_str(), after.role.as_str())); }
                if after.display_name != before.display_name { detail.push("name changed".to_string()); }
                if after.active != before.active {
                    detail.push(if after.active { "reactivated".into() } else { "deactivated; sessions ended".to_string() });
                }
                if !after.active || after.role != before.role {
                    // A leaver's sessions and tokens end now; a new role starts from a new sign-in.
                    sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                }
                let detail = if detail.is_empty() { "account unchanged".to_string() } else { format!("account: {}", detail.join(", ")) };
                audit(&mut tx, actor, AuditAction::Update, "user", Some(user_id), None, Some(to_json(&before)), Some(to_json(&after)), &detail).await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn end_sessions(&self, actor: Actor, user_id: Uuid) -> Result<u64> {
                let mut tx = self.tx().await?;
                let n = sqlx::query("DELETE FROM session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?.rows_affected();
                audit(&mut tx, actor, AuditAction::Update, "user", Some(user_id), None, None, None, &format!("{n} sessions ended")).await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn create_session(&self, s: NewSession) -> Result<()> {
                sqlx::query("INSERT INTO session (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)")
                    .bind(&s.token_hash)
                    .bind(s.user_id)
                    .bind(&s.csrf_token)
                    .bind(now())
                    .bind(s.expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(&self, token_hash: &str, at: DateTime<Utc>, idle: Option<chrono::Duration>) -> Result<Option<SessionUser>> {
                let row = sqlx::query(
                    "SELECT u.*, s.csrf_token, COALESCE(s.last_seen_at, s.created_at) AS seen FROM session s JOIN app_user u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3",
                )
                .bind(token_hash)
                .bind(at)
                .bind(true)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                let seen: DateTime<Utc> = r.try_get("seen")?;
                if let Some(idle) = idle {
                    if seen + idle <= at {
                        // Idle too long: the session ends (signing in again returns to the page).
                        sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                        return Ok(None);
                    }
                }
                // Noted at most once a minute, so a busy session is not a write per request.
                if at - seen > chrono::Duration::seconds(60) {
                    sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_hash = $2").bind(at).bind(token_hash).execute(&self.pool).await?;
                }
                Ok(Some(SessionUser { user: user_from_row(&r)?, csrf_token: r.try_get("csrf_token")? }))
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn record_event(&self, actor: Actor, action: AuditAction, person_id: Option<Uuid>, detail: &str) -> Result<()> {
                let mut tx = self.tx().await?;
                audit(&mut tx, actor, action, "event", None, person_id, None, None, detail).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_views(&self, actor: Actor, entity_type: &'static str, children: &[Uuid], detail: &str) -> Result<()> {
                let entry = |person_id: Option<Uuid>| $crate::access::ViewEntry {
                    actor,
                    entity_type,
                    entity_id: person_id,
                    person_id,
                    detail: detail.to_string(),
                };
                let mut entries: Vec<_> = children.iter().map(|c| entry(Some(*c))).collect();
                if entries.is_empty() {
                    entries.push(entry(None));
                }
                self.access_log.append(entries).await
            }

            async fn broke_glass_since(&self, user: Uuid, child: Uuid, since: DateTime<Utc>) -> Result<bool> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM audit_log WHERE person_id = $1 AND actor = $2 AND action = $3 AND at > $4",
                )
                .bind(child)
                .bind(user)
                .bind(AuditAction::BreakGlass.as_str())
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
                let limit = i64::from(if q.limit == 0 { 100 } else { q.limit.min(10_000) });
                let (sql, binds) = $crate::access::audit_listing(q, limit);
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for b in binds {
                    query = match b {
                        $crate::access::AuditBind::Id(v) => query.bind(v),
                        $crate::access::AuditBind::Text(v) => query.bind(v),
                        $crate::access::AuditBind::At(v) => query.bind(v),
                        $crate::access::AuditBind::Int(v) => query.bind(v),
                    };
                }
                let rows = query.fetch_all(&self.audit_pool).await?;
                Ok(rows.iter().map(audit_from_row).collect::<Result<_, _>>()?)
            }

            async fn audit_chain_head(&self, log: AuditLog) -> Result<($crate::audit_chain::ChainHead, Option<i64>)> {
                let mut tx = self.audit_pool.begin().await?;
                let head = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT seq, hash FROM {} WHERE id = 1", $crate::access::chain_table(log))))
                    .fetch_one(&mut *tx)
                    .await?;
                let unchained: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT MIN(id) FROM {} WHERE seq IS NULL",
                    $crate::access::log_table(log)
                )))
                .fetch_one(&mut *tx)
                .await?;
                Ok(($crate::audit_chain::ChainHead { seq: head.try_get("seq")?, hash: head.try_get("hash")? }, unchained))
            }

            async fn audit_chain_page(&self, log: AuditLog, after_seq: i64, up_to: i64, limit: u32) -> Result<Vec<$crate::audit_chain::SealedEntry>> {
                let sql = format!("SELECT * FROM {} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3", $crate::access::log_table(log));
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(after_seq)
                    .bind(up_to)
                    .bind(i64::from(limit.clamp(1, 50_000)))
                    .fetch_all(&self.audit_pool)
                    .await?;
                Ok(rows.iter().map(sealed_from_row).collect::<Result<_, _>>()?)
            }

        }
    };
}
pub(crate) use sql;

// The access log's appender: one writer task per store takes the view (access) entries of every
// request and appends them to `access_log` in one transaction per batch (group commit). Each
// caller is answered only after its batch has committed, so a record is never returned (and a
// page never sent) before its access entry is durable; if the batch fails, every caller in it
// gets the error. One place ([`ViewEntry::row`]) makes the row to insert; the batch extends the
// access log's own hash chain, once per batch, the same way change transactions extend the audit
// log's (`append_to_log`; see `crate::audit_chain`). On SQLite the access log is a file of its
// own beside the database (`crate::sqlite::access_log_path`): its commits leave the record's
// readers their page caches, which SQLite drops whenever their database has had a commit.

/// The most entries one batch commits.
pub(crate) const MAX_BATCH: usize = 256;

/// A view of a record by an actor, for the access log.
#[derive(Debug, Clone)]
pub(crate) struct ViewEntry {
    pub actor: Actor,
    pub entity_type: &'static str,
    pub entity_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub detail: String,
}

impl ViewEntry {
    /// The one place the row is made, in append order: action `view`, no before or after.
    fn row(&self) -> AuditRow {
        AuditRow {
            at: crate::sql::now(),
            actor: self.actor.0,
            action: AuditAction::View.as_str().into(),
            entity_type: self.entity_type.into(),
            entity_id: self.entity_id,
            person_id: self.person_id,
            before: None,
            after: None,
            detail: self.detail.clone(),
        }
    }
}

/// The columns of an audit entry, as inserted.
const AUDIT_COLUMNS: [&str; 12] = [
    "at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "person_id",
    "before",
    "after",
    "detail",
    "seq",
    "prev_hash",
    "hash",
];

/// `INSERT INTO <log's table> (...) VALUES (...), (...)` for `n` rows of [`AUDIT_COLUMNS`].
pub(crate) fn audit_insert_sql(log: AuditLog, n: usize) -> String {
    let width = AUDIT_COLUMNS.len();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        log_table(log),
        AUDIT_COLUMNS.join(", ")
    );
    for i in 0..n {
        if i > 0 {
            sql.push_str(", ");
        }
        let params: Vec<String> = (1..=width).map(|c| format!("${}", i * width + c)).collect();
        sql.push('(');
        sql.push_str(&params.join(", "));
        sql.push(')');
    }
    sql
}

type BatchFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = std::result::Result<(), String>> + Send + 'static>,
>;
type Reply = tokio::sync::oneshot::Sender<std::result::Result<(), String>>;

/// The store's one appender of access entries.
pub(crate) struct AccessLog {
    sender: tokio::sync::mpsc::Sender<(Vec<ViewEntry>, Reply)>,
}

impl AccessLog {
    /// Starts the writer task; `write` commits one batch of rows in one transaction.
    pub(crate) fn start<F>(write: F) -> Self
    where
        F: Fn(Vec<AuditRow>) -> BatchFuture + Send + Sync + 'static,
    {
        let (sender, mut receiver) =
            tokio::sync::mpsc::channel::<(Vec<ViewEntry>, Reply)>(8 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            // Waits for one request, then takes whatever else has queued (up to MAX_BATCH
            // requests): what arrived while the previous batch committed.
            while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let rows = batch
                    .iter()
                    .flat_map(|(entries, _): &(Vec<ViewEntry>, Reply)| {
                        entries.iter().map(ViewEntry::row)
                    })
                    .collect();
                let result = write(rows).await;
                for (_, reply) in batch.drain(..) {
                    let _ = reply.send(result.clone());
                }
            }
        });
        AccessLog { sender }
    }

    /// Appends one request's entries (in one transaction), returning once they have committed.
    pub(crate) async fn append(&self, entries: Vec<ViewEntry>) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        let stopped = || crate::StoreError::AccessLog("the access log's writer has stopped".into());
        self.sender
            .send((entries, reply))
            .await
            .map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(crate::StoreError::AccessLog)
    }
}
