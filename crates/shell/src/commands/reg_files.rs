//! Registration of the file commands (mkdir, ls, cp, ...).

use super::CommandMap;

#[path = "files_backup.rs"]
mod backup;
#[path = "files_common.rs"]
mod common;
#[path = "files_help.rs"]
mod files_help;
#[path = "files_mode.rs"]
pub(super) mod mode;
#[path = "files_target.rs"]
mod target;

#[path = "basename.rs"]
mod basename;
#[path = "chmod.rs"]
mod chmod;
#[path = "cp.rs"]
mod cp;
#[path = "df.rs"]
mod df;
#[path = "dirname.rs"]
mod dirname;
#[path = "du.rs"]
mod du;
#[path = "ln.rs"]
mod ln;
#[path = "ls.rs"]
mod ls;
#[path = "mkdir.rs"]
mod mkdir;
#[path = "mktemp.rs"]
mod mktemp;
#[path = "mv.rs"]
mod mv;
#[path = "readlink.rs"]
mod readlink;
#[path = "realpath.rs"]
mod realpath;
#[path = "rm.rs"]
mod rm;
#[path = "rmdir.rs"]
mod rmdir;
#[path = "stat.rs"]
mod stat;
#[path = "touch.rs"]
mod touch;
#[path = "truncate.rs"]
mod truncate;

/// Add this group's commands to `map`.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("mkdir", Box::new(mkdir::Mkdir));
    map.insert("rmdir", Box::new(rmdir::Rmdir));
    map.insert("readlink", Box::new(readlink::Readlink));
    map.insert("realpath", Box::new(realpath::Realpath));
    map.insert("rm", Box::new(rm::Rm));
    map.insert("basename", Box::new(basename::Basename));
    map.insert("dirname", Box::new(dirname::Dirname));
    map.insert("cp", Box::new(cp::Cp));
    map.insert("mv", Box::new(mv::Mv));
    map.insert("chmod", Box::new(chmod::Chmod));
    map.insert("ln", Box::new(ln::Ln));
    map.insert("ls", Box::new(ls::Ls));
    map.insert("stat", Box::new(stat::Stat));
    map.insert("touch", Box::new(touch::Touch));
    map.insert("truncate", Box::new(truncate::Truncate));
    map.insert("mktemp", Box::new(mktemp::Mktemp));
    map.insert("du", Box::new(du::Du));
    map.insert("df", Box::new(df::Df));
}
