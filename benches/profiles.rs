//! Loading and resolving a large setup: 10,000 profiles, a fifth of them MFA users (keys in the
//! credentials file), the rest roles chained up to three hops deep onto them.
//!
//! `cargo bench --bench profiles` (add `-- --quick` for a short run).

mod common;

use std::hint::black_box;

use common::PROFILES;
use criterion::{Criterion, criterion_group, criterion_main};
use mfatui::profile::ProfileSet;

fn resolve_all(set: &ProfileSet) -> usize {
    set.names().filter(|n| set.resolve(n).is_ok()).count()
}

fn bench(c: &mut Criterion) {
    let (config, credentials) = common::generate(
        "role_session_name = bench ; a comment\ns3 =\n  max_concurrent_requests = 20\n",
    );
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
