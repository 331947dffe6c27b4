//! The dashboard at 10,000 profiles (a fifth MFA users, the rest roles chained onto them, one in
//! seven with a live session, one in eleven expired): a whole frame on a 200x60 TestBackend, a
//! frame and a keystroke while a `/` filter is typed, and building the rows from the profile
//! files with an empty session cache. A fixed `now`, as in the snapshot tests.
//!
//! `cargo bench --bench render` (add `-- --quick` for a short run); `scripts/bench` runs it with
//! the `profiles` bench and compares the medians with `benches/targets.json`.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::PROFILES;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use mfatui::profile::ProfileSet;
use mfatui::session::{Cache, Engine};
use mfatui::tui::action::{Action, Loaded};
use mfatui::tui::rows;
use mfatui::tui::state::{Sources, State};
use mfatui::tui::update::update;
use mfatui::tui::view;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// What is typed after `/`: matches role-12, role-120..129 and role-1200..1299.
const FILTER: &str = "role-1";
const FILTER_LAST: char = '2';
const FILTER_MATCHES: usize = 111;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-03T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn engine(dir: &tempfile::TempDir) -> Engine {
    Engine::new(Cache::new(dir.path().to_path_buf()))
}

/// The loaded dashboard, with sessions set straight on the rows: one in seven live (from a few
/// minutes, under the warning threshold, to 12 h), one in eleven expired.
fn loaded_state(set: &ProfileSet, engine: &Engine) -> State {
    let mut state = State::new(Sources {
        config: "/home/jo/.aws/config".into(),
        credentials: "/home/jo/.aws/credentials".into(),
    });
    let mut rows = rows::build(set, engine, now());
    for (i, row) in rows.iter_mut().enumerate() {
        if i % 7 == 0 {
            let left = 120 + (i as i64 * 7919) % 43_000;
            row.expires_at = Some(now() + chrono::Duration::seconds(left));
        } else if i % 11 == 0 {
            row.expires_at = Some(now() - chrono::Duration::seconds(60));
        }
    }
    let loaded = Loaded {
        rows,
        problems: Vec::new(),
        select: None,
    };
    update(&mut state, Action::Loaded(loaded), now());
    state
}

fn press(state: &mut State, code: KeyCode) {
    update(
        state,
        Action::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        now(),
    );
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, state: &State) {
    terminal
        .draw(|frame| view::render(black_box(state), now(), frame))
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let (config, credentials) = common::generate("region = us-east-1\n");
    let set = ProfileSet::from_strs(&config, &credentials);
    assert_eq!(set.len(), PROFILES);
    assert!(set.problems.is_empty(), "{:?}", set.problems.first());
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let state = loaded_state(&set, &engine);
    assert_eq!(state.visible().len(), PROFILES);

    // The frame the loop draws once a second while a countdown is live, and after any key.
    let mut term = terminal();
    draw(&mut term, &state);
    let screen = term.backend().to_string();
    assert!(screen.contains("10000 profiles"), "{screen}");
    assert!(
        screen.contains("mfa-user") || screen.contains("role"),
        "{screen}"
    );

    // The same with `/` and FILTER typed through `update`, as the keys arrive.
    let mut filtering = state.clone();
    press(&mut filtering, KeyCode::Char('/'));
    for c in FILTER.chars() {
        press(&mut filtering, KeyCode::Char(c));
    }
    assert!(filtering.filtering);
    let mut typed = filtering.clone();
    press(&mut typed, KeyCode::Char(FILTER_LAST));
    assert_eq!(typed.visible().len(), FILTER_MATCHES);
    let mut filtered_term = terminal();
    draw(&mut filtered_term, &typed);
    let screen = filtered_term.backend().to_string();
    assert!(
        screen.contains(&format!("{FILTER_MATCHES} shown")),
        "{screen}"
    );

    let mut group = c.benchmark_group("render");
    group.bench_function("frame 200x60, 10k profiles", |b| {
        b.iter(|| draw(&mut term, &state))
    });
    group.bench_function("frame 200x60, 10k profiles, filter typed", |b| {
        b.iter(|| draw(&mut filtered_term, &typed))
    });
    // What a user feels while typing: one key through `update`, then the frame it causes.
    // Only the key and the frame are timed; the Backspace that undoes the key is not.
    group.bench_function("filter keystroke + frame, 10k profiles", |b| {
        let mut state = filtering.clone();
        let mut term = terminal();
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                press(&mut state, KeyCode::Char(FILTER_LAST));
                draw(&mut term, &state);
                spent += start.elapsed();
                press(&mut state, KeyCode::Backspace);
            }
            spent
        })
    });
    // Not user-facing on its own: the filter pass each typed character makes.
    let mut refiltered = typed.clone();
    group.bench_function("State::refilter, 10k profiles, filter typed", |b| {
        b.iter(|| black_box(&mut refiltered).refilter())
    });
    // Start-up and `r` (reload): every profile resolved and looked up in the session cache.
    group.bench_function("rows::build, 10k profiles, empty cache", |b| {
        b.iter(|| rows::build(black_box(&set), &engine, now()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
