//! jq's JSON input reader: a fast parser over a byte buffer that yields jaq values one
//! top-level value at a time, with jq's line accounting (for `(at <stdin>:N)`) and jq's
//! parse error messages ("Unfinished JSON term at EOF at line 2, column 0").

use jaq_json::{Map, Num, Rc, Val};

/// Deepest nesting accepted (jq's limit is 10000 too).
const MAX_DEPTH: usize = 10000;

/// A parser over one input buffer.
pub struct Parser<'b> {
    buf: &'b [u8],
    pos: usize,
    depth: usize,
}

/// Why parsing failed: jq's message text and the byte offset it is reported at.
pub struct ParseError {
    /// The message without the position ("Unfinished JSON term").
    pub msg: &'static str,
    /// Byte offset of the character jq was looking at, or `None` at end of input.
    pub at: Option<usize>,
}

impl ParseError {
    /// jq's full message: `MSG at line L, column C` (`at EOF at ...` at the end).
    pub fn render(&self, buf: &[u8]) -> String {
        let (end, eof) = match self.at {
            Some(p) => ((p + 1).min(buf.len()), ""),
            None => (buf.len(), " at EOF"),
        };
        let consumed = &buf[..end];
        let line = 1 + consumed.iter().filter(|&&b| b == b'\n').count();
        let col = match consumed.iter().rposition(|&b| b == b'\n') {
            Some(i) => end - i - 1,
            None => end,
        };
        format!("{}{} at line {}, column {}", self.msg, eof, line, col)
    }
}

fn err<T>(msg: &'static str, at: Option<usize>) -> Result<T, ParseError> {
    Err(ParseError { msg, at })
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that jq collects into a bare literal token.
fn is_lit(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

impl<'b> Parser<'b> {
    /// A parser over `buf`.
    pub fn new(buf: &'b [u8]) -> Self {
        Parser {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// Where the parser stands (bytes consumed).
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.buf.get(self.pos) {
            if !is_ws(b) {
                break;
            }
            self.pos += 1;
        }
    }

    /// The next top-level value, `None` at end of input.
    pub fn next_value(&mut self) -> Option<Result<Val, ParseError>> {
        self.skip_ws();
        if self.pos >= self.buf.len() {
            return None;
        }
        Some(self.value())
    }

    fn value(&mut self) -> Result<Val, ParseError> {
        let Some(&b) = self.buf.get(self.pos) else {
            return err("Unfinished JSON term", None);
        };
        match b {
            b'"' => {
                self.pos += 1;
                self.string().map(Val::from)
            }
            b'[' => self.array(),
            b'{' => self.object(),
            b']' => err("Unmatched ']'", Some(self.pos)),
            b'}' => err("Unmatched '}'", Some(self.pos)),
            b',' => err("Expected value before ','", Some(self.pos)),
            b':' => err("':' not as part of an object", Some(self.pos)),
            _ if is_lit(b) => self.literal(),
            _ => err("Invalid literal", Some(self.pos)),
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err("Exceeds depth limit for parsing", Some(self.pos));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Val, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut v = Vec::new();
        self.skip_ws();
        if self.buf.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Val::Arr(Rc::new(v)));
        }
        loop {
            self.skip_ws();
            match self.buf.get(self.pos) {
                None => return err("Unfinished JSON term", None),
                Some(b']') => return err("Expected another array element", Some(self.pos)),
                _ => {}
            }
            v.push(self.value()?);
            self.skip_ws();
            match self.buf.get(self.pos) {
                None => return err("Unfinished JSON term", None),
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b'}') => return err("Unmatched '}' in array", Some(self.pos)),
                Some(b':') => return err("':' not as part of an object", Some(self.pos)),
                Some(_) => return err("Expected separator between values", Some(self.pos)),
            }
        }
        self.depth -= 1;
        Ok(Val::Arr(Rc::new(v)))
    }

    fn object(&mut self) -> Result<Val, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut m = Map::default();
        self.skip_ws();
        if self.buf.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Val::obj(m));
        }
        loop {
            self.skip_ws();
            let key = match self.buf.get(self.pos) {
                None => return err("Unfinished JSON term", None),
                Some(b'"') => {
                    self.pos += 1;
                    self.string()?
                }
                Some(b'}') => return err("Expected another key-value pair", Some(self.pos)),
                Some(_) => return err("Object keys must be strings", Some(self.pos)),
            };
            self.skip_ws();
            match self.buf.get(self.pos) {
                None => return err("Unfinished JSON term", None),
                Some(b':') => self.pos += 1,
                Some(_) => {
                    return err("Objects must consist of key:value pairs", Some(self.pos));
                }
            }
            self.skip_ws();
            if self.pos >= self.buf.len() {
                return err("Unfinished JSON term", None);
            }
            let value = self.value()?;
            m.insert(Val::from(key), value);
            self.skip_ws();
            match self.buf.get(self.pos) {
                None => return err("Unfinished JSON term", None),
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b']') => return err("Unmatched ']' in object", Some(self.pos)),
                Some(_) => return err("Expected separator between values", Some(self.pos)),
            }
        }
        self.depth -= 1;
        Ok(Val::obj(m))
    }

    /// A string body (after the opening quote).
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        // Fast path: no escapes.
        while let Some(&b) = self.buf.get(self.pos) {
            if b == b'"' {
                let s = String::from_utf8_lossy(&self.buf[start..self.pos]).into_owned();
                self.pos += 1;
                return Ok(s);
            }
            if b == b'\\' {
                break;
            }
            self.pos += 1;
        }
        let mut out: Vec<u8> = self.buf[start..self.pos].to_vec();
        loop {
            let Some(&b) = self.buf.get(self.pos) else {
                return err("Unfinished string", None);
            };
            self.pos += 1;
            match b {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let Some(&e) = self.buf.get(self.pos) else {
                        return err("Unfinished string", None);
                    };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return err("Invalid escape", Some(self.pos - 1)),
                    };
                    let mut tmp = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                _ => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.buf.get(self.pos..self.pos + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        self.pos += 4;
        Some(v)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let Some(hi) = self.hex4() else {
            return err("Invalid escape", Some(self.pos));
        };
        if (0xD800..0xDC00).contains(&hi) {
            if self.buf.get(self.pos..self.pos + 2) == Some(b"\\u") {
                let save = self.pos;
                self.pos += 2;
                if let Some(lo) = self.hex4()
                    && (0xDC00..0xE000).contains(&lo)
                {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
                }
                self.pos = save;
            }
            return Ok('\u{FFFD}');
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    /// A bare token: `true`, `false`, `null`, `nan` or a number.
    fn literal(&mut self) -> Result<Val, ParseError> {
        let start = self.pos;
        while let Some(&b) = self.buf.get(self.pos) {
            if !is_lit(b) {
                break;
            }
            self.pos += 1;
        }
        let tok = &self.buf[start..self.pos];
        // jq checks the token when it sees the byte after it (or at EOF).
        let at = (self.pos < self.buf.len()).then_some(self.pos);
        match tok {
            b"true" => return Ok(Val::Bool(true)),
            b"false" => return Ok(Val::Bool(false)),
            b"null" => return Ok(Val::Null),
            b"nan" => return Ok(Val::Num(Num::Float(f64::NAN))),
            _ => {}
        }
        if matches!(tok[0], b't' | b'f' | b'n') {
            return err("Invalid literal", at);
        }
        match parse_number(tok) {
            Some(n) => Ok(Val::Num(n)),
            None => err("Invalid numeric literal", at),
        }
    }
}

/// A JSON number token as a jaq number: integers exactly, others as decimal literals
/// (so that jq 1.7's literal preservation can print them as written).
pub fn parse_number(tok: &[u8]) -> Option<Num> {
    let s = std::str::from_utf8(tok).ok()?;
    let body = s.strip_prefix('-').unwrap_or(s);
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i;
    let mut frac_digits = 0;
    let mut is_int = true;
    if i < bytes.len() && bytes[i] == b'.' {
        is_int = false;
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            frac_digits += 1;
        }
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        is_int = false;
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let e0 = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == e0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    if is_int && !(s.starts_with('-') && body.bytes().all(|b| b == b'0')) {
        return Num::from_str_radix(s, 10);
    }
    Some(Num::Dec(Rc::new(s.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(input: &str) -> String {
        let mut p = Parser::new(input.as_bytes());
        loop {
            match p.next_value() {
                Some(Ok(_)) => continue,
                Some(Err(e)) => return e.render(input.as_bytes()),
                None => return String::new(),
            }
        }
    }

    #[test]
    fn jq_messages() {
        assert_eq!(
            msg("{\n"),
            "Unfinished JSON term at EOF at line 2, column 0"
        );
        assert_eq!(
            msg("1 2 x"),
            "Invalid numeric literal at EOF at line 1, column 5"
        );
        assert_eq!(msg("nul\n"), "Invalid literal at line 2, column 0");
        assert_eq!(
            msg("[1,,2]"),
            "Expected value before ',' at line 1, column 4"
        );
    }

    #[test]
    fn numbers() {
        assert!(matches!(parse_number(b"12"), Some(Num::Int(12))));
        assert!(matches!(parse_number(b"1.5"), Some(Num::Dec(_))));
        assert!(parse_number(b"1.").is_some());
        assert!(parse_number(b"x").is_none());
        assert!(parse_number(b"1e").is_none());
    }
}
