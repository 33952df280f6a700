//! The `hearth` command: serve, demo, user, audit, backup, validate, export, report.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// Prints a line to standard output. When the reader has gone (`hearth validate … | head`), the
/// program ends quietly, as Unix tools do, instead of panicking.
macro_rules! say {
    ($($t:tt)*) => { $crate::say_line(format_args!($($t)*)) };
}

fn say_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(2);
    }
}

/// The memory allocator: mimalloc rather than the C library's. Reading a return makes millions
/// of small values (most 903 and CIN values are codes and dates of a few bytes), and mimalloc
/// keeps them in size classes with no header per value: validating a 50,000-child 903 return
/// took about a quarter less time and memory with it (scripts/bench-903, issue 21).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod audit;
mod demo;
mod export_903;
mod export_annex_a;
mod findings_out;
mod report;
mod validate_903;
mod validate_cin;
mod workforce_census;

/// The embedded default database file.
const DEFAULT_DATABASE: &str = "hearth.db";

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: children's social care records, returns and reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DatabaseArg {
    /// Where the record is kept: a SQLite file (the embedded default) or a postgres:// URL.
    #[arg(long, env = "HEARTH_DATABASE", default_value = DEFAULT_DATABASE)]
    database: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and API.
    Serve {
        #[command(flatten)]
        db: DatabaseArg,
        /// Address to listen on.
        #[arg(long, env = "HEARTH_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// The council's name, shown in the header.
        #[arg(long, env = "HEARTH_COUNCIL", default_value = "Demo Borough Council")]
        council: String,
        /// Serve over plain HTTP: cookies without Secure and the __Host- prefix, and no
        /// Strict-Transport-Security. By default Hearth expects HTTPS (directly or at a proxy).
        #[arg(long, env = "HEARTH_INSECURE_COOKIES")]
        insecure_cookies: bool,
        /// Behind a reverse proxy: take the client's address from the last X-Forwarded-For
        /// entry (for sign-in throttling and the audit). Only when the proxy sets it.
        #[arg(long, env = "HEARTH_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
        /// Need-to-know: social workers open their own and their team's cases, front-door
        /// workers children with a contact waiting; anything else with a reason (break-glass)
        /// that managers review.
        #[arg(long, env = "HEARTH_NEED_TO_KNOW")]
        need_to_know: bool,
        /// Minutes a session may sit unused before it ends (0: no idle timeout).
        #[arg(long, env = "HEARTH_IDLE_MINUTES", default_value_t = 30)]
        idle_minutes: i64,
        /// The council's standard for visits to a child on a child protection plan, in working
        /// days (not set nationally).
        #[arg(long, env = "HEARTH_CP_VISIT_DAYS", default_value_t = 10)]
        cp_visit_days: u32,
        /// The council's standard for visits to a child on a child in need plan, in working days.
        #[arg(long, env = "HEARTH_CIN_VISIT_DAYS", default_value_t = 20)]
        cin_visit_days: u32,
        /// The council's standard for core groups after the first, in working days.
        #[arg(long, env = "HEARTH_CORE_GROUP_DAYS", default_value_t = 30)]
        core_group_days: u32,
        /// The council's timescale for a contact rated red at screening, in hours from its
        /// receipt (a strategy discussion or immediate action).
        #[arg(long, env = "HEARTH_RED_HOURS", default_value_t = 4)]
        red_hours: u32,
        /// The timescale for a contact rated amber, in hours.
        #[arg(long, env = "HEARTH_AMBER_HOURS", default_value_t = 12)]
        amber_hours: u32,
        /// The timescale for a contact rated green, in hours.
        #[arg(long, env = "HEARTH_GREEN_HOURS", default_value_t = 24)]
        green_hours: u32,
        /// Count the ratings' timescales in working hours (09:00-17:00 on working days) rather
        /// than clock hours.
        #[arg(long, env = "HEARTH_RISK_WORKING_HOURS")]
        risk_working_hours: bool,
        /// Children aged 0-17 in the area (mid-year estimate), for the report's rates per 10,000.
        #[arg(long, env = "HEARTH_POPULATION")]
        population: Option<f64>,
        /// Seconds the performance report's reading of the whole record is shared by its
        /// viewers before the record is read again (0: read for every view).
        #[arg(long, env = "HEARTH_REPORT_REFRESH_SECONDS", default_value_t = 60)]
        report_refresh_seconds: i64,
        /// Reference data for the SSDA903 rules on postcodes and Ofsted URNs, loaded once.
        #[command(flatten)]
        reference: validate_903::ReferenceArgs,
        /// Single sign-on with the council's OpenID Connect provider.
        #[command(flatten)]
        sso: SsoArgs,
    },
    /// Run a demo council: synthetic children, families and workers on the embedded SQLite
    /// default, with an account for each role printed on start.
    Demo {
        /// The demo database file; created and filled on first run, reused afterwards.
        #[arg(long, env = "HEARTH_DATABASE", default_value = "hearth-demo.db")]
        database: String,
        /// The synthetic council's child population (children aged 0-17 in the area; only those
        /// who came to the service are on the record).
        #[arg(long, default_value_t = 50_000)]
        children: usize,
        /// Years of history to generate.
        #[arg(long, default_value_t = 5)]
        years: u32,
        #[arg(long, env = "HEARTH_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Generate and load only; do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log's hash chain, or export the log for a SIEM.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Copy the embedded SQLite database to a new file while Hearth keeps running, and its access
    /// log's file beside the copy (`<target>-access.db` for `<target>.db`): restore both.
    Backup {
        #[command(flatten)]
        db: DatabaseArg,
        /// The file to write (must not exist).
        target: PathBuf,
    },
    /// Validate a statutory return from its files alone.
    #[command(subcommand)]
    Validate(Validate),
    /// Write a statutory return from the stored record.
    #[command(subcommand)]
    Export(Export),
    /// The performance report for a period, from returns or from the record.
    Report(report::Args),
}

/// Single sign-on with the council's OpenID Connect provider (Entra ID or another): set the
/// issuer to turn it on.
#[derive(clap::Args, Clone)]
struct SsoArgs {
    /// The provider's issuer URL (its /.well-known/openid-configuration is read), e.g.
    /// https://login.microsoftonline.com/<tenant id>/v2.0 for Entra ID.
    #[arg(long, env = "HEARTH_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// Hearth's client (application) id at the provider.
    #[arg(long, env = "HEARTH_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    oidc_client_id: Option<String>,
    /// Hearth's client secret at the provider (better given by the environment).
    #[arg(long, env = "HEARTH_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// Hearth's callback as registered with the provider:
    /// https://<hearth's address>/sign-in/sso/callback.
    #[arg(long, env = "HEARTH_OIDC_REDIRECT_URL")]
    oidc_redirect_url: Option<String>,
    /// The ID token claim holding the user's roles or groups.
    #[arg(long, env = "HEARTH_OIDC_ROLE_CLAIM", default_value = "roles")]
    oidc_role_claim: String,
    /// Claim values and the Hearth role each gives, the first match winning:
    /// "Hearth.TeamManager=team_manager,Hearth.SocialWorker=social_worker". A user with none of
    /// them is refused.
    #[arg(long, env = "HEARTH_OIDC_ROLE_MAP")]
    oidc_role_map: Option<String>,
    /// The provider's name on the sign-in page's button ("Sign in with ...").
    #[arg(
        long,
        env = "HEARTH_OIDC_PROVIDER_NAME",
        default_value = "your council account"
    )]
    oidc_provider_name: String,
    /// Single sign-on only: local accounts (username and password) cannot sign in.
    #[arg(long, env = "HEARTH_NO_LOCAL_ACCOUNTS", requires = "oidc_issuer")]
    no_local_accounts: bool,
}

impl SsoArgs {
    fn load(self) -> anyhow::Result<Option<std::sync::Arc<web::sso::Sso>>> {
        let Some(issuer) = self.oidc_issuer else {
            return Ok(None);
        };
        let client_id = self
            .oidc_client_id
            .context("--oidc-client-id is needed with --oidc-issuer")?;
        let redirect_url = self
            .oidc_redirect_url
            .context("--oidc-redirect-url is needed with --oidc-issuer (https://<hearth>/sign-in/sso/callback)")?;
        let role_map = web::sso::parse_role_map(
            &self
                .oidc_role_map
                .context("--oidc-role-map is needed with --oidc-issuer")?,
        )
        .map_err(|e| anyhow::anyhow!("--oidc-role-map: {e}"))?;
        let sso = web::sso::Sso::new(web::sso::SsoConfig {
            issuer,
            client_id,
            client_secret: self.oidc_client_secret.filter(|s| !s.is_empty()),
            redirect_url,
            role_claim: self.oidc_role_claim,
            role_map,
            provider_name: self.oidc_provider_name,
        })
        .map_err(|e| anyhow::anyhow!("single sign-on: {e}"))?;
        Ok(Some(std::sync::Arc::new(sso)))
    }
}

#[derive(Subcommand)]
enum Export {
    /// SSDA903 (children looked after) return for a collection year: its CSV tables, or with
    /// --xml its XML form. Writes one audit entry for the export.
    #[command(name = "903")]
    Ssda903(export_903::Args),
    /// The children's social work workforce census (CSWW) XML for the year to 30 September,
    /// from the workers' files. Writes one audit entry for the export.
    WorkforceCensus(workforce_census::ExportArgs),
    /// Ofsted's Annex A lists as at a day, as an Excel workbook with the check of every row.
    /// Writes one audit entry for the export.
    #[command(name = "annex-a")]
    AnnexA(export_annex_a::Args),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a local account. The password is read from HEARTH_PASSWORD or asked for on standard input.
    Add {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
        /// social_worker, team_manager, front_door, performance_analyst or administrator.
        #[arg(long)]
        role: String,
        /// The name shown in the app.
        #[arg(long)]
        name: Option<String>,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Deactivate an account (a leaver): it cannot sign in and its sessions and tokens end.
    Deactivate {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
    },
    /// Reactivate a deactivated account.
    Activate {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
    },
    /// Set a new password (from HEARTH_PASSWORD or standard input); the account's sessions end.
    ResetPassword {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
    },
    /// Change an account's role; its sessions end.
    SetRole {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
        role: String,
    },
    /// End every session and API token of an account.
    EndSessions {
        #[command(flatten)]
        db: DatabaseArg,
        username: String,
    },
}

fn parse_role(role: &str) -> anyhow::Result<domain::access::Role> {
    domain::access::Role::parse(role).with_context(|| {
        let all: Vec<&str> = domain::access::Role::ALL
            .iter()
            .map(|r| r.as_str())
            .collect();
        format!("unknown role {role:?}: use one of {}", all.join(", "))
    })
}

/// The new password, from HEARTH_PASSWORD or a line of standard input, checked.
fn read_password(username: &str) -> anyhow::Result<String> {
    let password = match std::env::var("HEARTH_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password for {username} (12 characters or more):");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Some(problem) = store::auth::password_problem(&password, username) {
        anyhow::bail!("{problem}");
    }
    Ok(password)
}

async fn find_user(
    store: &store::DynRepository,
    username: &str,
) -> anyhow::Result<domain::access::User> {
    Ok(store
        .user_credentials(username)
        .await?
        .with_context(|| format!("no account {username:?}"))?
        .0)
}

#[derive(Subcommand)]
enum Validate {
    /// SSDA903 (children looked after) return: CSV tables or XML.
    #[command(name = "903")]
    Ssda903(validate_903::Args),
    /// CIN census XML.
    Cin(validate_cin::Args),
    /// Children's social work workforce census (CSWW) XML: Hearth's checks.
    WorkforceCensus(workforce_census::ValidateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(Validate::Ssda903(args)) => validate_903::run(args),
        Command::Validate(Validate::Cin(args)) => validate_cin::run(args),
        Command::Validate(Validate::WorkforceCensus(args)) => workforce_census::validate(args),
        Command::Export(Export::WorkforceCensus(args)) => {
            runtime().and_then(|rt| rt.block_on(workforce_census::export(args)))
        }
        Command::Report(args) => runtime().and_then(|rt| rt.block_on(report::run(args))),
        Command::Audit(command) => runtime().and_then(|rt| rt.block_on(audit::run(command))),
        Command::Export(Export::Ssda903(args)) => {
            runtime().and_then(|rt| rt.block_on(export_903::run(args)))
        }
        Command::Export(Export::AnnexA(args)) => {
            runtime().and_then(|rt| rt.block_on(export_annex_a::run(args)))
        }
        other => runtime().and_then(|rt| rt.block_on(run(other))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

async fn open(db: &DatabaseArg) -> anyhow::Result<store::DynRepository> {
    store::open(&db.database)
        .await
        .with_context(|| format!("opening the database {}", db.database))
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve {
            db,
            listen,
            council,
            insecure_cookies,
            trust_forwarded_for,
            need_to_know,
            idle_minutes,
            cp_visit_days,
            cin_visit_days,
            core_group_days,
            red_hours,
            amber_hours,
            green_hours,
            risk_working_hours,
            population,
            report_refresh_seconds,
            reference,
            sso,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .init();
            let store = open(&db).await?;
            let reference_903 = std::sync::Arc::new(reference.load()?);
            let local_accounts = !sso.no_local_accounts;
            let sso = sso.load()?;
            let config = web::Config {
                sso,
                local_accounts,
                reference_903,
                council_name: council,
                secure_cookies: !insecure_cookies,
                trust_forwarded_for,
                need_to_know,
                idle_timeout: (idle_minutes > 0).then(|| chrono::Duration::minutes(idle_minutes)),
                visit_standards: domain::work::VisitStandards {
                    cp_working_days: cp_visit_days,
                    cin_working_days: cin_visit_days,
                    core_group_working_days: core_group_days,
                },
                risk_timescales: domain::front_door::RiskTimescales {
                    red_hours,
                    amber_hours,
                    green_hours,
                    working_hours: risk_working_hours,
                },
                population,
                report_refresh: chrono::Duration::seconds(report_refresh_seconds.max(0)),
                ..Default::default()
            };
            serve(store, config, &listen).await?;
        }
        Command::Demo {
            database,
            children,
            years,
            listen,
            no_serve,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .init();
            let store = open(&DatabaseArg {
                database: database.clone(),
            })
            .await?;
            demo::prepare(&store, children, years).await?;
            if !no_serve {
                // `children` is the synthetic council's child population: the report's
                // rates per 10,000 use it.
                let config = web::Config {
                    population: Some(children as f64),
                    report_refresh: chrono::Duration::minutes(1),
                    ..Default::default()
                };
                serve(store, config, &listen).await?;
            }
        }
        Command::User(UserCommand::Add {
            db,
            username,
            role,
            name,
        }) => {
            let role = parse_role(&role)?;
            let password = read_password(&username)?;
            let store = open(&db).await?;
            let user = store
                .create_user(
                    store::Actor::SYSTEM,
                    store::NewUser {
                        display_name: name.unwrap_or_else(|| username.clone()),
                        username,
                        role,
                        worker_id: None,
                        password_hash: store::auth::hash_password(&password),
                    },
                )
                .await?;
            println!(
                "Added {} ({}) as {}",
                user.username,
                user.display_name,
                user.role.label()
            );
        }
        Command::User(UserCommand::List { db }) => {
            let store = open(&db).await?;
            for u in store.list_users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.username,
                    u.role.as_str(),
                    if u.active { "active" } else { "inactive" },
                    u.display_name
                );
            }
        }
        Command::User(UserCommand::Deactivate { db, username }) => {
            let store = open(&db).await?;
            let user = find_user(&store, &username).await?;
            let change = store::UserChange {
                active: Some(false),
                ..Default::default()
            };
            store
                .update_user(store::Actor::SYSTEM, user.id, change)
                .await?;
            say!("Deactivated {username}: its sessions and tokens have ended");
        }
        Command::User(UserCommand::Activate { db, username }) => {
            let store = open(&db).await?;
            let user = find_user(&store, &username).await?;
            let change = store::UserChange {
                active: Some(true),
                ..Default::default()
            };
            store
                .update_user(store::Actor::SYSTEM, user.id, change)
                .await?;
            say!("Reactivated {username}");
        }
        Command::User(UserCommand::ResetPassword { db, username }) => {
            let password = read_password(&username)?;
            let store = open(&db).await?;
            let user = find_user(&store, &username).await?;
            store
                .set_password(
                    store::Actor::SYSTEM,
                    user.id,
                    store::auth::hash_password(&password),
                )
                .await?;
            say!("Set a new password for {username}: its sessions have ended");
        }
        Command::User(UserCommand::SetRole { db, username, role }) => {
            let role = parse_role(&role)?;
            let store = open(&db).await?;
            let user = find_user(&store, &username).await?;
            let change = store::UserChange {
                role: Some(role),
                ..Default::default()
            };
            store
                .update_user(store::Actor::SYSTEM, user.id, change)
                .await?;
            say!("{username} is now {}", role.label());
        }
        Command::User(UserCommand::EndSessions { db, username }) => {
            let store = open(&db).await?;
            let user = find_user(&store, &username).await?;
            let n = store.end_sessions(store::Actor::SYSTEM, user.id).await?;
            say!("Ended {n} sessions of {username}");
        }
        Command::Backup { db, target } => {
            let store = open(&db).await?;
            store.backup(&target).await?;
            let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let access = store::access_log_path(&target);
            println!(
                "Backed up {} to {} ({} bytes) and its access log to {} ({} bytes)",
                db.database,
                target.display(),
                size(&target),
                access.display(),
                size(&access)
            );
        }
        Command::Validate(_) | Command::Report(_) | Command::Export(_) | Command::Audit(_) => {
            unreachable!("validation, exports and reports run before this match")
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(
    store: store::DynRepository,
    config: web::Config,
    listen: &str,
) -> anyhow::Result<()> {
    let app = web::app(web::AppState::new(store, config));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    println!("Hearth is running at http://{}/", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
