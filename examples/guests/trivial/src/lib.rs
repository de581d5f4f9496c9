//! `trivial`: the smallest agent guest, for cold-start benchmarks.
//!
//! `run(input)` returns `Ok(input)` unchanged. It uses no import and no serde.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "agent",
});

/// The guest.
struct Trivial;

impl Guest for Trivial {
    fn run(input: String) -> Result<String, String> {
        Ok(input)
    }
}

export!(Trivial);
