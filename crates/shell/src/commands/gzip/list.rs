//! `gzip -l`: the listing of compressed and uncompressed sizes, ratio and name (with
//! `-v` the method, CRC and time), read from a member's header and trailer.

use std::io;

use super::codec::read_header;
use super::{Opts, St, gerr, ratio};
use crate::commands::Ctx;
use crate::commands::reg_archive::{civil, zone_offset};
use crate::io::Fd;

/// Totals for `-l`.
#[derive(Default)]
pub(super) struct ListState {
    pub(super) first: bool,
    pub(super) total_in: i64,
    pub(super) total_out: i64,
    pub(super) header_bytes: i64,
}

/// `-l` for a file: read its header and trailer.
#[allow(clippy::too_many_arguments)]
pub(super) fn list_file(
    ctx: &Ctx<'_>,
    o: &Opts,
    iname: &str,
    oname: &str,
    input: &Fd,
    meta: &vfs_core::Metadata,
    st: &mut St,
    list: &mut ListState,
) {
    let size = meta.size;
    let Fd::File { handle, .. } = input else {
        return;
    };
    let h = handle.lock();
    let head_len = usize::try_from(size.min(64 * 1024)).unwrap_or(0);
    let mut head = vec![0u8; head_len];
    let n = h.read_at(&mut head, 0).unwrap_or(0);
    head.truncate(n);
    let mut tail = [0u8; 8];
    if size >= 8 {
        let _ = h.read_at(&mut tail, size - 8);
    }
    drop(h);
    let mut data = head;
    if size as usize > data.len() {
        // Only the header and trailer are needed: splice the trailer on.
        data.extend_from_slice(&tail);
    }
    let _ = iname;
    list_one(ctx, o, &data, size as i64, meta.mtime.sec, oname, st, list);
}

/// Print one `-l` line for compressed `data` (header at the start, trailer at the end).
#[allow(clippy::too_many_arguments)]
pub(super) fn list_one(
    ctx: &Ctx<'_>,
    o: &Opts,
    data: &[u8],
    size: i64,
    file_mtime: i64,
    oname: &str,
    st: &mut St,
    list: &mut ListState,
) {
    let mut cur = io::Cursor::new(data);
    let h = match read_header(&mut cur) {
        Ok(Some(h)) => h,
        Ok(None) => {
            let _ = ctx.stderr.write_all(b"\n");
            gerr(ctx, &format!("{}: not in gzip format", list_name(oname, o)));
            st.error();
            return;
        }
        Err(_) => {
            let _ = ctx.stderr.write_all(b"\n");
            gerr(
                ctx,
                &format!("{}: unexpected end of file", list_name(oname, o)),
            );
            st.error();
            return;
        }
    };
    let mut text = String::new();
    if list.first {
        list.first = false;
        list.total_in = 0;
        list.total_out = 0;
        if o.verbose {
            text.push_str("method  crc     date  time  ");
        }
        if !o.quiet {
            text.push_str(&format!(
                "{:>19} {:>19}  ratio uncompressed_name\n",
                "compressed", "uncompressed"
            ));
        }
    }
    let mut crc: u32 = 0xffff_ffff;
    let mut out: i64 = -1;
    if data.len() >= 8 {
        let t = &data[data.len() - 8..];
        crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        out = i64::from(u32::from_le_bytes([t[4], t[5], t[6], t[7]]));
    }
    if o.verbose {
        const MON: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let t = if h.mtime != 0 && o.no_name == Some(false) {
            i64::from(h.mtime)
        } else {
            file_mtime
        };
        let (_, m, d, hh, mm, _) = civil(t, zone_offset(ctx));
        let mon = MON.get((m - 1) as usize).copied().unwrap_or("???");
        text.push_str(&format!("defla {crc:08x} {mon}{d:3} {hh:02}:{mm:02} "));
    }
    let header_bytes = (h.len + 8) as i64;
    text.push_str(&format!("{size:>19} {out:>19} "));
    list.header_bytes = header_bytes;
    if list.total_in >= 0 {
        list.total_in += size;
    }
    if out < 0 {
        list.total_out = -1;
    } else if list.total_out >= 0 {
        list.total_out += out;
    }
    text.push_str(&ratio(
        (out - (size - header_bytes)) as f64,
        out.max(0) as f64,
    ));
    let shown = match (&h.name, o.no_name) {
        (Some(n), Some(false)) => {
            let dir = match oname.rfind('/') {
                Some(k) => &oname[..=k],
                None => "",
            };
            format!("{dir}{n}")
        }
        _ => oname.to_string(),
    };
    text.push_str(&format!(" {shown}\n"));
    if let Err(s) = ctx.out(text.as_bytes()) {
        st.code = Ctx::stop_status(s);
    }
}

pub(super) fn list_name(oname: &str, _o: &Opts) -> String {
    oname.to_string()
}

pub(super) fn list_totals(ctx: &Ctx<'_>, o: &Opts, list: &ListState) {
    if list.first || list.total_in <= 0 || list.total_out <= 0 {
        return;
    }
    let mut text = String::new();
    if o.verbose {
        text.push_str("                            ");
    }
    text.push_str(&format!("{:>19} {:>19} ", list.total_in, list.total_out));
    text.push_str(&ratio(
        (list.total_out - (list.total_in - list.header_bytes)) as f64,
        list.total_out as f64,
    ));
    text.push_str(" (totals)\n");
    let _ = ctx.out(text.as_bytes());
}
