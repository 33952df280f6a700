//! `hearth demo`: a synthetic council and an account for each role.

use std::time::Instant;

use domain::record::Role;
use store::{Actor, DynRepository, NewUser};

/// The demo accounts' shared password (demo data only; never use it for a real service).
pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

fn demo_name(role: Role) -> &'static str {
    match role {
        Role::SocialWorker => "Sam Social-Worker",
        Role::TeamManager => "Tamsin Manager",
        Role::FrontDoor => "Frankie Frontdoor",
        Role::PerformanceAnalyst => "Priya Analyst",
        Role::Administrator => "Alex Admin",
    }
}

/// Fills an empty database with a synthetic council and demo accounts; leaves a filled one be.
pub async fn prepare(store: &DynRepository, children: usize) -> anyhow::Result<()> {
    if store.count_people().await? == 0 {
        let started = Instant::now();
        let today = chrono::Utc::now().date_naive();
        let council = synth::generate(&synth::Spec::demo(children, today));
        let workers = synth::load(&council, store.as_ref()).await?;
        // The demo social worker holds the caseload of the first social worker.
        let first_social_worker = council
            .workers
            .iter()
            .position(|w| w.role_title == "Social worker")
            .map(|i| workers[i]);
        let first_manager = council
            .workers
            .iter()
            .position(|w| w.role_title == "Team manager")
            .map(|i| workers[i]);
        for role in Role::ALL {
            let worker_id = match role {
                Role::SocialWorker => first_social_worker,
                Role::TeamManager => first_manager,
                _ => None,
            };
            store
                .create_user(
                    Actor::SYSTEM,
                    NewUser {
                        username: role.as_str().replace('_', "."),
                        display_name: demo_name(role).to_string(),
                        role,
                        worker_id,
                        password_hash: store::auth::hash_password(DEMO_PASSWORD),
                    },
                )
                .await?;
        }
        println!(
            "Generated a synthetic council of {} children in {:.1} s.",
            council.child_count(),
            started.elapsed().as_secs_f64()
        );
    }
    println!("Demo accounts (password for each: {DEMO_PASSWORD}):");
    for u in store.list_users().await? {
        println!("  {:<22} {}", u.username, u.role.label());
    }
    Ok(())
}
