//! bash's `select NAME [in WORDS]; do LIST; done`, as `execute_select_command` and
//! `select_query` in bash 5.2's `execute_cmd.c` run it: the numbered menu (in columns
//! when the items fit, `COLUMNS` wide, 80 by default) and `PS3` on standard error, a line
//! read as `read` with no names reads it (into `REPLY`), `NAME` set to the chosen item or
//! to the empty string, the body run, and again, until `break` or end of input (then a
//! newline on standard output and status 1). An empty line shows the menu again; after
//! the body runs, the menu is only shown again if `REPLY` is empty.

use brush_parser::ast;

use super::{Exec, Flow, Interp};
use crate::vars::is_name;

/// Digits of a menu index, as bash's `NUMBER_LEN` counts them.
fn number_len(n: usize) -> usize {
    match n {
        0..10 => 1,
        10..100 => 2,
        100..1000 => 3,
        1000..10000 => 4,
        10000..100000 => 5,
        _ => 6,
    }
}

/// bash's `legal_number`: optional leading white space (as `strtoimax` skips it), an
/// optional sign, decimal digits that fit in 64 bits, optional trailing blanks.
fn legal_number(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.trim_end_matches([' ', '\t']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

impl Interp {
    pub(super) fn exec_select(&mut self, f: &ast::ForClauseCommand) -> Exec {
        self.set_line_from_span(&f.loc);
        if !is_name(&f.variable_name) {
            self.error(&format!("`{}': not a valid identifier", f.variable_name));
            return self.finish(1);
        }
        if self.opts.xtrace {
            let words = match &f.values {
                Some(ws) => ws
                    .iter()
                    .map(|w| w.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                None => "\"$@\"".to_string(),
            };
            let line = format!(
                "{}select {} in {words}\n",
                self.xtrace_prefix(),
                f.variable_name
            );
            let _ = self.write_fd(2, line.as_bytes());
        }
        let items: Vec<String> = match &f.values {
            Some(words) => match self.expand_words(words) {
                Ok(v) => v,
                Err(e) => return self.expansion_failed(e),
            },
            None => self.positional.clone(),
        };
        if items.is_empty() {
            self.last_status = 0;
            return Ok(0);
        }
        let mut status = 0;
        self.loop_depth += 1;
        let r = (|| -> Exec {
            let mut show_menu = true;
            loop {
                self.count_loop()?;
                if self.tracing_commands()
                    && self.debug_point(|| super::fnprint::loop_head_text("select", f))?
                {
                    continue;
                }
                let prompt = self.get_scalar("PS3").unwrap_or_else(|| "#? ".into());
                let Some(choice) = self.select_query(&items, &prompt, show_menu)? else {
                    // End of input (or a failed read).
                    return Ok(1);
                };
                if let Err(msg) = self.assign_scalar(&f.variable_name, choice) {
                    self.error(&msg);
                    return Ok(1);
                }
                let r = self.exec_list(&f.body.list);
                if self.loop_flow(r, &mut status)? {
                    break;
                }
                show_menu = self.get_scalar("REPLY").is_some_and(|r| r.is_empty());
            }
            Ok(status)
        })();
        self.loop_depth -= 1;
        let s = r?;
        self.last_status = s;
        Ok(s)
    }

    /// Show the menu (if `print_menu`) and the prompt, and read a reply: the chosen item,
    /// `""` for a reply that is not an item's number, `None` at end of input.
    fn select_query(
        &mut self,
        items: &[String],
        prompt: &str,
        mut print_menu: bool,
    ) -> Result<Option<String>, Flow> {
        let columns = self
            .get_scalar("COLUMNS")
            .and_then(|c| c.trim().parse::<i64>().ok())
            .filter(|&c| c > 0)
            .map_or(80, |c| usize::try_from(c).unwrap_or(80));
        let c_locale = self.c_locale();
        let width = |s: &str| {
            if c_locale { s.len() } else { s.chars().count() }
        };
        let indices_len = number_len(items.len());
        let max_elem_len =
            items.iter().map(|s| width(s)).max().unwrap_or(0) + indices_len + ") ".len() + 2;
        loop {
            if print_menu {
                let menu = select_menu(items, max_elem_len, indices_len, columns, &width);
                let _ = self.write_fd(2, menu.as_bytes());
            }
            let _ = self.write_fd(2, prompt.as_bytes());
            let r = self.read_reply();
            self.shared.check()?;
            if let Some(l) = *self.shared.limit_hit.lock() {
                return Err(Flow::Limit(l));
            }
            if r != 0 {
                let _ = self.write_fd(1, b"\n");
                return Ok(None);
            }
            let Some(reply) = self.get_scalar("REPLY") else {
                return Ok(None);
            };
            if reply.is_empty() {
                self.count_loop()?;
                print_menu = true;
                continue;
            }
            let chosen = legal_number(&reply)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| items.get(i));
            return Ok(Some(chosen.cloned().unwrap_or_default()));
        }
    }
}

/// The menu as bash's `print_select_list` lays it out: items numbered from 1, down the
/// rows of as many columns as fit in `columns`, each column `max_elem_len` wide (padded
/// with tabs and spaces as bash's `indent` does, tab stops every 8).
fn select_menu(
    items: &[String],
    max_elem_len: usize,
    indices_len: usize,
    columns: usize,
    width: &dyn Fn(&str) -> usize,
) -> String {
    let n = items.len();
    let mut out = String::new();
    if n == 0 {
        out.push('\n');
        return out;
    }
    let cols = (columns / max_elem_len.max(1)).max(1);
    let mut rows = n / cols + usize::from(!n.is_multiple_of(cols));
    let cols = n / rows + usize::from(!n.is_multiple_of(rows));
    if rows == 1 {
        rows = cols;
    }
    let first_indices_len = number_len(rows);
    for row in 0..rows {
        let mut ind = row;
        let mut pos = 0;
        loop {
            let ilen = if pos == 0 {
                first_indices_len
            } else {
                indices_len
            };
            let item = &items[ind];
            out.push_str(&format!("{:>ilen$}) {item}", ind + 1));
            let elem_len = width(item) + ilen + 2;
            ind += rows;
            if ind >= n {
                break;
            }
            indent(&mut out, pos + elem_len, pos + max_elem_len);
            pos += max_elem_len;
        }
        out.push('\n');
    }
    out
}

/// bash's `indent`: from column `from` to `to`, tabs where a tab stop is passed.
fn indent(out: &mut String, mut from: usize, to: usize) {
    const TAB: usize = 8;
    while from < to {
        if to / TAB > from / TAB {
            out.push('\t');
            from += TAB - from % TAB;
        } else {
            out.push(' ');
            from += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn menu(items: &[&str], columns: usize) -> String {
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        let il = number_len(items.len());
        let max = items.iter().map(|s| s.len()).max().unwrap_or(0) + il + 4;
        select_menu(&items, max, il, columns, &|s: &str| s.len())
    }

    #[test]
    fn few_items_one_per_line() {
        assert_eq!(menu(&["a", "b", "c"], 80), "1) a\n2) b\n3) c\n");
    }

    #[test]
    fn many_items_in_columns() {
        let items: Vec<String> = (1..=30).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let m = menu(&refs, 80);
        let first = m.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            "1) 1\t 4) 4\t 7) 7\t10) 10\t13) 13\t16) 16\t19) 19\t22) 22\t25) 25\t28) 28"
        );
        assert_eq!(m.lines().count(), 3);
    }

    #[test]
    fn numbers_as_bash_reads_them() {
        assert_eq!(legal_number(" 2 "), Some(2));
        assert_eq!(legal_number("+3"), Some(3));
        assert_eq!(legal_number("02"), Some(2));
        assert_eq!(legal_number("2x"), None);
        assert_eq!(legal_number(""), None);
        assert_eq!(legal_number("-"), None);
        assert_eq!(legal_number("99999999999999999999"), None);
    }
}
