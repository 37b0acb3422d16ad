//! Cleaning the lines of program output before they are read: Stata SMCL markup stripped
//! (`{txt}`, `{res}`, `{c |}` → `|`, `{hline 5}` → `-----`), tabs expanded to 8 columns, control
//! characters dropped, long lines cut, and the whole bounded.

/// Most lines of a log kept in memory.
pub const MAX_LINES: usize = 2_000_000;

/// Most bytes of log text kept in memory.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Longest line kept, in characters; the rest of a longer line is dropped.
pub const MAX_LINE_CHARS: usize = 4096;

/// Lines as a log gives them, cleaned: SMCL markup stripped, tabs expanded, long lines cut, and
/// no lines kept past [`MAX_LINES`] or [`MAX_TEXT_BYTES`].
#[derive(Debug, Default)]
pub struct Cleaned {
    /// `(line number, text)`, 1-based.
    pub lines: Vec<(u32, String)>,
    /// Lines past the limits, read but not kept.
    pub dropped: u64,
}

/// Decode SMCL, expand tabs, cut long lines; stop keeping lines past the limits (the count of
/// the others is kept).
pub fn clean(raw: impl Iterator<Item = String>) -> Cleaned {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut bytes = 0usize;
    let mut smcl = false;
    let mut dropped = 0u64;
    for (i, line) in raw.enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if out.len() >= MAX_LINES || bytes >= MAX_TEXT_BYTES {
            dropped += 1;
            continue;
        }
        let line = line.trim_end_matches('\r');
        if i < 5 && line.trim_start().starts_with("{smcl}") {
            smcl = true;
        }
        let line = if smcl {
            strip_smcl(line)
        } else {
            line.to_string()
        };
        let line = expand_tabs(&line);
        bytes += line.len();
        out.push((no, line));
    }
    Cleaned {
        lines: out,
        dropped,
    }
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut col = 0usize;
    for ch in line.chars() {
        if col >= MAX_LINE_CHARS {
            break;
        }
        if ch == '\t' {
            let n = 8 - col % 8;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else if ch.is_control() {
            continue;
        } else {
            out.push(ch);
            col += 1;
        }
    }
    out
}

/// Strip the SMCL markup of one line: `{txt}`, `{res}`, `{com}` vanish, `{c |}` becomes `|`,
/// `{hline 5}` five dashes, `{space 3}` three spaces, `{col 20}` pads to column 20, and
/// `{bf:text}` keeps its text.
pub fn strip_smcl(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    smcl_into(&chars, &mut out, 0);
    out
}

fn smcl_into(chars: &[char], out: &mut String, depth: usize) {
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch != '{' || depth > 8 {
            out.push(ch);
            i += 1;
            continue;
        }
        // Find the matching close brace.
        let mut level = 0usize;
        let mut end = None;
        for (j, c) in chars.iter().enumerate().skip(i) {
            match c {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            out.push(ch);
            i += 1;
            continue;
        };
        let inner = &chars[i + 1..end];
        smcl_directive(inner, out, depth);
        i = end + 1;
    }
}

fn smcl_directive(inner: &[char], out: &mut String, depth: usize) {
    let colon = inner.iter().position(|c| *c == ':');
    let name: String = inner[..colon.unwrap_or(inner.len())].iter().collect();
    let name = name.trim();
    let mut words = name.split_whitespace();
    let head = words.next().unwrap_or("");
    let arg = words.next();
    let num = arg
        .and_then(|a| a.parse::<usize>().ok())
        .map(|n| n.min(400));
    if let Some(c) = colon {
        // `{bf:text}`, `{res:text}`, `{ralign 12:text}`: keep the text, aligned if asked.
        let mut text = String::new();
        smcl_into(&inner[c + 1..], &mut text, depth + 1);
        let width = num.unwrap_or(0);
        let len = text.chars().count();
        match head {
            "ralign" if len < width => {
                out.extend(std::iter::repeat_n(' ', width - len));
                out.push_str(&text);
            }
            "lalign" if len < width => {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', width - len));
            }
            "center" | "centre" if len < width => {
                let left = (width - len) / 2;
                out.extend(std::iter::repeat_n(' ', left));
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', width - len - left));
            }
            _ => out.push_str(&text),
        }
        return;
    }
    match head {
        "c" | "char" => match arg.unwrap_or("") {
            "|" => out.push('|'),
            "-" => out.push('-'),
            "+" | "TLC" | "TRC" | "BLC" | "BRC" | "LT" | "RT" | "TT" | "BT" => out.push('+'),
            "-(" => out.push('{'),
            ")-" => out.push('}'),
            _ => {}
        },
        "hline" => out.extend(std::iter::repeat_n('-', num.unwrap_or(12))),
        ".-" => out.extend(std::iter::repeat_n('-', 12)),
        "space" => out.extend(std::iter::repeat_n(' ', num.unwrap_or(1))),
        "col" => {
            if let Some(n) = num {
                let len = out.chars().count();
                if n > len + 1 {
                    out.extend(std::iter::repeat_n(' ', n - 1 - len));
                } else {
                    out.push(' ');
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smcl_tags_are_stripped() {
        assert_eq!(strip_smcl("{txt}  1. {c |} {res}A01 {c |}"), "  1. | A01 |");
        assert_eq!(strip_smcl("{hline 3}{c +}{hline 2}"), "---+--");
        assert_eq!(strip_smcl("{bf:{it:acro}} x"), "acro x");
        assert_eq!(strip_smcl("{ralign 5:ab}|"), "   ab|");
        assert_eq!(strip_smcl("a {c -(} b"), "a { b");
        assert_eq!(strip_smcl("unbalanced {txt"), "unbalanced {txt");
    }
}
