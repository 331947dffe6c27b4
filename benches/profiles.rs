//! Loading and resolving a large setup: 10,000 profiles, a fifth of them MFA users (keys in the
//! credentials file), the rest roles chained up to three hops deep onto them.
//!
//! `cargo bench --bench profiles` (add `-- --quick` for a short run).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mfatui::profile::ProfileSet;

const PROFILES: usize = 10_000;
const USERS: usize = PROFILES / 5;

/// (config, credentials) texts.
fn generate() -> (String, String) {
    let mut config = String::with_capacity(PROFILES * 160);
    let mut credentials = String::with_capacity(USERS * 160);
    for u in 0..USERS {
        config.push_str(&format!(
            "[profile user-{u}]\nregion = eu-west-1\n\
             mfa_serial = arn:aws:iam::{:012}:mfa/user-{u}\nduration_seconds = 43200\n\n",
            u
        ));
        credentials.push_str(&format!(
            "[user-{u}]\naws_access_key_id = AKIA{u:016}\n\
             aws_secret_access_key = {u:040} # rotated\n\n"
        ));
    }
    for r in 0..PROFILES - USERS {
        // Two roles in three sit on the previous role: chains of one, two and three hops.
        let source = match r % 3 {
            0 => format!("user-{}", r % USERS),
            _ => format!("role-{}", r - 1),
        };
        config.push_str(&format!(
            "[profile role-{r}]\nrole_arn = arn:aws:iam::{:012}:role/team/Role{r}\n\
             source_profile = {source}\nrole_session_name = bench ; a comment\n\
             s3 =\n  max_concurrent_requests = 20\n\n",
            r % 997
        ));
    }
    (config, credentials)
}

fn resolve_all(set: &ProfileSet) -> usize {
    set.names().filter(|n| set.resolve(n).is_ok()).count()
}

fn bench(c: &mut Criterion) {
    let (config, credentials) = generate();
    let set = ProfileSet::from_strs(&config, &credentials);
    assert_eq!(set.len(), PROFILES);
    assert!(set.problems.is_empty(), "{:?}", set.problems.first());
    assert_eq!(resolve_all(&set), PROFILES);

    c.bench_function("from_strs 10k profiles", |b| {
        b.iter(|| ProfileSet::from_strs(black_box(&config), black_box(&credentials)))
    });
    c.bench_function("resolve every one of 10k profiles", |b| {
        b.iter(|| resolve_all(black_box(&set)))
    });
    c.bench_function("from_strs + resolve all, 10k profiles", |b| {
        b.iter(|| {
            let set = ProfileSet::from_strs(black_box(&config), black_box(&credentials));
            resolve_all(&set)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
