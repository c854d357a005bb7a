//! The decoder's helper threads: `n - 1` threads that run a frame's row tasks with the caller
//! (`thread.rs`), started at the decoder's first threaded frame and kept until it is dropped, as
//! the C stage keeps its workers (port steps 77-78).
//!
//! Guarantees: [`Workers::run`] lends `work` and everything it borrows to the helpers only until
//! it returns, and returns only when every copy has returned (a panic in one is re-raised here,
//! after the others returned), which is what `std::thread::scope` guarantees; but the threads
//! outlive the call, so a frame does not wait for threads to start.
//!
//! Replaced: `std::thread::scope` around each threaded frame (port steps 38-76). Timers around
//! the tasks (a scratch build, motion 1080p, 2 threads) showed the scoped helper beginning its
//! first task 65 to 290 µs after the frame started, on average over 120 frames of about 2.4 ms:
//! on this VM a new thread lands on a vCPU that went idle when the previous frame's helper
//! exited. Measured cost of the change (step 77, `bench/threads_ab.py`, docs/threads.md): none at
//! one thread (no pool is made); at two, motion 1.63x -> 1.68x and parts4 1.62x -> 1.72x.
//!
//! Why a crate: std lends borrows only to the threads a scope starts; running borrowed work on
//! threads that already exist needs a lifetime the compiler cannot check, which `rayon_core`'s
//! `in_place_scope` encapsulates (its unchecked code stays in that crate, as std's stays in
//! std).
//! If its pool cannot be started, frames fall back to scoped threads.

/// The helper threads of one decoder (none until its first threaded frame).
#[derive(Debug, Default)]
pub struct Workers(Option<rayon_core::ThreadPool>);

impl Workers {
    /// Run `work` on the calling thread and on `n - 1` helpers at once, and return when every
    /// copy has returned.
    pub fn run<F: Fn() + Sync>(&mut self, n: usize, work: F) {
        match self.pool(n) {
            Some(pool) => pool.in_place_scope(|s| {
                for _ in 1..n {
                    s.spawn(|_| work());
                }
                work();
            }),
            None => std::thread::scope(|s| {
                for _ in 1..n {
                    s.spawn(&work);
                }
                work();
            }),
        }
    }

    fn pool(&mut self, n: usize) -> Option<&rayon_core::ThreadPool> {
        if self.0.is_none() {
            let builder = rayon_core::ThreadPoolBuilder::new().num_threads(n - 1);
            self.0 = builder
                .thread_name(|i| format!("vp8-safe-{i}"))
                .build()
                .ok();
        }
        self.0.as_ref()
    }
}
