//! The sandbox's identity: `whoami`, `id`, `hostname`, `uname`, `nproc` and `tty`. The
//! user comes from the VFS credentials (uid 0 is `root`), the machine is a fixed
//! `sandbox` running Linux 6.1.0 on x86_64 with two processors, and there is no terminal.

use super::super::util::{Arg, parse_args};
use super::super::{Command, CommandMap, Ctx};
use super::{print_text, quote, try_help, version};

/// Register the commands of this file.
pub(super) fn register(map: &mut CommandMap) {
    map.insert("whoami", Box::new(Whoami));
    map.insert("id", Box::new(Id));
    map.insert("hostname", Box::new(Hostname));
    map.insert("uname", Box::new(Uname));
    map.insert("nproc", Box::new(Nproc));
    map.insert("tty", Box::new(Tty));
}

/// The host name.
pub(super) const HOSTNAME: &str = "sandbox";

fn user_name(uid: u32) -> Option<&'static str> {
    (uid == 0).then_some("root")
}

fn say(ctx: &Ctx<'_>, s: &str) -> i32 {
    match ctx.out(format!("{s}\n").as_bytes()) {
        Ok(()) => 0,
        Err(stop) => Ctx::stop_status(stop),
    }
}

/// Parse only `--help`/`--version` and options in `flags`; `Err(status)` when done.
fn simple_opts(ctx: &Ctx<'_>, flags: &str, longs: &[&str], authors: &str) -> Result<Vec<Arg>, i32> {
    let mut all = vec!["help", "version"];
    all.extend_from_slice(longs);
    let parsed = parse_args(&ctx.args[1..], "", flags, &all).map_err(|e| ctx.usage(&e, 1))?;
    for a in &parsed {
        if let Arg::Long(l, _) = a {
            if l == "help" {
                let text = match ctx.name() {
                    "whoami" => HELP_WHOAMI,
                    "id" => HELP_ID,
                    "uname" => HELP_UNAME,
                    _ => HELP_TTY,
                };
                return Err(print_text(ctx, text));
            }
            if l == "version" {
                return Err(version(ctx, ctx.name(), authors));
            }
        }
    }
    Ok(parsed)
}

/// `whoami`
pub struct Whoami;

impl Command for Whoami {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match simple_opts(ctx, "", &[], "Written by Richard Mlynarik.") {
            Ok(p) => p,
            Err(st) => return st,
        };
        if let Some(Arg::Operand(o)) = parsed.first() {
            return try_help(ctx, &format!("extra operand {}", quote(o)), 1);
        }
        let uid = ctx.vfs.cred().uid;
        match user_name(uid) {
            Some(n) => say(ctx, n),
            None => {
                ctx.err(&format!("cannot find name for user ID {uid}"));
                1
            }
        }
    }
}

/// `id [-u|-g|-G] [-n] [-r] [USER]`
pub struct Id;

impl Command for Id {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match simple_opts(
            ctx,
            "ugGnrzZa",
            &["user", "group", "groups", "name", "real", "zero", "context"],
            "Written by Arnold Robbins and David MacKenzie.",
        ) {
            Ok(p) => p,
            Err(st) => return st,
        };
        let (mut u, mut g, mut gs, mut n, mut z) = (false, false, false, false, false);
        let mut users = Vec::new();
        for a in parsed {
            let c = match a {
                Arg::Short(c, _) => c,
                Arg::Long(l, _) => match l.as_str() {
                    "user" => 'u',
                    "group" => 'g',
                    "groups" => 'G',
                    "name" => 'n',
                    "zero" => 'z',
                    "context" => 'Z',
                    _ => 'r',
                },
                Arg::Operand(o) => {
                    users.push(o);
                    continue;
                }
            };
            match c {
                'u' => u = true,
                'g' => g = true,
                'G' => gs = true,
                'n' => n = true,
                'z' => z = true,
                'Z' => {
                    ctx.err("--context (-Z) works only on an SELinux-enabled kernel");
                    return 1;
                }
                _ => {}
            }
        }
        if users.len() > 1 {
            return try_help(ctx, &format!("extra operand {}", quote(&users[1])), 1);
        }
        let cred = ctx.vfs.cred().clone();
        let (uid, gid, mut groups) = match users.first() {
            Some(name) if name == "root" || name == "0" => (0, 0, vec![0]),
            Some(name) => {
                ctx.err(&format!("{}: no such user", quote(name)));
                return 1;
            }
            None => {
                let mut gr = vec![cred.gid];
                gr.extend(cred.groups.iter().copied().filter(|g| *g != cred.gid));
                (cred.uid, cred.gid, gr)
            }
        };
        groups.dedup();
        if [u, g, gs].iter().filter(|x| **x).count() > 1 {
            ctx.err("cannot print \"only\" of more than one choice");
            return 1;
        }
        if !(u || g || gs) && (n || z) {
            ctx.err(if n {
                "cannot print only names or real IDs in default format"
            } else {
                "option --zero not permitted in default format"
            });
            return 1;
        }
        let show = |id: u32| -> String {
            if n {
                user_name(id).map_or(id.to_string(), str::to_string)
            } else {
                id.to_string()
            }
        };
        let end = if z { "\0" } else { "\n" };
        let text = if u {
            format!("{}{end}", show(uid))
        } else if g {
            format!("{}{end}", show(gid))
        } else if gs {
            let sep = if z { "\0" } else { " " };
            let v: Vec<String> = groups.iter().map(|&x| show(x)).collect();
            format!("{}{end}", v.join(sep))
        } else {
            let name = |id: u32| user_name(id).map_or(String::new(), |s| format!("({s})"));
            let gl: Vec<String> = groups.iter().map(|&x| format!("{x}{}", name(x))).collect();
            format!(
                "uid={uid}{} gid={gid}{} groups={}\n",
                name(uid),
                name(gid),
                gl.join(",")
            )
        };
        match ctx.out(text.as_bytes()) {
            Ok(()) => 0,
            Err(stop) => Ctx::stop_status(stop),
        }
    }
}

/// `hostname` (setting it is refused).
pub struct Hostname;

impl Command for Hostname {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let mut ops = Vec::new();
        for a in &ctx.args[1..] {
            match a.as_str() {
                "-s" | "--short" | "-f" | "--fqdn" | "--long" | "-A" | "--all-fqdns" => {}
                "-i" | "--ip-address" | "-I" | "--all-ip-addresses" => {
                    return say(ctx, "127.0.0.1");
                }
                "-V" | "--version" => return say(ctx, "hostname 3.23"),
                // net-tools' usage() prints to stdout and exits with -1.
                "-h" | "--help" => {
                    print_text(ctx, HELP_HOSTNAME);
                    return 255;
                }
                _ if a.starts_with("--") => {
                    let msg = format!("hostname: unrecognized option '{a}'\n");
                    let _ = ctx.stderr.write_all(msg.as_bytes());
                    print_text(ctx, HELP_HOSTNAME);
                    return 255;
                }
                _ if a.starts_with('-') && a.len() > 1 => {
                    let bad = a[1..]
                        .chars()
                        .find(|c| !"sfAiIVh".contains(*c))
                        .unwrap_or('-');
                    if bad == '-' {
                        if a.contains('V') {
                            return say(ctx, "hostname 3.23");
                        }
                        if a.contains('h') {
                            print_text(ctx, HELP_HOSTNAME);
                            return 255;
                        }
                        if a.contains('i') || a.contains('I') {
                            return say(ctx, "127.0.0.1");
                        }
                        continue;
                    }
                    let msg = format!("hostname: invalid option -- '{bad}'\n");
                    let _ = ctx.stderr.write_all(msg.as_bytes());
                    print_text(ctx, HELP_HOSTNAME);
                    return 255;
                }
                _ => ops.push(a),
            }
        }
        if !ops.is_empty() {
            let _ = ctx
                .stderr
                .write_all(b"hostname: you must be root to change the host name\n");
            return 1;
        }
        say(ctx, HOSTNAME)
    }
}

/// `uname [-asnrvmpio]`
pub struct Uname;

impl Command for Uname {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match simple_opts(
            ctx,
            "asnrvmpio",
            &[
                "all",
                "kernel-name",
                "nodename",
                "kernel-release",
                "kernel-version",
                "machine",
                "processor",
                "hardware-platform",
                "operating-system",
            ],
            "Written by David MacKenzie.",
        ) {
            Ok(p) => p,
            Err(st) => return st,
        };
        let mut want = [false; 8];
        let mut all = false;
        for a in parsed {
            let c = match a {
                Arg::Short(c, _) => c,
                Arg::Long(l, _) => match l.as_str() {
                    "all" => 'a',
                    "kernel-name" => 's',
                    "nodename" => 'n',
                    "kernel-release" => 'r',
                    "kernel-version" => 'v',
                    "machine" => 'm',
                    "processor" => 'p',
                    "hardware-platform" => 'i',
                    _ => 'o',
                },
                Arg::Operand(o) => {
                    return try_help(ctx, &format!("extra operand {}", quote(&o)), 1);
                }
            };
            match c {
                'a' => all = true,
                's' => want[0] = true,
                'n' => want[1] = true,
                'r' => want[2] = true,
                'v' => want[3] = true,
                'm' => want[4] = true,
                'p' => want[5] = true,
                'i' => want[6] = true,
                _ => want[7] = true,
            }
        }
        let values = [
            "Linux",
            HOSTNAME,
            "6.1.0",
            "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0",
            "x86_64",
            "unknown",
            "unknown",
            "GNU/Linux",
        ];
        if !all && !want.iter().any(|w| *w) {
            want[0] = true;
        }
        let mut parts = Vec::new();
        for (k, v) in values.iter().enumerate() {
            let on = if all {
                !(k == 5 || k == 6) || want[k]
            } else {
                want[k]
            };
            if on && !(all && (k == 5 || k == 6) && *v == "unknown") {
                parts.push(*v);
            }
        }
        say(ctx, &parts.join(" "))
    }
}

/// `nproc [--all] [--ignore=N]`
pub struct Nproc;

impl Command for Nproc {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "",
            "",
            &["all", "ignore=", "help", "version"],
        ) {
            Ok(p) => p,
            Err(e) => return ctx.usage(&e, 1),
        };
        let mut n: u64 = 2;
        let mut ignore: u64 = 0;
        let mut all = false;
        for a in parsed {
            match a {
                Arg::Long(l, v) => match l.as_str() {
                    "all" => all = true,
                    "ignore" => {
                        let v = v.unwrap_or_default();
                        match v.parse::<u64>() {
                            Ok(k) => ignore = k,
                            Err(_) => {
                                ctx.err(&format!("invalid number: {}", quote(&v)));
                                return 1;
                            }
                        }
                    }
                    "help" => return print_text(ctx, HELP_NPROC),
                    "version" => return version(ctx, "nproc", "Written by Giuseppe Scrivano."),
                    _ => {}
                },
                Arg::Operand(o) => {
                    return try_help(ctx, &format!("extra operand {}", quote(&o)), 1);
                }
                _ => {}
            }
        }
        // Like GNU: OMP_NUM_THREADS (its first entry) and OMP_THREAD_LIMIT bound the
        // count unless --all is given.
        if !all {
            let env_num = |name: &str| -> Option<u64> {
                let v = ctx.env.get(name)?;
                let first = v.split(',').next()?.trim();
                first.parse::<u64>().ok().filter(|&k| k > 0)
            };
            if let Some(k) = env_num("OMP_NUM_THREADS") {
                n = k;
            }
            if let Some(k) = env_num("OMP_THREAD_LIMIT") {
                n = n.min(k);
            }
        }
        n = n.saturating_sub(ignore).max(1);
        say(ctx, &n.to_string())
    }
}

/// `tty [-s]`: standard input is never a terminal here.
pub struct Tty;

impl Command for Tty {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match simple_opts(
            ctx,
            "s",
            &["silent", "quiet"],
            "Written by David MacKenzie.",
        ) {
            Ok(p) => p,
            Err(st) => return if st == 1 { 2 } else { st },
        };
        let mut silent = false;
        for a in parsed {
            match a {
                Arg::Operand(o) => {
                    return try_help(ctx, &format!("extra operand {}", quote(&o)), 2);
                }
                _ => silent = true,
            }
        }
        if silent {
            return 1;
        }
        if say(ctx, "not a tty") != 0 {
            return 3;
        }
        1
    }
}

const HELP_WHOAMI: &str = r#"Usage: whoami [OPTION]...
Print the user name associated with the current effective user ID.
Same as id -un.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/whoami>
or available locally via: info '(coreutils) whoami invocation'
"#;
const HELP_ID: &str = r#"Usage: id [OPTION]... [USER]...
Print user and group information for each specified USER,
or (when USER omitted) for the current process.

  -a             ignore, for compatibility with other versions
  -Z, --context  print only the security context of the process
  -g, --group    print only the effective group ID
  -G, --groups   print all group IDs
  -n, --name     print a name instead of a number, for -ugG
  -r, --real     print the real ID instead of the effective ID, with -ugG
  -u, --user     print only the effective user ID
  -z, --zero     delimit entries with NUL characters, not whitespace;
                   not permitted in default format
      --help        display this help and exit
      --version     output version information and exit

Without any OPTION, print some useful set of identified information.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/id>
or available locally via: info '(coreutils) id invocation'
"#;
const HELP_UNAME: &str = r#"Usage: uname [OPTION]...
Print certain system information.  With no OPTION, same as -s.

  -a, --all                print all information, in the following order,
                             except omit -p and -i if unknown:
  -s, --kernel-name        print the kernel name
  -n, --nodename           print the network node hostname
  -r, --kernel-release     print the kernel release
  -v, --kernel-version     print the kernel version
  -m, --machine            print the machine hardware name
  -p, --processor          print the processor type (non-portable)
  -i, --hardware-platform  print the hardware platform (non-portable)
  -o, --operating-system   print the operating system
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/uname>
or available locally via: info '(coreutils) uname invocation'
"#;
const HELP_NPROC: &str = r#"Usage: nproc [OPTION]...
Print the number of processing units available to the current process,
which may be less than the number of online processors

      --all      print the number of installed processors
      --ignore=N  if possible, exclude N processing units
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/nproc>
or available locally via: info '(coreutils) nproc invocation'
"#;
const HELP_TTY: &str = r#"Usage: tty [OPTION]...
Print the file name of the terminal connected to standard input.

  -s, --silent, --quiet   print nothing, only return an exit status
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/tty>
or available locally via: info '(coreutils) tty invocation'
"#;
const HELP_HOSTNAME: &str = r#"Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
"#;

#[cfg(test)]
mod tests {
    use super::super::testutil::run;
    use super::*;

    #[test]
    fn identity() {
        assert_eq!(run(&Whoami, &["whoami"], b"").0, "root\n");
        assert_eq!(
            run(&Id, &["id"], b"").0,
            "uid=0(root) gid=0(root) groups=0(root)\n"
        );
        assert_eq!(run(&Id, &["id", "-un"], b"").0, "root\n");
        assert_eq!(run(&Id, &["id", "-G"], b"").0, "0\n");
        assert_eq!(run(&Hostname, &["hostname"], b"").0, "sandbox\n");
        assert_eq!(run(&Uname, &["uname"], b"").0, "Linux\n");
        assert_eq!(
            run(&Uname, &["uname", "-a"], b"").0,
            "Linux sandbox 6.1.0 #1 SMP PREEMPT_DYNAMIC Debian 6.1.0 x86_64 GNU/Linux\n"
        );
        assert_eq!(
            run(&Uname, &["uname", "-snrmo"], b"").0,
            "Linux sandbox 6.1.0 x86_64 GNU/Linux\n"
        );
        assert_eq!(run(&Nproc, &["nproc"], b"").0, "2\n");
        assert_eq!(
            run(&Tty, &["tty"], b""),
            ("not a tty\n".into(), String::new(), 1)
        );
        assert_eq!(run(&Tty, &["tty", "-s"], b"").2, 1);
    }
}
