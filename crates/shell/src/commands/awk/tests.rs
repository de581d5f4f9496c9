//! gawk behaviour the mawk oracle on the build machine cannot check, asserted from
//! gawk's documentation and source.

use crate::{ExecOptions, Shell};

/// Run `script` in a fresh shell with `stdin`; (stdout, stderr, status).
fn sh(script: &str, stdin: &str) -> (String, String, i32) {
    let fs = vfs_core::Vfs::new();
    let _ = fs.create_dir_all("/work", 0o755);
    let mut sh = Shell::new(fs);
    let _ = sh.set_cwd("/work");
    let r = sh.exec_with(
        script,
        ExecOptions {
            stdin: stdin.as_bytes().to_vec(),
            ..Default::default()
        },
    );
    (
        String::from_utf8_lossy(&r.stdout).into_owned(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
        r.status,
    )
}

fn out(script: &str, stdin: &str) -> String {
    sh(script, stdin).0
}

/// Manual runs: `AWK_PLAY='awk ...' cargo test -p shell --lib play -- --ignored --nocapture`.
#[test]
#[ignore]
fn play() {
    let s = std::env::var("AWK_PLAY").unwrap_or_default();
    let i = std::env::var("AWK_IN").unwrap_or_default();
    let (o, e, st) = sh(&s, &i.replace("\\n", "\n"));
    println!("--stdout--\n{o}--stderr--\n{e}--status {st}");
}

#[test]
fn gawk_number_output() {
    // Integral values print as integers, even past 2^31 and 2^53 (gawk's %d / %.0f).
    assert_eq!(
        out("awk 'BEGIN{print 2^31, 2^53+1, 1e15, 1e20, -1e20}'", ""),
        "2147483648 9007199254740992 1000000000000000 100000000000000000000 -100000000000000000000\n"
    );
    assert_eq!(
        out("awk 'BEGIN{print -log(0), log(0), 2**10}'", ""),
        "+inf -inf 1024\n"
    );
    // Numeric conversions print them the same way, ignoring width and flags.
    assert_eq!(
        out(
            "awk 'BEGIN{x = 2^1024; printf \"%d|%5i|%-6x|%E|%5.2f|%G\\n\", x, -x, x, x, -x, -log(0)}'",
            ""
        ),
        "+inf|-inf|+inf|+INF|-inf|+INF\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{x = 0.1; print x, x*3; printf \"%d\\n\", 1e20}'",
            ""
        ),
        "0.1 0.3\n100000000000000000000\n"
    );
}

#[test]
fn gawk_errors() {
    let (o, e, st) = sh("echo 1 | awk '{x = 0; print 1/x}'", "");
    assert_eq!(o, "");
    assert_eq!(
        e,
        "awk: cmd. line:1: (FILENAME=- FNR=1) fatal: division by zero attempted\n"
    );
    assert_eq!(st, 2);
    // A constant zero divisor is a compile-time error (gawk folds constants).
    let (_, e, st) = sh("awk 'BEGIN{x = 1 % 0}'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: error: division by zero attempted in `%'\n"
    );
    assert_eq!(st, 1);
    let (o, e, st) = sh("awk 'BEGIN{print \"a\"; x = 2; x /= 0}'", "");
    assert_eq!(o, "a\n");
    assert_eq!(
        e,
        "awk: cmd. line:1: fatal: division by zero attempted in `/='\n"
    );
    assert_eq!(st, 2);
    let (_, e, st) = sh("awk 'BEGIN { next }'", "");
    assert_eq!(e, "awk: cmd. line:1: error: `next' used in BEGIN action\n");
    assert_eq!(st, 1);
    let (_, e, st) = sh("awk 'function f() { next } BEGIN { f() }'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: fatal: `next' cannot be called from a `BEGIN' rule\n"
    );
    assert_eq!(st, 2);
    let (_, e, st) = sh("awk 'BEGIN{print 1 +* }'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: BEGIN{print 1 +* }\nawk: cmd. line:1:                ^ syntax error\n"
    );
    assert_eq!(st, 1);
    let (_, e, st) = sh("awk '{print}' nosuch", "");
    assert_eq!(
        e,
        "awk: fatal: cannot open file `nosuch' for reading: No such file or directory\n"
    );
    assert_eq!(st, 2);
    let (o, e, st) = sh("mkdir d; echo x > f; awk '{print}' d f", "");
    assert_eq!(o, "x\n");
    assert_eq!(
        e,
        "awk: warning: command line argument `d' is a directory: skipped\n"
    );
    assert_eq!(st, 0);
    // An undefined function is fatal when called, not when parsed.
    let (_, e, st) = sh("awk 'BEGIN{f()}'", "");
    assert_eq!(e, "awk: cmd. line:1: fatal: function `f' not defined\n");
    assert_eq!(st, 2);
    let (o, _, st) = sh("awk 'BEGIN{print 1} function g() { f() }'", "");
    assert_eq!(o, "1\n");
    assert_eq!(st, 0);
    // Carets: under the opening quote, after the regex's `/`, past the end of the line,
    // under the `)` of a builtin call with a wrong argument count.
    let (_, e, _) = sh("awk '{ print \"abc }'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: { print \"abc }\nawk: cmd. line:1:         ^ unterminated string\n"
    );
    let (_, e, _) = sh("awk 'BEGIN{x=1} /abc'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: BEGIN{x=1} /abc\nawk: cmd. line:1:             ^ unterminated regexp\n"
    );
    let (_, e, _) = sh("awk 'BEGIN { print 1,'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: BEGIN { print 1,\nawk: cmd. line:1:                 ^ unexpected newline or end of string\n"
    );
    let (_, e, st) = sh("awk 'BEGIN { x = index() + 1 }'", "");
    assert_eq!(
        e,
        "awk: cmd. line:1: BEGIN { x = index() + 1 }\nawk: cmd. line:1:                   ^ 0 is invalid as number of arguments for index\n"
    );
    assert_eq!(st, 1);
    let (_, _, st) = sh("awk", "");
    assert_eq!(st, 2);
    let (_, e, _) = sh("echo a | awk '{print $(-1)}'", "");
    assert!(e.contains("fatal: attempt to access field -1"), "{e}");
}

#[test]
fn gawk_string_rules() {
    // substr truncates and clips like gawk 5.2 (mawk differs for starts below 1).
    assert_eq!(
        out(
            "awk 'BEGIN{s=\"hello\"; print substr(s,0,2) \"|\" substr(s,-1,3) \"|\" substr(s,1.5,2) \"|\" substr(s,2)}'",
            ""
        ),
        "he|hel|he|ello\n"
    );
    // Unknown escapes in strings, `\/` too (gawk 5.2), warn and drop the backslash.
    let (o, e, _) = sh("awk 'BEGIN{print \"a\\/b\", \"\\q\"}'", "");
    assert_eq!(o, "a/b q\n");
    assert_eq!(
        e,
        "awk: cmd. line:1: warning: escape sequence `\\/' treated as plain `/'\n\
         awk: cmd. line:1: warning: escape sequence `\\q' treated as plain `q'\n"
    );
    // Octal and hex constants in the program text (not in data).
    assert_eq!(
        out(
            "echo 011 0x11 | awk '{print 011, 018, 011.5, 0x11, 0x, $1+0, $2+0}'",
            ""
        ),
        "9 18 11.5 17 0 11 0\n"
    );
    // Paragraph mode: newline always separates fields.
    assert_eq!(
        out(
            "printf 'x\\ny\\n\\nz\\n' | awk 'BEGIN{RS=\"\"; FS=\":\"} {print NF}'",
            ""
        ),
        "2\n1\n"
    );
    assert_eq!(
        out("awk 'BEGIN{printf \"%c%c\", 256+65, \"\"}' | od -An -c", ""),
        "   A  \\0\n"
    );
}

#[test]
fn gawk_extensions() {
    assert_eq!(
        out(
            "awk 'BEGIN{print gensub(/(a)(b)/, \"<\\\\2\\\\1>\", \"g\", \"abab\"); print gensub(/o/, \"0\", 2, \"foo boo\")}'",
            ""
        ),
        "<ba><ba>\nfo0 boo\n"
    );
    assert_eq!(
        out(
            "echo 'hello world' | awk '{print gensub(/(\\w+) (\\w+)/, \"\\\\2 \\\\1 \\\\0 &\", 1)}'",
            ""
        ),
        "world hello hello world hello world\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{a[\"x\"]=3; a[\"y\"]=1; a[\"z\"]=2; n=asort(a); for(i=1;i<=n;i++) printf \"%s \", a[i]; print n}'",
            ""
        ),
        "1 2 3 3\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{a[\"b\"]; a[\"c\"]; a[\"a\"]; n=asorti(a, d); for(i=1;i<=n;i++) printf \"%s \", d[i]; print length(a)}'",
            ""
        ),
        "a b c 3\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{a[3]=\"10\"; a[1]=\"x\"; a[2]=9; n = asort(a, b); print b[1], b[2], b[3], a[1]}'",
            ""
        ),
        "9 10 x x\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{print and(12, 10), or(12, 10), xor(12, 10), lshift(1, 4), rshift(256, 2), compl(0)}'",
            ""
        ),
        "8 14 6 16 64 9007199254740991\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{print strftime(\"%Y-%m-%d %H:%M:%S\", 86400*365)}'",
            ""
        ),
        "1971-01-01 00:00:00\n"
    );
    assert_eq!(
        out("awk 'BEGIN{print mktime(\"1971 01 01 00 00 00\")}'", ""),
        "31536000\n"
    );
    assert_eq!(out("awk 'BEGIN{t = systime(); print (t > 0)}'", ""), "1\n");
    assert_eq!(
        out(
            "awk 'BEGIN{match(\"foo=123\", /([a-z]+)=([0-9]+)/, m); print m[0], m[1], m[2], m[2, \"start\"], m[2, \"length\"]}'",
            ""
        ),
        "foo=123 foo 123 5 3\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{a[1]; a[2]; print length(a); print strtonum(\"0x1F\"), strtonum(\"017\")}'",
            ""
        ),
        "2\n31 15\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{n = split(\"a1b22c\", p, /[0-9]+/, s); print n, p[3], s[1], s[2]}'",
            ""
        ),
        "3 c 1 22\n"
    );
    // `-Ft` is a literal `t` in gawk 5.2, not a tab.
    assert_eq!(
        out("printf 'atb\\tc\\n' | awk -Ft '{print $2}'", ""),
        "b\tc\n"
    );
    assert_eq!(
        out("printf 'aXXbXc' | awk -v RS='X+' '{print NR, $0, RT}'", ""),
        "1 a XX\n2 b X\n3 c \n"
    );
    assert_eq!(
        out(
            "printf 'a\\nb\\nc\\n' | awk 'BEGIN{while ((getline l) > 0) n++; print n, NR}'",
            ""
        ),
        "3 3\n"
    );
}

#[test]
fn limits_hold() {
    let (_, e, st) = sh("awk 'BEGIN{s=\"xxxxxxxx\"; while(1) s = s s}'", "");
    assert_eq!(st, 2);
    assert!(e.contains("string too long"), "{e}");
    let (_, e, st) = sh("awk 'function f(n) { return f(n+1) } BEGIN{f(1)}'", "");
    assert_eq!(st, 2);
    assert!(e.contains("nesting too deep"), "{e}");
}

#[test]
fn pipes_and_system_order() {
    assert_eq!(
        out(
            "awk 'BEGIN{print \"first\"; print \"b\\na\" | \"sort\"; close(\"sort\"); print \"last\"}'",
            ""
        ),
        "first\na\nb\nlast\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{print \"x\"; system(\"echo y\"); print \"z\"}'",
            ""
        ),
        "x\ny\nz\n"
    );
    assert_eq!(
        out(
            "awk 'BEGIN{print \"x\" | \"cat 1>&2\"; r = close(\"cat 1>&2\"); print r}' 2>&1",
            ""
        ),
        "x\n0\n"
    );
}

/// Timing on a 20 MB file: `cargo test -p shell --lib awk_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn awk_speed() {
    let fs = vfs_core::Vfs::new();
    let _ = fs.create_dir_all("/work", 0o755);
    let mut data = Vec::new();
    let mut i: u64 = 0;
    while data.len() < 20 << 20 {
        i += 1;
        data.extend_from_slice(
            format!(
                "{},name{},{}.{},field four,{}\n",
                i,
                i % 1000,
                i * 7 % 10007,
                i % 100,
                i % 13
            )
            .as_bytes(),
        );
    }
    let _ = fs.write("/work/big.csv", data);
    let mut sh = Shell::new(fs);
    let _ = sh.set_cwd("/work");
    let one = std::env::var("AWK_BENCH").ok();
    let all = [
        "awk '{s+=$1} END{print s}' big.csv",
        "awk -F, '{print $2}' big.csv > /dev/null",
        "awk -F, '{s+=$3} END{print s}' big.csv",
        "awk '{n++} END{print n}' big.csv",
        "awk -F, '$5 == 3 {c++} END{print c}' big.csv",
        "awk -F, '{a[$2]++} END{print length(a)}' big.csv",
    ];
    let scripts: Vec<&str> = match &one {
        Some(s) => vec![s.as_str()],
        None => all.to_vec(),
    };
    for script in scripts {
        let t = std::time::Instant::now();
        let r = sh.exec_with(script, ExecOptions::default());
        println!(
            "{:?} {script}: {}",
            t.elapsed(),
            String::from_utf8_lossy(&r.stdout).trim()
        );
    }
}

#[test]
fn gawk_printf_too_few_args() {
    let (o, e, st) = sh("awk 'BEGIN{printf \"%s %s\\n\", \"a\"}'", "");
    assert_eq!(o, "");
    assert_eq!(
        e,
        "awk: cmd. line:1: fatal: not enough arguments to satisfy format string\n\t`%s %s\n'\n\t    ^ ran out for this one\n"
    );
    assert_eq!(st, 2);
}

#[test]
fn hostile_programs_are_refused() {
    let deep = format!(
        "awk 'BEGIN{{print {}1{}}}'",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let (_, e, st) = sh(&deep, "");
    assert_eq!(st, 1);
    assert!(e.contains("nested too deeply"), "{e}");
    let long = format!("awk 'BEGIN{{x = 1{}; print x}}'", " + 1".repeat(5000));
    let (_, e, st) = sh(&long, "");
    assert_eq!(st, 1);
    assert!(e.contains("too long"), "{e}");
    let (_, e, st) = sh("awk 'BEGIN{$(2000000) = 1}'", "");
    assert_eq!(st, 2);
    assert!(e.contains("too large"), "{e}");
}
