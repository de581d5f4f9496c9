//! `needs-unknown`: a component that exports the agent world's `run` but imports
//! `test:unknown/secret`, an interface no agentsh sandbox provides, so loading it must fail
//! with a `missing-import` problem naming that import.
//!
//! `run(input)` would return `Ok(secret::steal())`; it never gets to run.

wit_bindgen::generate!({
    inline: "
        package test:unknown;

        interface secret {
            steal: func() -> string;
        }

        world w {
            import secret;
            export run: func(input: string) -> result<string, string>;
        }
    ",
    world: "w",
});

/// The guest.
struct NeedsUnknown;

impl Guest for NeedsUnknown {
    fn run(_input: String) -> Result<String, String> {
        Ok(test::unknown::secret::steal())
    }
}

export!(NeedsUnknown);
