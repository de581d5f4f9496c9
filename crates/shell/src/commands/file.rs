//! `file` (file 5.44): the type of a file from its metadata and first bytes, for the
//! common cases: directories, symbolic links, empty files, text (ASCII, UTF-8,
//! ISO-8859, with file's line-terminator notes), scripts (`#!`), JSON, and the magic
//! numbers of gzip, PNG, GIF, JPEG, PDF, zip, ELF and tar. `-b -i -L -h -N -F -E`,
//! `--mime-type`, `--mime-encoding`.

use super::{Out, open, print_text, stopped};
use crate::commands::util::{Arg, parse_args};
use crate::commands::{Command, Ctx};

/// `file [OPTION...] [FILE...]`
pub struct File;

/// Bytes file looks at for the text tests (its `encoding` parameter).
const ENCODING_MAX: usize = 65536;

/// What was found: the description, the MIME type and the MIME encoding.
struct Kind {
    desc: String,
    mime: &'static str,
    charset: Option<&'static str>,
}

fn kind(desc: impl Into<String>, mime: &'static str, charset: Option<&'static str>) -> Kind {
    Kind {
        desc: desc.into(),
        mime,
        charset,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Ascii,
    Utf8,
    Latin1,
    Extended,
}

/// file's `text_chars` classes for a byte: text in ASCII, text in ISO-8859, other.
fn ascii_text(b: u8) -> bool {
    matches!(b, 7..=13 | 27 | 0x20..=0x7e)
}

fn latin_text(b: u8) -> bool {
    ascii_text(b) || b >= 0xa0
}

fn extended_text(b: u8) -> bool {
    latin_text(b) || (0x80..0xa0).contains(&b)
}

fn utf8_text(buf: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(buf) else {
        // A multi-byte sequence cut at the end of the buffer still counts.
        let valid = match std::str::from_utf8(buf) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => return false,
        };
        return utf8_text(&buf[..valid]);
    };
    s.chars().all(|c| !c.is_ascii() || ascii_text(c as u8))
}

fn encoding(buf: &[u8]) -> Option<Enc> {
    if buf.iter().all(|&b| ascii_text(b)) {
        Some(Enc::Ascii)
    } else if utf8_text(buf) {
        Some(Enc::Utf8)
    } else if buf.iter().all(|&b| latin_text(b)) {
        Some(Enc::Latin1)
    } else if buf.iter().all(|&b| extended_text(b)) {
        Some(Enc::Extended)
    } else {
        None
    }
}

/// file's notes on line terminators, long lines, escapes and overstriking.
fn text_notes(buf: &[u8]) -> String {
    const MAXLINELEN: usize = 300;
    let (mut n_crlf, mut n_cr, mut n_lf, mut n_nel) = (0, 0, 0, 0);
    let mut seen_cr = false;
    let mut last_line_end: isize = -1;
    let mut max_line = 0usize;
    let mut long = false;
    let (mut esc, mut bs) = (false, false);
    for (i, &b) in buf.iter().enumerate() {
        let ii = i as isize;
        if b == b'\n' {
            if seen_cr {
                n_crlf += 1;
            } else {
                n_lf += 1;
            }
            last_line_end = ii;
        } else if seen_cr {
            n_cr += 1;
        }
        seen_cr = b == b'\r';
        if seen_cr {
            last_line_end = ii;
        }
        if b == 0x85 {
            n_nel += 1;
            last_line_end = ii;
        }
        if ii > last_line_end + MAXLINELEN as isize {
            let ll = (ii - last_line_end) as usize;
            max_line = max_line.max(ll);
            long = true;
        }
        esc |= b == 0x1b;
        bs |= b == 8;
    }
    let mut s = String::new();
    if long {
        s.push_str(&format!(", with very long lines ({max_line})"));
    }
    let none = n_crlf == 0 && n_cr == 0 && n_nel == 0 && n_lf == 0;
    if none || n_crlf != 0 || n_cr != 0 || n_nel != 0 {
        s.push_str(", with");
        if none {
            s.push_str(" no");
        } else {
            let parts: Vec<&str> = [
                (n_crlf, " CRLF"),
                (n_cr, " CR"),
                (n_lf, " LF"),
                (n_nel, " NEL"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(_, t)| *t)
            .collect();
            s.push_str(&parts.join(","));
        }
        s.push_str(" line terminators");
    }
    if esc {
        s.push_str(", with escape sequences");
    }
    if bs {
        s.push_str(", with overstriking");
    }
    s
}

/// file's is_json.c check: `Some(n)` when `buf` is `n` JSON objects or arrays.
fn is_json(buf: &[u8]) -> Option<usize> {
    let mut p = Json { b: buf, i: 0 };
    let mut n = 0;
    loop {
        p.ws();
        if p.i == buf.len() {
            return (n > 0).then_some(n);
        }
        if !matches!(p.peek(), Some(b'{' | b'[')) || !p.value(0) {
            return None;
        }
        n += 1;
    }
}

struct Json<'a> {
    b: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn lit(&mut self, s: &[u8]) -> bool {
        if self.b[self.i..].starts_with(s) {
            self.i += s.len();
            true
        } else {
            false
        }
    }
    fn value(&mut self, depth: usize) -> bool {
        if depth > 200 {
            return false;
        }
        self.ws();
        match self.peek() {
            Some(b'{') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return true;
                }
                loop {
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        return true;
                    }
                    if !self.string() {
                        return false;
                    }
                    self.ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.i += 1;
                    if !self.value(depth + 1) {
                        return false;
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return true;
                }
                let mut first = true;
                loop {
                    self.ws();
                    if !first && self.peek() == Some(b']') {
                        self.i += 1;
                        return true;
                    }
                    first = false;
                    if !self.value(depth + 1) {
                        return false;
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return true;
                        }
                        _ => return false,
                    }
                }
            }
            Some(b'"') => self.string(),
            Some(b't') => self.lit(b"true"),
            Some(b'f') => self.lit(b"false"),
            Some(b'n') => self.lit(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }
    fn string(&mut self) -> bool {
        if self.peek() != Some(b'"') {
            return false;
        }
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'"' => return true,
                b'\\' => {
                    let Some(e) = self.peek() else { return false };
                    self.i += 1;
                    if e == b'u' {
                        for _ in 0..4 {
                            match self.peek() {
                                Some(h) if h.is_ascii_hexdigit() => self.i += 1,
                                _ => return false,
                            }
                        }
                    } else if !b"\"\\/bfnrt".contains(&e) {
                        return false;
                    }
                }
                _ => {}
            }
        }
        false
    }
    fn number(&mut self) -> bool {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let d = self.digits();
        if d == 0 {
            return false;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return false;
            }
        }
        self.i > start
    }
    fn digits(&mut self) -> usize {
        let s = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - s
    }
}

fn le16(b: &[u8], o: usize) -> u32 {
    match b.get(o..o + 2) {
        Some(s) => u32::from(u16::from_le_bytes([s[0], s[1]])),
        None => 0,
    }
}

fn be32(b: &[u8], o: usize) -> u32 {
    match b.get(o..o + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

fn le32(b: &[u8], o: usize) -> u32 {
    match b.get(o..o + 4) {
        Some(s) => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

/// `ctime`-style date in UTC, as file prints gzip times.
fn gm_date(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        DAYS[days.rem_euclid(7) as usize],
        MONS[(m - 1).clamp(0, 11) as usize],
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

fn gzip(b: &[u8], size: u64) -> Kind {
    let mut d = String::from("gzip compressed data");
    let flags = b.get(3).copied().unwrap_or(0);
    if flags & 8 != 0 {
        let start = if flags & 4 != 0 {
            12 + le16(b, 10) as usize
        } else {
            10
        };
        if let Some(rest) = b.get(start..) {
            let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
            d.push_str(&format!(
                ", was \"{}\"",
                String::from_utf8_lossy(&rest[..end])
            ));
        }
    }
    let mtime = le32(b, 4);
    if mtime != 0 {
        d.push_str(&format!(", last modified: {}", gm_date(i64::from(mtime))));
    }
    match b.get(8) {
        Some(2) => d.push_str(", max compression"),
        Some(4) => d.push_str(", max speed"),
        _ => {}
    }
    let os = match b.get(9) {
        Some(0) => Some("FAT filesystem (MS-DOS, OS/2, NT)"),
        Some(3) => Some("Unix"),
        Some(7) => Some("Macintosh"),
        Some(11) => Some("NTFS filesystem (NT)"),
        _ => None,
    };
    if let Some(os) = os {
        d.push_str(&format!(", from {os}"));
    }
    if size >= 4 && (b.len() as u64) == size {
        // The trailer is only known when the whole file was read.
        d.push_str(&format!(
            ", original size modulo 2^32 {}",
            le32(b, b.len() - 4)
        ));
    }
    kind(d, "application/gzip", None)
}

fn elf(b: &[u8]) -> Kind {
    let bits = if b.get(4) == Some(&2) { "64" } else { "32" };
    let little = b.get(5) != Some(&2);
    let rd16 = |o: usize| -> u32 {
        match b.get(o..o + 2) {
            Some(s) if little => u32::from(u16::from_le_bytes([s[0], s[1]])),
            Some(s) => u32::from(u16::from_be_bytes([s[0], s[1]])),
            None => 0,
        }
    };
    let (ty, mime) = match rd16(16) {
        1 => ("relocatable", "application/x-object"),
        2 => ("executable", "application/x-executable"),
        3 => ("shared object", "application/x-sharedlib"),
        4 => ("core file", "application/x-coredump"),
        _ => ("unknown type", "application/octet-stream"),
    };
    let mach = match rd16(18) {
        3 => "Intel 80386",
        40 => "ARM",
        62 => "x86-64",
        183 => "ARM aarch64",
        243 => "UCB RISC-V",
        _ => "no machine",
    };
    let d = format!(
        "ELF {bits}-bit {} {ty}, {mach}, version {} (SYSV)",
        if little { "LSB" } else { "MSB" },
        b.get(6).copied().unwrap_or(0)
    );
    kind(d, mime, None)
}

/// The magic numbers this `file` knows.
fn magic(b: &[u8], size: u64) -> Option<Kind> {
    if b.starts_with(b"\x1f\x8b") {
        return Some(gzip(b, size));
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() >= 29 && &b[12..16] == b"IHDR" {
        let depth = b[24];
        let color = match b[25] {
            0 => "grayscale",
            2 => "RGB",
            3 => "colormap",
            4 => "gray+alpha",
            6 => "RGBA",
            _ => "unknown",
        };
        let inter = if b[28] == 0 {
            "non-interlaced"
        } else {
            "interlaced"
        };
        return Some(kind(
            format!(
                "PNG image data, {} x {}, {depth}-bit/color {color}, {inter}",
                be32(b, 16),
                be32(b, 20)
            ),
            "image/png",
            None,
        ));
    }
    if (b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) && b.len() >= 10 {
        return Some(kind(
            format!(
                "GIF image data, version {}, {} x {}",
                String::from_utf8_lossy(&b[3..6]),
                le16(b, 6),
                le16(b, 8)
            ),
            "image/gif",
            None,
        ));
    }
    if b.starts_with(b"\xff\xd8\xff") {
        let mut d = String::from("JPEG image data");
        if b.len() >= 18 && b[3] == 0xe0 && &b[6..11] == b"JFIF\0" {
            d.push_str(&format!(", JFIF standard {}.{:02}", b[11], b[12]));
            let (x, y) = (
                u32::from(b[14]) << 8 | u32::from(b[15]),
                u32::from(b[16]) << 8 | u32::from(b[17]),
            );
            match b[13] {
                0 => d.push_str(&format!(", aspect ratio, density {x}x{y}")),
                1 => d.push_str(&format!(", resolution (DPI), density {x}x{y}")),
                2 => d.push_str(&format!(", resolution (DPCM), density {x}x{y}")),
                _ => {}
            }
            d.push_str(&format!(
                ", segment length {}",
                u32::from(b[4]) << 8 | u32::from(b[5])
            ));
        }
        return Some(kind(d, "image/jpeg", None));
    }
    if b.starts_with(b"%PDF-") {
        let v: String = b[5..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .map(|&c| c as char)
            .collect();
        return Some(kind(
            format!("PDF document, version {v}"),
            "application/pdf",
            None,
        ));
    }
    if b.starts_with(b"PK\x05\x06") {
        return Some(kind("Zip archive data (empty)", "application/zip", None));
    }
    if b.starts_with(b"PK\x03\x04") && b.len() >= 50 {
        let mut d = format!(
            "Zip archive data, at least v{}.{} to extract",
            b[4] / 10,
            b[4] % 10
        );
        let method = match le16(b, 8) {
            0 => Some("store"),
            8 => Some("deflate"),
            12 => Some("bzip2"),
            14 => Some("lzma"),
            95 => Some("xz"),
            _ => None,
        };
        if let Some(m) = method {
            d.push_str(&format!(", compression method={m}"));
        }
        return Some(kind(d, "application/zip", None));
    }
    if b.starts_with(b"\x7fELF") && b.len() >= 20 {
        return Some(elf(b));
    }
    if !tar_checksum(b) {
        return None;
    }
    if b.len() >= 263 && &b[257..263] == b"ustar\0" {
        return Some(kind("POSIX tar archive", "application/x-tar", None));
    }
    if b.len() >= 265 && &b[257..265] == b"ustar  \0" {
        return Some(kind("POSIX tar archive (GNU)", "application/x-tar", None));
    }
    None
}

/// Whether the first 512 bytes are a tar header with a valid checksum.
fn tar_checksum(b: &[u8]) -> bool {
    let Some(h) = b.get(..512) else { return false };
    let field = &h[148..156];
    let digits: String = field
        .iter()
        .skip_while(|&&c| c == b' ')
        .take_while(|c| (b'0'..=b'7').contains(c))
        .map(|&c| c as char)
        .collect();
    let Ok(want) = u32::from_str_radix(&digits, 8) else {
        return false;
    };
    let sum: u32 = h
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(c)
            }
        })
        .sum();
    sum == want
}

/// A `#!` line's interpreter: the description before the encoding and the MIME type.
fn script(line: &[u8]) -> (String, &'static str) {
    let s = String::from_utf8_lossy(line);
    let rest = s.trim_start_matches([' ', '\t']).trim_end();
    let (prog_path, args) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    let via_env = prog_path == "/usr/bin/env" || prog_path == "/bin/env";
    let (prog, shown) = if via_env {
        let a = args.trim_start();
        (a.split([' ', '\t']).next().unwrap_or(""), a.to_string())
    } else {
        (prog_path.rsplit('/').next().unwrap_or(""), rest.to_string())
    };
    let known = match prog {
        "sh" if !via_env => Some(("POSIX shell script", "text/x-shellscript")),
        "bash" => Some(("Bourne-Again shell script", "text/x-shellscript")),
        "zsh" => Some(("Paul Falstad's zsh script", "text/x-shellscript")),
        "ksh" => Some(("Korn shell script", "text/x-shellscript")),
        "csh" => Some(("C shell script", "text/x-shellscript")),
        "tcsh" => Some(("Tenex C shell script", "text/x-shellscript")),
        "ruby" => Some(("Ruby script", "text/x-ruby")),
        "awk" | "gawk" | "nawk" => Some(("awk script", "text/x-awk")),
        "tclsh" | "wish" => Some(("Tcl/Tk script", "text/x-tcl")),
        p if p.starts_with("python") => Some(("Python script", "text/x-script.python")),
        _ => None,
    };
    match known {
        Some((d, m)) => (d.to_string(), m),
        None => (format!("a {shown} script"), "text/x-shellscript"),
    }
}

/// XML and HTML documents (file's markup magic, the common openings).
fn markup(buf: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = buf.strip_prefix(b"<?xml version=\"") {
        let v: String = rest
            .iter()
            .take_while(|&&c| c != b'"')
            .map(|&c| c as char)
            .collect();
        return Some((format!("XML {v} document"), "text/xml"));
    }
    let start = buf.iter().position(|c| !c.is_ascii_whitespace())?;
    let head = buf[start..]
        .get(..14.min(buf.len() - start))?
        .to_ascii_lowercase();
    let html = [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<title",
        b"<body",
    ]
    .iter()
    .any(|t| head.starts_with(t));
    html.then(|| ("HTML document".to_string(), "text/html"))
}

fn text_kind(buf: &[u8], enc: Enc) -> Kind {
    let (name, charset) = match enc {
        Enc::Ascii => ("ASCII", "us-ascii"),
        Enc::Utf8 => ("Unicode text, UTF-8", "utf-8"),
        Enc::Latin1 => ("ISO-8859", "iso-8859-1"),
        Enc::Extended => ("Non-ISO extended-ASCII", "unknown-8bit"),
    };
    let notes = text_notes(buf);
    let bom = enc == Enc::Utf8 && buf.starts_with(b"\xef\xbb\xbf");
    let name = if bom {
        "Unicode text, UTF-8 (with BOM)"
    } else {
        name
    };
    if let Some((d, mime)) = markup(buf) {
        return kind(format!("{d}, {name} text{notes}"), mime, Some(charset));
    }
    if matches!(enc, Enc::Ascii | Enc::Utf8) {
        match is_json(buf) {
            Some(1) => return kind("JSON text data", "application/json", Some(charset)),
            Some(_) => {
                return kind(
                    "New Line Delimited JSON text data",
                    "application/x-ndjson",
                    Some(charset),
                );
            }
            None => {}
        }
    }
    if let Some(rest) = buf.strip_prefix(b"#!") {
        let nl = rest.iter().position(|&c| c == b'\n');
        let line = &rest[..nl.unwrap_or(rest.len())];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let exact_sh = nl.is_some();
        let (mut d, mime) = script(line);
        if !exact_sh {
            let s = String::from_utf8_lossy(line);
            d = format!("a {} script", s.trim());
        }
        if d == "Perl script" || line.ends_with(b"perl") {
            return kind("Perl script text executable", "text/x-perl", Some(charset));
        }
        if line.ends_with(b"node") || line.ends_with(b"nodejs") {
            return kind(
                format!("Node.js script executable, {name} text{notes}"),
                "application/javascript",
                Some(charset),
            );
        }
        return kind(
            format!("{d}, {name} text executable{notes}"),
            mime,
            Some(charset),
        );
    }
    kind(format!("{name} text{notes}"), "text/plain", Some(charset))
}

/// The type of the contents `b` of a regular file of `size` bytes.
fn contents(b: &[u8], size: u64) -> Kind {
    if b.is_empty() {
        return kind("empty", "inode/x-empty", None);
    }
    let t = &b[..b.len().min(ENCODING_MAX)];
    let enc = encoding(t);
    if let Some(mut k) = magic(b, size) {
        k.charset = match enc {
            Some(Enc::Ascii) => Some("us-ascii"),
            Some(Enc::Utf8) => Some("utf-8"),
            Some(Enc::Latin1) => Some("iso-8859-1"),
            Some(Enc::Extended) => Some("unknown-8bit"),
            None => None,
        };
        return k;
    }
    match enc {
        Some(enc) => text_kind(t, enc),
        None => kind("data", "application/octet-stream", None),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Desc,
    Mime,
    MimeType,
    MimeEncoding,
}

fn show(k: &Kind, how: Show) -> String {
    let cs = k.charset.unwrap_or("binary");
    match how {
        Show::Desc => k.desc.clone(),
        Show::Mime => format!("{}; charset={cs}", k.mime),
        Show::MimeType => k.mime.to_string(),
        Show::MimeEncoding => cs.to_string(),
    }
}

impl Command for File {
    fn run(&self, ctx: &mut Ctx<'_>) -> i32 {
        let parsed = match parse_args(
            &ctx.args[1..],
            "Fmef",
            "bihLNEvzZkln0prsSCd",
            &[
                "brief",
                "mime",
                "mime-type",
                "mime-encoding",
                "dereference",
                "no-dereference",
                "no-pad",
                "separator=",
                "version",
                "help",
                "magic-file=",
                "uncompress",
                "uncompress-noreport",
                "exclude=",
                "exclude-quiet=",
                "files-from=",
                "apple",
                "extension",
                "keep-going",
                "list",
                "no-buffer",
                "print0",
                "preserve-date",
                "parameter=",
                "raw",
                "special-files",
                "no-sandbox",
                "compile",
                "debug",
                "checking-printout",
            ],
        ) {
            Ok(p) => p,
            Err(e) => {
                ctx.err(&e.0);
                let _ = ctx.stderr.write_all(USAGE.as_bytes());
                return 1;
            }
        };
        let mut brief = false;
        let mut how = Show::Desc;
        let mut deref = false;
        let mut pad = true;
        let mut sep = ":".to_string();
        let mut fail_errors = false;
        let mut files = Vec::new();
        for a in parsed {
            let long;
            let c = match &a {
                Arg::Operand(f) => {
                    files.push(f.clone());
                    continue;
                }
                Arg::Short(c, _) => *c,
                Arg::Long(l, _) => {
                    long = l.as_str();
                    match long {
                        "brief" => 'b',
                        "mime" => 'i',
                        "mime-type" => 'T',
                        "mime-encoding" => 'M',
                        "dereference" => 'L',
                        "no-dereference" => 'h',
                        "no-pad" => 'N',
                        "separator" => 'F',
                        "version" => 'v',
                        "help" => 'H',
                        "raw" => 'r',
                        _ => '?',
                    }
                }
            };
            match c {
                'b' => brief = true,
                'i' => how = Show::Mime,
                'T' => how = Show::MimeType,
                'M' => how = Show::MimeEncoding,
                'L' => deref = true,
                'h' => deref = false,
                'N' => pad = false,
                'E' => fail_errors = true,
                'r' | 'p' | 'n' => {}
                'F' => {
                    if let Arg::Short(_, Some(v)) | Arg::Long(_, Some(v)) = &a {
                        sep = v.clone();
                    }
                }
                'v' => {
                    return print_text(
                        ctx,
                        "file-5.44\nmagic file from /etc/magic:/usr/share/misc/magic\n",
                    );
                }
                'H' => return print_text(ctx, HELP),
                _ => {
                    ctx.err("this option is not supported");
                    return 1;
                }
            }
        }
        if files.is_empty() {
            let _ = ctx.stderr.write_all(USAGE.as_bytes());
            return 1;
        }
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                if f == "-" {
                    "/dev/stdin".into()
                } else {
                    f.clone()
                }
            })
            .collect();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let mut out = Out::new(ctx);
        let mut status = 0;
        for (f, name) in files.iter().zip(&names) {
            if ctx.cancel.is_cancelled() {
                return 130;
            }
            let res = describe(ctx, f, deref, how);
            let line_text = match res {
                Ok(t) => t,
                Err(t) if fail_errors => {
                    let _ = out.flush();
                    status = 1;
                    format!("ERROR: {}", t.replace("cannot open", "cannot stat"))
                }
                Err(t) => t,
            };
            let mut line = String::new();
            if !brief {
                line.push_str(name);
                line.push_str(&sep);
                if pad {
                    line.push_str(&" ".repeat(width - name.chars().count()));
                }
                line.push(' ');
            }
            line.push_str(&line_text);
            line.push('\n');
            if let Err(s) = out.put(line.as_bytes()) {
                return stopped(s);
            }
        }
        if let Err(s) = out.flush() {
            return stopped(s);
        }
        status
    }
}

/// Describe one operand; `Err` holds file's error text.
fn describe(ctx: &Ctx<'_>, f: &str, deref: bool, how: Show) -> Result<String, String> {
    let bin = |d: &str, mime: &'static str| -> String { show(&kind(d, mime, None), how) };
    if f != "-" {
        let lm = match ctx.vfs.lstat(f) {
            Ok(m) => m,
            Err(e) => {
                return Err(format!("cannot open `{f}' ({})", e.errno().message()));
            }
        };
        let m = if lm.is_symlink() {
            match ctx.vfs.stat(f) {
                Ok(t) if deref => t,
                Err(e) if deref => {
                    return Err(format!("cannot open `{f}' ({})", e.errno().message()));
                }
                r => {
                    let target = ctx
                        .vfs
                        .read_link(f)
                        .map(|t| t.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    return Ok(match how {
                        Show::Desc if r.is_ok() => format!("symbolic link to {target}"),
                        Show::Desc => format!("broken symbolic link to {target}"),
                        Show::Mime if r.is_ok() => "inode/symlink; charset=binary".into(),
                        Show::MimeEncoding if r.is_ok() => "binary".into(),
                        Show::MimeEncoding => String::new(),
                        _ => "inode/symlink".into(),
                    });
                }
            }
        } else {
            lm
        };
        if m.is_dir() {
            return Ok(bin("directory", "inode/directory"));
        }
        if m.size == 0 {
            return Ok(bin("empty", "inode/x-empty"));
        }
    }
    let fd = open(ctx, f).map_err(|m| format!("cannot open `{f}' ({m})"))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut data = Vec::new();
    const BYTES_MAX: usize = 7 * 1024 * 1024;
    let mut size = 0u64;
    loop {
        match fd.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                size += n as u64;
                let take = n.min(BYTES_MAX - data.len());
                data.extend_from_slice(&buf[..take]);
                // file looks at the first bytes only.
                if data.len() >= BYTES_MAX || ctx.cancel.is_cancelled() {
                    break;
                }
            }
            Err(e) => {
                return Err(format!("cannot read `{f}' ({})", super::io_err(&e)));
            }
        }
    }
    if f != "-"
        && let Ok(m) = ctx.vfs.stat(f)
    {
        size = m.size;
    }
    Ok(show(&contents(&data, size), how))
}

const USAGE: &str = "Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]
            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]
            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]
            <file> ...
       file -C [-m <magicfiles>]
       file [--help]
";

/// file's `--help` text.
const HELP: &str = include_str!("file_help.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(contents(b"hello\n", 6).desc, "ASCII text");
        assert_eq!(
            contents(b"a\r\nb\r\n", 6).desc,
            "ASCII text, with CRLF line terminators"
        );
        assert_eq!(
            contents(b"{\"a\": [1, 2.5e3]}\n", 17).desc,
            "JSON text data"
        );
        assert_eq!(contents(b"{bad}\n", 6).desc, "ASCII text");
        assert_eq!(contents(b"[1,]", 4).desc, "JSON text data");
        assert_eq!(contents(b"\x00\x01", 2).desc, "data");
        assert_eq!(gm_date(1_577_934_245), "Thu Jan  2 03:04:05 2020");
    }
}
