//! `hearth demo`: a synthetic council (its population's journeys over the years, workers and
//! caseloads) bulk-loaded on first start, and an account for each role.

use std::time::Instant;

use domain::access::Role;
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
        Role::Iro => "Indira Reviewing-Officer",
        Role::Auditor => "Aude Quality-Lead",
        Role::Workforce => "Wren Workforce-Lead",
    }
}

/// Fills an empty database with a synthetic council of `children` children and `years` years of
/// history, and demo accounts; leaves a filled one be. The demo social worker holds the caseload
/// of the social worker with the most kinds of work due, and the demo team manager manages their
/// team.
pub async fn prepare(store: &DynRepository, children: usize, years: u32) -> anyhow::Result<()> {
    if store.count_people().await? == 0 {
        let started = Instant::now();
        // The history runs to yesterday, so nothing in it is later than now; contacts from
        // yesterday still wait for their decision today.
        let yesterday = domain::calendar::uk_now().date() - chrono::Days::new(1);
        let mut spec = synth::Spec::demo(children, yesterday);
        spec.years = years;
        let council = synth::generate(&spec);
        let generated = started.elapsed();
        let counts = synth::load(&council, store.as_ref()).await?;
        let (social_worker, manager) = council.demo_workers();
        // The council's own accounts (its case file auditors: the demo's auditor is its quality
        // lead, on its audit programmes) get the demo password; the other roles are created.
        let existing = store.list_users().await?;
        for u in &existing {
            store
                .set_password(
                    Actor::SYSTEM,
                    u.id,
                    store::auth::hash_password(DEMO_PASSWORD),
                )
                .await?;
        }
        for role in Role::ALL {
            if existing
                .iter()
                .any(|u| u.username == role.as_str().replace('_', "."))
            {
                continue;
            }
            let worker_id = match role {
                Role::SocialWorker => social_worker,
                Role::TeamManager => manager,
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
            "Generated a synthetic council of {} children ({} years; {} on the record, {} records) in {:.1} s ({:.1} s to generate, {:.1} s to load).",
            children,
            years,
            council.children_on_record(),
            counts.total(),
            started.elapsed().as_secs_f64(),
            generated.as_secs_f64(),
            (started.elapsed() - generated).as_secs_f64(),
        );
    }
    println!("Demo accounts (password for each: {DEMO_PASSWORD}):");
    for u in store.list_users().await? {
        println!("  {:<22} {}", u.username, u.role.label());
    }
    Ok(())
}
