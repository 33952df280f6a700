//! Sign-in throttling, per account and per source address.
//!
//! Failed sign-ins are counted in a sliding window (a minute by default). When an account, or a
//! source address, reaches its limit it is locked for a while (15 minutes by default): every
//! attempt in that time is refused without checking the password, the right one included. The
//! lock is recorded in the audit log when it starts, and every refused attempt too.
//!
//! The counts are kept in memory by the server process; a restart clears them.

use std::collections::HashMap;
use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;
use std::time::Instant;

/// The council's limits on failed sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Failures in the window that lock an account.
    pub per_account: usize,
    /// Failures in the window that lock a source address (higher: many people share an office's
    /// address).
    pub per_address: usize,
    pub window: Duration,
    /// How long a lock lasts.
    pub lock: Duration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            per_account: 15,
            per_address: 50,
            window: Duration::from_secs(60),
            lock: Duration::from_secs(15 * 60),
        }
    }
}

/// What is counted: an account (by username, lower case) or a source address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Account(String),
    Address(IpAddr),
}

impl Key {
    /// Usernames longer than any account's are counted under their first 128 characters, so the
    /// table cannot be grown by long names.
    pub fn account(username: &str) -> Key {
        Key::Account(
            username
                .trim()
                .chars()
                .take(128)
                .collect::<String>()
                .to_lowercase(),
        )
    }

    pub fn describe(&self) -> String {
        match self {
            Key::Account(u) => format!("account {}", crate::auth::audit_username(u)),
            Key::Address(a) => format!("address {a}"),
        }
    }
}

#[derive(Default)]
struct Counts {
    failures: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

/// Most keys held before expired ones are swept out.
const SWEEP_AT: usize = 10_000;

pub struct Throttle {
    limits: SignInLimits,
    counts: Mutex<HashMap<Key, Counts>>,
}

/// A lock in force: what is locked and for how much longer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    pub key: Key,
    pub remaining: Duration,
}

impl Locked {
    /// "14 minutes", rounded up.
    pub fn wait_text(&self) -> String {
        let minutes = self.remaining.as_secs().div_ceil(60).max(1);
        if minutes == 1 {
            "1 minute".into()
        } else {
            format!("{minutes} minutes")
        }
    }
}

impl Throttle {
    pub fn new(limits: SignInLimits) -> Self {
        Throttle {
            limits,
            counts: Mutex::new(HashMap::new()),
        }
    }

    fn limit(&self, key: &Key) -> usize {
        match key {
            Key::Account(_) => self.limits.per_account,
            Key::Address(_) => self.limits.per_address,
        }
    }

    /// The first lock in force on any of `keys`, if one is.
    pub fn locked(&self, keys: &[Key], now: Instant) -> Option<Locked> {
        let counts = self.counts.lock().expect("throttle lock");
        keys.iter().find_map(|k| {
            let until = counts.get(k)?.locked_until?;
            (until > now).then(|| Locked {
                key: k.clone(),
                remaining: until - now,
            })
        })
    }

    /// Counts a failure against each key; returns the keys this failure locked.
    pub fn fail(&self, keys: &[Key], now: Instant) -> Vec<Key> {
        let mut counts = self.counts.lock().expect("throttle lock");
        if counts.len() >= SWEEP_AT {
            let window = self.limits.window;
            counts.retain(|_, c| {
                c.locked_until.is_some_and(|u| u > now)
                    || c.failures
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let mut newly_locked = Vec::new();
        for key in keys {
            let limit = self.limit(key);
            let c = counts.entry(key.clone()).or_default();
            while c
                .failures
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.limits.window)
            {
                c.failures.pop_front();
            }
            c.failures.push_back(now);
            if c.failures.len() >= limit && c.locked_until.is_none_or(|u| u <= now) {
                c.locked_until = Some(now + self.limits.lock);
                c.failures.clear();
                newly_locked.push(key.clone());
            }
        }
        newly_locked
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeed(&self, account: &Key) {
        self.counts.lock().expect("throttle lock").remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> SignInLimits {
        SignInLimits {
            per_account: 15,
            per_address: 20,
            window: Duration::from_secs(60),
            lock: Duration::from_secs(900),
        }
    }

    #[test]
    fn fifteen_failures_in_a_minute_lock_the_account_until_the_lock_passes() {
        let t = Throttle::new(limits());
        let start = Instant::now();
        let keys = [Key::account("Sam")];
        for i in 0..14 {
            assert!(t.fail(&keys, start + Duration::from_secs(i)).is_empty());
            assert_eq!(t.locked(&keys, start + Duration::from_secs(i)), None);
        }
        assert_eq!(
            t.fail(&keys, start + Duration::from_secs(14)),
            keys.to_vec()
        );
        let locked = t.locked(&[Key::account("sam")], start + Duration::from_secs(15));
        assert_eq!(locked.as_ref().map(|l| &l.key), Some(&keys[0]));
        assert_eq!(locked.unwrap().wait_text(), "15 minutes");
        assert!(
            t.locked(&keys, start + Duration::from_secs(14 + 899))
                .is_some()
        );
        assert_eq!(t.locked(&keys, start + Duration::from_secs(14 + 900)), None);
    }

    #[test]
    fn failures_spread_over_more_than_the_window_do_not_lock() {
        let t = Throttle::new(limits());
        let start = Instant::now();
        let keys = [Key::account("sam")];
        for i in 0..30 {
            assert!(t.fail(&keys, start + Duration::from_secs(i * 5)).is_empty());
        }
        assert_eq!(t.locked(&keys, start + Duration::from_secs(150)), None);
    }

    #[test]
    fn an_address_trying_many_accounts_is_locked_on_its_own_limit() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        let addr = Key::Address("192.0.2.7".parse().unwrap());
        for i in 0..19 {
            t.fail(&[Key::account(&format!("user{i}")), addr.clone()], now);
        }
        assert_eq!(t.locked(&[addr.clone()], now), None);
        assert_eq!(
            t.fail(&[Key::account("user19"), addr.clone()], now),
            vec![addr.clone()]
        );
        // Another account from that address is refused; the same account elsewhere is not.
        assert!(
            t.locked(&[Key::account("new"), addr.clone()], now)
                .is_some()
        );
        assert_eq!(t.locked(&[Key::account("user3")], now), None);
    }

    #[test]
    fn success_clears_the_accounts_failures() {
        let t = Throttle::new(limits());
        let now = Instant::now();
        let keys = [Key::account("sam")];
        for _ in 0..14 {
            t.fail(&keys, now);
        }
        t.succeed(&keys[0]);
        assert!(t.fail(&keys, now).is_empty());
    }
}
