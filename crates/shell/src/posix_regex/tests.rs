//! The real GNU grep and sed are the oracle: every pattern here is run through
//! `grep -o` (matches and errors) and `sed 's/RE/[\1]/'` (group spans) and through this
//! module, and the results must agree.

use super::*;
use std::process::Command;

fn opts(syntax: Syntax) -> Options {
    Options {
        syntax,
        ..Options::default()
    }
}

/// (flag, pattern, subject)
const CASES: &[(&str, &str, &str)] = &[
    ("-G", "abc", "xxabcxx"),
    ("-G", "a*", "baaac"),
    ("-G", "*a", "*a"),
    ("-E", "*a", "*a"),
    ("-E", "a)", "a)"),
    ("-E", "a{", "a{"),
    ("-E", "a{1", "a{1"),
    ("-E", "a{,2}", "aaa"),
    ("-E", "()a", "a"),
    ("-E", "a|*b", "*b"),
    ("-G", "a\\{1", "a"),
    ("-G", "\\(a", "a"),
    ("-G", "a\\)", "a"),
    ("-G", "[[:foo:]]", "a"),
    ("-G", "a\\", "a"),
    ("-G", "\\1", "a"),
    ("-E", "a+?", "aaa"),
    ("-G", "a**", "aaa"),
    ("-E", "a||b", "b"),
    ("-E", "(|a)b", "ab"),
    ("-G", "\\(^a\\)", "a"),
    ("-G", "b^", "b^"),
    ("-G", "a$b", "a$b"),
    ("-E", "a$b", "a$b"),
    ("-G", "[b-a]", "a"),
    ("-E", "a{2,1}", "a"),
    ("-G", "\\w\\+", "foo bar"),
    ("-E", "x|xy", "xyz"),
    ("-G", "a\\{1,2", "a"),
    ("-E", "(a|ab)(c|bcd)(d*)", "abcd"),
    ("-G", "\\(a*\\)*b\\1", "aab"),
    ("-E", "a{1}{2}", "aaa"),
    ("-G", "a\\|*b", "*b"),
    ("-E", "a{1,2}{3}", "aaaaaaa"),
    ("-G", "\\(ab\\)\\{2\\}", "ababab"),
    ("-E", "[a", "a"),
    ("-E", "a]", "a]"),
    ("-E", "\\", "a"),
    ("-G", "[[:alpha:]-z]", "-"),
    ("-G", "[a-]", "-"),
    ("-G", "[]a]", "]"),
    ("-G", "[^]a]", "]b"),
    ("-G", "[\\n]", "\\n"),
    ("-E", "(a)(b)\\2\\1", "abba"),
    ("-G", "\\{1\\}a", "{1}a"),
    ("-E", "a{1,2,3}", "a"),
    ("-E", "a{99999}", "a"),
    ("-G", "\\<fo", "foo fob xfo"),
    ("-G", "o\\>", "foo fob xfo"),
    ("-G", "\\bo", "o foo"),
    ("-G", "\\Bo", "o foo"),
    ("-E", "[[:digit:]]+", "ab 123 4x56"),
    ("-E", "[[:upper:][:digit:]]+", "aBC12d"),
    ("-E", "(.)\\1", "abccdeef"),
    ("-E", "(a*)+b", "aaab"),
    ("-E", "(a|b)*c", "ababcab"),
    ("-G", "x*", "abc"),
    ("-E", "y?", "xyz"),
    ("-E", "\\.[a-z]+$", "file.tar.gz"),
    ("-G", "[.]", "a.b"),
    ("-G", "[[.-.]]", "a-b"),
    ("-G", "[[=a=]]", "bab"),
    ("-E", "(foo|foobar)baz", "foobarbaz"),
    ("-E", "(wee|week)(knights|night)", "weeknights"),
    ("-E", "a.c", "a\u{7f}c abc"),
    ("-G", "\\`a", "aa"),
    ("-G", "a\\'", "aa"),
    ("-E", "^$", ""),
    ("-E", "[^a-c]+", "abcdefabc"),
    ("-E", "(ab|a)(bc|c)?", "abc"),
    ("-E", "\\s+", "a  \tb"),
    ("-E", "\\S+", "a  \tb"),
    ("-E", "\\W", "a-b"),
    ("-G", "[", "a"),
    ("-E", "a[^", "a"),
    ("-G", "[]", "a"),
];

fn grep(flag: &str, pat: &str, subj: &str) -> Option<(String, i32)> {
    let out = Command::new("grep")
        .env("LC_ALL", "C")
        .args([flag, "-o", "-e", pat])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()?
                .write_all(format!("{subj}\n").as_bytes())
                .ok()?;
            c.wait_with_output().ok()
        })?;
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let status = out.status.code()?;
    if status == 2 {
        return Some((err.trim_start_matches("grep: ").trim_end().to_string(), 2));
    }
    Some((String::from_utf8_lossy(&out.stdout).to_string(), status))
}

fn ours(flag: &str, pat: &str, subj: &str) -> (String, i32) {
    let syntax = if flag == "-E" {
        Syntax::Extended
    } else {
        Syntax::Basic
    };
    let o = Options {
        strict_class_syntax: true,
        ..opts(syntax)
    };
    match Regex::new(pat.as_bytes(), &o) {
        Err(e) => (e.message, 2),
        Ok(re) => {
            let mut out = String::new();
            for (s, e) in re.find_iter(subj.as_bytes()) {
                // grep -o prints only non-empty matches.
                if e > s {
                    out.push_str(&subj[s..e]);
                    out.push('\n');
                }
            }
            let status = if re.is_match(subj.as_bytes()) { 0 } else { 1 };
            // grep -o exits 0 when a line matched, even if it printed nothing.
            (out, status)
        }
    }
}

#[test]
fn matches_gnu_grep() {
    let mut bad = Vec::new();
    let mut ran = 0;
    for (flag, pat, subj) in CASES {
        let Some(want) = grep(flag, pat, subj) else {
            continue;
        };
        ran += 1;
        let got = ours(flag, pat, subj);
        if got != want {
            bad.push(format!(
                "grep {flag} -o '{pat}' on '{subj}': want {want:?}, got {got:?}"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {ran} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn sed_groups(flag: &str, pat: &str, subj: &str, groups: usize) -> Option<String> {
    let mut rep = String::from("<&>");
    for g in 1..=groups.min(9) {
        rep.push_str(&format!("[\\{g}]"));
    }
    let out = Command::new("sed")
        .env("LC_ALL", "C")
        .args([flag, &format!("s/{pat}/{rep}/")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()?
                .write_all(format!("{subj}\n").as_bytes())
                .ok()?;
            c.wait_with_output().ok()
        })?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

#[test]
fn groups_match_gnu_sed() {
    let cases: &[(&str, &str, &str)] = &[
        ("-E", "(a|ab)(c|bcd)(d*)", "abcd"),
        ("-E", "(a*)(ab)*(b*)", "aabab"),
        ("-E", "(a*)+b", "aaab"),
        ("-E", "(.)\\1", "abccd"),
        ("-E", "(x|xy)(z|yz)?", "xyz"),
        ("-E", "([a-z]+)=([0-9]*)", "k=12;j=3"),
        ("--posix", "\\(a\\)\\(b\\)*", "abbb"),
        ("-E", "(foo|foobar)(baz)?", "foobarbaz"),
        ("-E", "(a|b)*", "abab"),
    ];
    let mut bad = Vec::new();
    for (flag, pat, subj) in cases {
        let syntax = if *flag == "-E" {
            Syntax::Extended
        } else {
            Syntax::Basic
        };
        let re = Regex::new(pat.as_bytes(), &opts(syntax)).unwrap();
        let Some(want) = sed_groups(flag, pat, subj, re.groups()) else {
            continue;
        };
        let caps = re.captures_at(subj.as_bytes(), 0).unwrap();
        let (s, e) = caps[0].unwrap();
        let mut got = String::new();
        got.push_str(&subj[..s]);
        got.push_str(&format!("<{}>", &subj[s..e]));
        for g in caps.iter().skip(1).take(9) {
            got.push_str(&format!("[{}]", g.map_or("", |(a, b)| &subj[a..b])));
        }
        got.push_str(&subj[e..]);
        if got != want {
            bad.push(format!(
                "sed {flag} '{pat}' on '{subj}': want {want}, got {got}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn multiline_keeps_lines_apart() {
    let o = Options {
        multiline: true,
        ..opts(Syntax::Extended)
    };
    let re = Regex::new(b"^b.*$", &o).unwrap();
    assert_eq!(re.find_at(b"a\nbcd\ne", 0), Some((2, 5)));
    let re = Regex::new(b"[^x]+", &o).unwrap();
    assert_eq!(re.find_at(b"ab\ncd", 0), Some((0, 2)));
    let re = Regex::new(b"a.b", &opts(Syntax::Extended)).unwrap();
    assert!(re.is_match(b"a\nb"));
}

#[test]
fn icase_and_escapes() {
    let o = Options {
        icase: true,
        ..opts(Syntax::Basic)
    };
    let re = Regex::new(b"he[l]LO", &o).unwrap();
    assert!(re.is_match(b"HELLO"));
    let o = Options {
        sed_escapes: true,
        ..opts(Syntax::Basic)
    };
    let re = Regex::new(b"a\\tb\\nc", &o).unwrap();
    assert!(re.is_match(b"a\tb\nc"));
    let re = Regex::new(b"a\\/b\\t[\\t]", &opts(Syntax::Awk)).unwrap();
    assert!(re.is_match(b"a/b\t\t"));
    let re = Regex::new(b"\\(a\\|b\\)+c", &opts(Syntax::Emacs)).unwrap();
    assert_eq!(re.find_at(b"xabac", 0), Some((1, 5)));
}

#[test]
fn hostile_patterns_are_bounded() {
    // Exponential backtracking with a back-reference: the budget ends it.
    let re = Regex::new(b"\\(a*\\)*\\1b", &opts(Syntax::Basic)).unwrap();
    let hay = vec![b'a'; 40];
    let _ = re.find_at(&hay, 0);
    // Huge counted repetition is refused, not built.
    assert!(Regex::new(b"((a{30000}){30000}){30000}", &opts(Syntax::Extended)).is_err());
    // Binary input is fine.
    let re = Regex::new(b"[\x80-\xff]+", &opts(Syntax::Extended)).unwrap();
    assert_eq!(re.find_at(b"ab\xff\xfe", 0), Some((2, 4)));
}

#[test]
fn grep_pattern_lists() {
    let o = Options {
        multiline: true,
        icase: true,
        ..opts(Syntax::Basic)
    };
    // Each pattern numbers its own groups; back-references ignore case with -i.
    let re = Regex::new_grep(&[b"\\(x\\)\\1", b"\\(ab\\)\\1"], &o, false, false).unwrap();
    assert_eq!(re.find_at(b"AbAB", 0), Some((0, 4)));
    // No part of a grep pattern matches the newline between lines.
    let o = Options {
        multiline: true,
        ..opts(Syntax::Extended)
    };
    let re = Regex::new_grep(&[b"^[[:space:]]*#"], &o, false, false).unwrap();
    assert_eq!(re.find_at(b"\n  #", 0), Some((1, 4)));
    // -w: no word character on either side; -x: the whole line.
    let re = Regex::new_grep(&[b"foo"], &o, true, false).unwrap();
    assert_eq!(re.find_at(b"foobar foo", 0), Some((7, 10)));
    let re = Regex::new_grep(&[b"a", b"ab"], &o, false, true).unwrap();
    assert_eq!(re.find_at(b"abc\nab", 0), Some((4, 6)));
    assert_eq!(re.find_end_at(b"abc\nab", 0), Some(6));
}

/// sed's regcomp syntax is stricter than grep's: its error (or acceptance) must match
/// `sed` itself.
#[test]
fn sed_syntax_errors_match_gnu_sed() {
    let cases: &[(&str, &str)] = &[
        ("-E", "a{"),
        ("-E", "a{x}"),
        ("-E", "a{1"),
        ("-E", "a{1,2"),
        ("-E", "{1}a"),
        ("-E", "a{,2}"),
        ("-E", "a{2,1}"),
        ("-E", "a|*b"),
        ("-E", "*a"),
        ("-E", "^*a"),
        ("-E", "(+a)"),
        ("-E", "a**"),
        ("-E", "a{1}{2}"),
        ("-E", "a{1,2,3}"),
        ("-G", "\\{1\\}a"),
        ("-G", "a\\|\\{1\\}b"),
        ("-G", "a\\|*b"),
        ("-G", "^*a"),
        ("-G", "a\\{1"),
        ("-G", "a\\{x\\}"),
    ];
    let mut bad = Vec::new();
    for (flag, pat) in cases {
        let syntax = if *flag == "-E" {
            Syntax::Extended
        } else {
            Syntax::Basic
        };
        let o = Options {
            sed_escapes: true,
            ..opts(syntax)
        };
        let ours = Regex::new(pat.as_bytes(), &o).err().map(|e| e.message);
        let out = Command::new("sed")
            .env("LC_ALL", "C")
            .args(if *flag == "-E" { vec!["-E"] } else { vec![] })
            .arg(format!("s/{pat}/x/"))
            .stdin(std::process::Stdio::null())
            .output();
        let Ok(out) = out else { return };
        let err = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
        let theirs =
            (!out.status.success()).then(|| err.rsplit(": ").next().unwrap_or("").to_string());
        if ours != theirs {
            bad.push(format!("{flag} {pat}: ours {ours:?}, sed {theirs:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
