//! `patch`: apply a diff to files, as GNU patch 2.7.6.

use super::super::{Command, Ctx};

/// `patch [OPTION]... [ORIGFILE [PATCHFILE]]`
pub struct Patch;

impl Command for Patch {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        ctx.err("not yet");
        2
    }
}
