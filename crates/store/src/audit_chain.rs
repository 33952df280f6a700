//! The audit log's hash chain: every entry carries its place in the chain (`seq`, from 1), the
//! hash of the entry before it (`prev_hash`) and its own hash (`hash`), so that deleting,
//! changing or inserting an entry, even with the triggers dropped, is found by
//! `hearth audit verify` ([`verify`]).
//!
//! There are two logs, each with its own chain: the audit log (changes and events; head in
//! `audit_chain`) and the access log (views; `access_log`, head in `access_chain`; on SQLite a
//! file of its own beside the database). The chain's head (the last `seq` and `hash`) is the
//! single row of its chain table. Every append (a change transaction's entries, a batch of the
//! access log's view entries) reads and updates that row in the same transaction as its inserts
//! (`append_to_log` in `sql.rs`), which on PostgreSQL locks it until the commit: appends are
//! serialised and `seq` has no gaps. SQLite has one writer per file anyway.
//!
//! The hash is SHA-256, lower-case hex, of this encoding of the entry: the text
//! `hearth-audit-v1` and then each field in this order as a netstring-like item,
//! `<length in bytes>:<bytes>,` for a value and `-,` for none:
//!
//! 1. `seq` in decimal; 2. `prev_hash` (hex); 3. `at` as microseconds since 1970-01-01 UTC in
//!    decimal; 4. `actor` (UUID, hyphenated lower case); 5. `action`; 6. `entity_type`;
//!    7. `entity_id` (UUID); 8. `person_id` (UUID); 9. `before` and 10. `after` as canonical JSON
//!    (object keys sorted by their bytes, no spaces, numbers and strings as serde_json writes
//!    them); 11. `detail`.
//!
//! The first entry's `prev_hash` is [`GENESIS`] (64 zeros).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry's fields, as inserted and as read back to verify.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub detail: String,
}

fn item(out: &mut Vec<u8>, value: Option<&[u8]>) {
    match value {
        Some(v) => {
            out.extend_from_slice(v.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(v);
            out.push(b',');
        }
        None => out.extend_from_slice(b"-,"),
    }
}

/// JSON with object keys sorted, whatever order the backend returns them in (PostgreSQL's
/// JSONB reorders keys).
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The hash of an entry at `seq` following `prev_hash`.
pub fn entry_hash(seq: i64, prev_hash: &str, row: &AuditRow) -> String {
    let mut buf = Vec::with_capacity(256 + row.detail.len());
    buf.extend_from_slice(b"hearth-audit-v1");
    let uuid = |u: Option<Uuid>| u.map(|u| u.hyphenated().to_string());
    let json = |v: &Option<Value>| {
        v.as_ref().map(|v| {
            let mut s = String::new();
            canonical_json(v, &mut s);
            s
        })
    };
    item(&mut buf, Some(seq.to_string().as_bytes()));
    item(&mut buf, Some(prev_hash.as_bytes()));
    item(
        &mut buf,
        Some(row.at.timestamp_micros().to_string().as_bytes()),
    );
    item(&mut buf, uuid(row.actor).as_deref().map(str::as_bytes));
    item(&mut buf, Some(row.action.as_bytes()));
    item(&mut buf, Some(row.entity_type.as_bytes()));
    item(&mut buf, uuid(row.entity_id).as_deref().map(str::as_bytes));
    item(&mut buf, uuid(row.person_id).as_deref().map(str::as_bytes));
    item(&mut buf, json(&row.before).as_deref().map(str::as_bytes));
    item(&mut buf, json(&row.after).as_deref().map(str::as_bytes));
    item(&mut buf, Some(row.detail.as_bytes()));
    hex::encode(Sha256::digest(&buf))
}

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone)]
pub struct SealedEntry {
    pub id: i64,
    /// None for an entry that was inserted around the chain.
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    pub row: AuditRow,
}

impl SealedEntry {
    /// One line of the export for a SIEM: the entry, from `log`, as a JSON object.
    pub fn to_json_line(&self, log: domain::access::AuditLog) -> String {
        serde_json::json!({
            "log": log.as_str(),
            "seq": self.seq,
            "id": self.id,
            "at": self.row.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "actor": self.row.actor,
            "action": self.row.action,
            "entity_type": self.row.entity_type,
            "entity_id": self.row.entity_id,
            "person_id": self.row.person_id,
            "before": self.row.before,
            "after": self.row.after,
            "detail": self.row.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        })
        .to_string()
    }
}

/// The head of the chain as `audit_chain` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    pub head: ChainHead,
    /// The first break, if the chain is broken.
    pub broken: Option<ChainBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The place in the chain where it breaks.
    pub seq: i64,
    /// The entry's id, when there is an entry there.
    pub id: Option<i64>,
    pub reason: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "entry {} (id {id}): {}", self.seq, self.reason),
            None => write!(f, "entry {}: {}", self.seq, self.reason),
        }
    }
}

/// Checks the chain, in `seq` order, one page of entries at a time. `unchained` is the first
/// entry without a place in the chain, if any; `head` is `audit_chain`'s row.
pub struct Verifier {
    expected: i64,
    prev: String,
    entries: u64,
    broken: Option<ChainBreak>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            expected: 1,
            prev: GENESIS.into(),
            entries: 0,
            broken: None,
        }
    }
}

impl Verifier {
    /// The last `seq` checked (to read the next page after it).
    pub fn last_seq(&self) -> i64 {
        self.expected - 1
    }

    pub fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// Checks the next entry (entries come in increasing `seq`).
    pub fn check(&mut self, e: &SealedEntry) {
        if self.broken.is_some() {
            return;
        }
        self.entries += 1;
        let Some(seq) = e.seq else { return };
        let brk = |seq: i64, id: Option<i64>, reason: String| Some(ChainBreak { seq, id, reason });
        if seq != self.expected {
            self.broken = brk(
                self.expected,
                None,
                format!(
                    "missing: the next entry in the log is {seq} (id {}); entries were deleted",
                    e.id
                ),
            );
            return;
        }
        if e.prev_hash.as_deref() != Some(self.prev.as_str()) {
            self.broken = brk(
                seq,
                Some(e.id),
                format!(
                    "does not follow entry {}: its previous hash differs",
                    seq - 1
                ),
            );
            return;
        }
        let hash = entry_hash(seq, &self.prev, &e.row);
        if e.hash.as_deref() != Some(hash.as_str()) {
            self.broken = brk(
                seq,
                Some(e.id),
                "changed: its content does not match its hash".into(),
            );
            return;
        }
        self.expected += 1;
        self.prev = hash;
    }

    /// The report, given the chain's head and the first entry outside the chain.
    pub fn finish(mut self, head: ChainHead, unchained: Option<i64>) -> ChainReport {
        if self.broken.is_none() {
            let last = self.expected - 1;
            if head.seq != last {
                self.broken = Some(ChainBreak {
                    seq: last + 1,
                    id: None,
                    reason: format!(
                        "missing: the chain's head is at entry {} but the log ends at entry {last}",
                        head.seq
                    ),
                });
            } else if head.hash != self.prev {
                self.broken = Some(ChainBreak {
                    seq: last,
                    id: None,
                    reason: "the chain's head does not match the last entry's hash".into(),
                });
            } else if let Some(id) = unchained {
                self.broken = Some(ChainBreak {
                    seq: last + 1,
                    id: Some(id),
                    reason: "an entry was inserted outside the chain (it has no hash)".into(),
                });
            }
        }
        ChainReport {
            entries: self.entries,
            head,
            broken: self.broken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(detail: &str) -> AuditRow {
        AuditRow {
            at: DateTime::from_timestamp_micros(1_780_000_000_123_456).unwrap(),
            actor: Some(Uuid::from_u128(7)),
            action: "view".into(),
            entity_type: "person".into(),
            entity_id: None,
            person_id: Some(Uuid::from_u128(9)),
            before: None,
            after: Some(serde_json::json!({"b": 1, "a": [true, null, "x"]})),
            detail: detail.into(),
        }
    }

    fn chain(n: usize) -> Vec<SealedEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n as i64)
            .map(|seq| {
                let r = row(&format!("entry {seq}"));
                let hash = entry_hash(seq, &prev, &r);
                let e = SealedEntry {
                    id: seq + 100,
                    seq: Some(seq),
                    prev_hash: Some(prev.clone()),
                    hash: Some(hash.clone()),
                    row: r,
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn run(entries: &[SealedEntry], head: ChainHead) -> ChainReport {
        let mut v = Verifier::default();
        entries.iter().for_each(|e| v.check(e));
        v.finish(head, None)
    }

    fn head_of(entries: &[SealedEntry]) -> ChainHead {
        let last = entries.last().unwrap();
        ChainHead {
            seq: last.seq.unwrap(),
            hash: last.hash.clone().unwrap(),
        }
    }

    #[test]
    fn the_encoding_is_fixed() {
        // Key order does not matter; anything else does.
        let mut a = row("x");
        let h = entry_hash(1, GENESIS, &a);
        a.after = Some(serde_json::json!({"a": [true, null, "x"], "b": 1}));
        assert_eq!(entry_hash(1, GENESIS, &a), h);
        assert_eq!(h.len(), 64);
        let mut s = String::new();
        canonical_json(a.after.as_ref().unwrap(), &mut s);
        assert_eq!(s, r#"{"a":[true,null,"x"],"b":1}"#);
        a.detail = "y".into();
        assert_ne!(entry_hash(1, GENESIS, &a), h);
        // None and an empty value are different.
        let mut b = row("x");
        b.actor = None;
        assert_ne!(entry_hash(1, GENESIS, &b), h);
        assert_ne!(entry_hash(2, GENESIS, &row("x")), h);
    }

    #[test]
    fn a_whole_chain_verifies_and_each_kind_of_tampering_is_named() {
        let entries = chain(5);
        let report = run(&entries, head_of(&entries));
        assert_eq!(report.broken, None);
        assert_eq!(report.entries, 5);

        let mut deleted = entries.clone();
        deleted.remove(2);
        let b = run(&deleted, head_of(&entries)).broken.unwrap();
        assert_eq!((b.seq, b.id), (3, None));
        assert!(b.reason.contains("deleted"));

        let mut changed = entries.clone();
        changed[3].row.detail = "nothing to see".into();
        let b = run(&changed, head_of(&entries)).broken.unwrap();
        assert_eq!((b.seq, b.id), (4, Some(104)));
        assert!(b.reason.contains("changed"));

        // The tail deleted: the head still knows how long the chain was.
        let b = run(&entries[..3], head_of(&entries)).broken.unwrap();
        assert_eq!(b.seq, 4);

        let mut v = Verifier::default();
        entries.iter().for_each(|e| v.check(e));
        let b = v.finish(head_of(&entries), Some(999)).broken.unwrap();
        assert_eq!(b.id, Some(999));
    }
}

/// Checks `log`'s whole chain from the store, a page at a time, up to the head as it was when
/// the check began (entries appended meanwhile are left for the next check).
pub async fn verify(
    store: &dyn crate::Access,
    log: domain::access::AuditLog,
) -> crate::Result<ChainReport> {
    let (head, unchained) = store.audit_chain_head(log).await?;
    let mut v = Verifier::default();
    loop {
        let page = store
            .audit_chain_page(log, v.last_seq(), head.seq, 10_000)
            .await?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            v.check(e);
        }
        if v.is_broken() {
            break;
        }
        // A gap at the end of a page: the next page starts after what was read.
        if v.last_seq() < page.last().and_then(|e| e.seq).unwrap_or(0) {
            break;
        }
    }
    Ok(v.finish(head, unchained))
}
