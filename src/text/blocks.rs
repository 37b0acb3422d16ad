//! Blocks of printed output: the lines between commands and notes, cut at blank lines, a header
//! block joined to its body, and their columns found from the gutters of spaces (and `|`) that the
//! header and body lines share.

use super::columns::{merge_label_words, split_columns};
use super::roles::{mode, roles, Role};

/// Most lines of one printed table kept.
pub const MAX_BLOCK_LINES: usize = 5_000;

/// Most header lines above a table body.
const MAX_HEADER_LINES: usize = 4;

/// A block of output lines with its columns.
#[derive(Debug, Clone)]
pub struct Block {
    /// Line numbers of the block's lines (border lines left out), top to bottom.
    pub lines: Vec<u32>,
    /// Cell texts per line.
    pub cells: Vec<Vec<String>>,
    /// How many of the leading lines are header lines.
    pub header: usize,
    /// The nearest single text line above the block (a procedure or table title).
    pub title: Option<String>,
    /// The block is drawn with `|` separators (Stata, acro).
    pub piped: bool,
    /// The first text of the line just before the block's region began (the command).
    pub command: Option<String>,
}

impl Block {
    /// The header line nearest the body, as cells.
    pub fn header_cells(&self) -> &[String] {
        if self.header == 0 {
            &[]
        } else {
            &self.cells[self.header - 1]
        }
    }

    /// The body lines' cells.
    pub fn body(&self) -> &[Vec<String>] {
        &self.cells[self.header.min(self.cells.len())..]
    }

    /// Line number of the first body line.
    pub fn first_body_line(&self) -> u32 {
        self.lines
            .get(self.header)
            .or(self.lines.first())
            .copied()
            .unwrap_or(0)
    }

    /// Line number of the last line.
    pub fn last_line(&self) -> u32 {
        self.lines.last().copied().unwrap_or(0)
    }
}

/// A number as printed in output: `12`, `-3.5`, `1,234`, `45.2%`, `1e-05`.
pub fn is_number(tok: &str) -> bool {
    let t = tok.trim_end_matches('%');
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    if t.is_empty() {
        return false;
    }
    let t: String = t.chars().filter(|c| *c != ',').collect();
    t.parse::<f64>().is_ok()
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// Whether a line is drawn only with `-`, `=`, `+`, `|` and spaces.
fn is_border(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '=' | '+' | '|' | ' ' | '_'))
        && t.chars().filter(|c| matches!(c, '-' | '=' | '_')).count() >= 3
}

/// Whether a line holds at least one number outside an R vector index (`[1]`).
fn has_number(line: &str) -> bool {
    line.split(|c: char| c.is_whitespace() || c == '|')
        .any(|w| is_number(w.trim_end_matches(['.', ':'])) && !w.is_empty())
}

/// Stata's key box above a crosstab (`+----+`, `| Key |`, `| frequency |`, `+----+`): a legend,
/// not part of the table; its lines are left out so the table's columns are found alone.
fn without_key_boxes(lines: &[(u32, String)]) -> Vec<(u32, String)> {
    let edge = |t: &str| t.len() >= 5 && t.starts_with("+-") && t.ends_with("-+");
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].1.trim();
        if edge(t) {
            let close = (i + 1..lines.len().min(i + 12)).find(|&k| edge(lines[k].1.trim()));
            let inside_key = close.is_some_and(|k| {
                lines[i + 1..k].iter().all(|(_, l)| {
                    let l = l.trim();
                    l.starts_with('|') && l.ends_with('|')
                }) && lines[i + 1..k]
                    .iter()
                    .any(|(_, l)| l.to_lowercase().contains("key"))
            });
            if let (true, Some(k)) = (inside_key, close) {
                i = k + 1;
                continue;
            }
        }
        out.push(lines[i].clone());
        i += 1;
    }
    out
}

/// Cut a text into blocks of printed output.
pub fn scan(lines: &[(u32, String)]) -> Vec<Block> {
    let owned = without_key_boxes(lines);
    let lines = owned.as_slice();
    let mode = mode(lines);
    let roles = roles(lines, mode);
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut command: Option<String> = None;
    while i < lines.len() {
        match roles[i] {
            Role::Command => {
                command = Some(lines[i].1.clone());
                i += 1;
                continue;
            }
            Role::Output => {}
            _ => {
                i += 1;
                continue;
            }
        }
        // A region: output and blank lines up to the next command or note.
        let start = i;
        while i < lines.len() && matches!(roles[i], Role::Output | Role::Blank) {
            i += 1;
        }
        region_blocks(&lines[start..i], &command, &mut blocks);
    }
    blocks
}

fn region_blocks(lines: &[(u32, String)], command: &Option<String>, out: &mut Vec<Block>) {
    // Paragraphs at blank lines, border lines dropped.
    let mut paras: Vec<Vec<&(u32, String)>> = Vec::new();
    let mut cur: Vec<&(u32, String)> = Vec::new();
    for l in lines {
        if l.1.trim().is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else if !is_border(&l.1)
            && !l.1.trim_start().starts_with("# ℹ")
            && !l.1.trim_start().starts_with("# … with")
            && cur.len() < MAX_BLOCK_LINES
        {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    let mut title: Option<String> = None;
    let mut k = 0;
    while k < paras.len() {
        let mut para = paras[k].clone();
        k += 1;
        // Stata's `by` prefix heads each group's output with `-> agegroup = 1`: a title, whatever
        // numbers its value holds.
        let by_group = para.len() == 1 && para[0].1.starts_with("-> ") && para[0].1.contains(" = ");
        let numeric = !by_group && para.iter().any(|l| has_number(&l.1));
        if !numeric && para.len() == 1 && para[0].1.split_whitespace().count() <= 8 {
            // A title line, unless the next paragraph is a body it heads.
            let next_body = paras
                .get(k)
                .is_some_and(|n| n.iter().all(|l| has_number(&l.1)) && columns_of(&n[0].1) > 1);
            if !(next_body && columns_of(&para[0].1) > 1) {
                let t = para[0].1.trim().to_string();
                title = Some(match title.take() {
                    Some(prev) if prev.len() < 200 => format!("{prev} / {t}"),
                    _ => t,
                });
                continue;
            }
        }
        if !numeric && para.len() <= MAX_HEADER_LINES {
            if let Some(next) = paras.get(k) {
                if next.iter().any(|l| has_number(&l.1)) && columns_of(&para[0].1) > 1 {
                    para.extend(next.iter().copied());
                    k += 1;
                }
            }
        }
        if !para.iter().any(|l| has_number(&l.1)) {
            continue;
        }
        let ruled = header_ruled_off(lines, &para);
        if let Some(b) = build_block(&para, ruled, title.take(), command.clone()) {
            out.push(b);
        }
    }
}

/// Words separated by two or more spaces, a rough column count for a single line.
fn columns_of(line: &str) -> usize {
    line.split("  ").filter(|w| !w.trim().is_empty()).count()
}

/// The lines of a paragraph above the rule that Stata draws under a table's header
/// (`-------------+------------`), when that rule stands inside the paragraph: its header,
/// whatever the header lines hold. A two-way `tabulate` of a 0/1 variable heads its columns with
/// the values `0` and `1` (`  (exposure) |  0  1 |  Total`), which are no counts. Not for lines
/// with `=` (the `Number of obs = 74` beside a `regress` header).
fn header_ruled_off(region: &[(u32, String)], para: &[&(u32, String)]) -> Option<usize> {
    let (first, last) = (para.first()?.0, para.last()?.0);
    let rule = region
        .iter()
        .filter(|(no, _)| *no > first && *no < last)
        .find(|(_, l)| is_border(l) && l.contains('+') && l.contains("-+-"))?
        .0;
    let above: Vec<&&(u32, String)> = para.iter().take_while(|l| l.0 < rule).collect();
    let fits = !above.is_empty()
        && above.len() <= MAX_HEADER_LINES
        && above
            .iter()
            .all(|l| l.1.contains('|') && !l.1.contains('='));
    fits.then_some(above.len())
}

fn build_block(
    para: &[&(u32, String)],
    ruled: Option<usize>,
    title: Option<String>,
    command: Option<String>,
) -> Option<Block> {
    // R vectors (`[1] 1 2 3`) are not tables.
    if para.iter().all(|l| l.1.trim_start().starts_with('[')) {
        return None;
    }
    let header = para
        .iter()
        .take(MAX_HEADER_LINES + 1)
        .take_while(|l| !has_number(&l.1) || is_tibble_dims(&l.1))
        .count()
        .min(MAX_HEADER_LINES)
        .max(ruled.unwrap_or(0));
    // A tibble's `# A tibble: 6 × 4` line and an R string printed above (`[1] "Rows per
    // person:"`) are titles, not header lines.
    let leading_title = para
        .first()
        .filter(|l| is_tibble_dims(&l.1) || is_r_string(&l.1));
    // The title line was counted among the header lines when it was one of them.
    let header = match leading_title {
        Some(l) if is_tibble_dims(&l.1) || !has_number(&l.1) => header.saturating_sub(1),
        _ => header,
    };
    let (mut para, mut title) = match leading_title {
        Some(l) => (&para[1..], Some(l.1.trim().to_string())),
        None => (para, title),
    };
    // A tibble printed right under its R string title: its dims line is a title too.
    let mut header = header;
    if leading_title.is_some_and(|l| is_r_string(&l.1)) {
        if let Some(dims) = para.first().filter(|l| is_tibble_dims(&l.1)) {
            title = Some(format!("{} / {}", title.unwrap_or_default(), dims.1.trim()));
            para = &para[1..];
            header = header.saturating_sub(1);
        }
    }
    if para.is_empty() {
        return None;
    }
    // Crosstab legend lines that carry nothing once their names moved into the stubs are
    // dropped, with their line numbers, and the header is counted again.
    let (para, texts, header): (Vec<&(u32, String)>, Vec<String>, usize) =
        match crosstab_stubs(para) {
            Some(r) => {
                let (kept, texts): (Vec<&(u32, String)>, Vec<String>) = para
                    .iter()
                    .zip(r)
                    .filter(|(_, t)| !t.trim().is_empty())
                    .map(|(l, t)| (*l, t))
                    .unzip();
                let header = texts
                    .iter()
                    .take_while(|t| !has_number(t))
                    .count()
                    .min(MAX_HEADER_LINES);
                (kept, texts, header)
            }
            None => (
                para.to_vec(),
                para.iter().map(|l| l.1.clone()).collect(),
                header,
            ),
        };
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let header = header.min(texts.len());
    let piped = texts.iter().filter(|t| t.contains('|')).count() * 2 > texts.len();
    let mut cells = split_columns(&texts, header, piped);
    if !piped && header > 0 {
        merge_label_words(&mut cells, header);
    }
    if cells.iter().map(|r| r.len()).max().unwrap_or(0) < 2 {
        return None;
    }
    Some(Block {
        lines: para.iter().map(|l| l.0).collect(),
        cells,
        header,
        title,
        piped,
        command,
    })
}

/// An R character vector printed alone: `[1] "Summary: number of care homes"`.
fn is_r_string(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("[1] \"") && t.ends_with('"')
}

fn is_tibble_dims(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("# A tibble:") || t.starts_with("# A data frame:")
}

/// SAS `PROC FREQ` crosstab cells print several statistics per cell on stacked lines, named by
/// a legend (`Frequency`, `Percent`, `Row Pct`, `Col Pct`) in the top-left corner. Give each
/// stacked line the legend name in its stub so that rows say what they hold.
fn crosstab_stubs(para: &[&(u32, String)]) -> Option<Vec<String>> {
    const LEGEND: &[&str] = &[
        "Frequency",
        "Percent",
        "Row Pct",
        "Col Pct",
        "Expected",
        "Deviation",
        "Cell Chi-Square",
        "Tot Pct",
    ];
    let bar = para.first()?.1.find('|')?;
    let mut legend: Vec<String> = Vec::new();
    for l in para {
        let stub: String = l.1.chars().take(bar).collect();
        let s = stub.trim();
        if LEGEND.iter().any(|w| w.eq_ignore_ascii_case(s))
            || LEGEND.iter().any(|w| s.starts_with(w)) && !has_number(&l.1)
        {
            legend.push(s.to_string());
        } else {
            break;
        }
    }
    if legend.len() < 2 {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut k = 0usize;
    let mut current = String::new();
    for (i, l) in para.iter().enumerate() {
        let chars: Vec<char> = l.1.chars().collect();
        let (stub, rest): (String, String) = if chars.len() > bar {
            (chars[..bar].iter().collect(), chars[bar..].iter().collect())
        } else {
            (l.1.clone(), String::new())
        };
        if i < legend.len() {
            // The last legend line carries the column headers; its stub becomes empty.
            let blank = " ".repeat(bar);
            out.push(if i + 1 == legend.len() {
                format!("{blank}{rest}")
            } else {
                format!("{blank}{}", " ".repeat(rest.chars().count()))
            });
            continue;
        }
        if !stub.trim().is_empty() {
            current = stub.trim().to_string();
            k = 0;
        }
        let name = legend.get(k).cloned().unwrap_or_default();
        k += 1;
        // The frequency line carries the row's label; the percentage lines under it get none
        // (the table reader leaves them out: they are not counts).
        let new_stub = if name.eq_ignore_ascii_case("Frequency") {
            current.clone()
        } else if legend
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("Frequency"))
        {
            String::new()
        } else {
            format!("{name} / {current}")
        };
        let new_stub: String = if new_stub.chars().count() >= bar {
            // Keep the stub within its width so the columns stay where they were.
            let mut s: String = new_stub.chars().take(bar.saturating_sub(1)).collect();
            s.push(' ');
            s
        } else {
            format!("{new_stub:<bar$}")
        };
        out.push(format!("{new_stub}{rest}"));
    }
    // Spacer legend lines are blank now; the caller drops them with their line numbers.
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::numbered;
    use crate::text::{shape, Numbering, Shape};

    #[test]
    fn r_data_frame_is_numbered() {
        let lines = numbered(
            "> head(df)\n  pid age sex\n1 A01  34   F\n2 A02  51   M\n3 A03  28   F\n> q()\n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].lines, vec![2, 3, 4, 5]);
        assert_eq!(shape(&blocks[0]), Shape::Numbered(Numbering::RowNames));
    }

    #[test]
    fn sas_print_with_blank_line_under_header() {
        let lines = numbered(
            "                 The SAS System\n\n Obs    pid     age\n\n   1    A01      34\n   2    A02      51\n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].header, 1);
        assert_eq!(blocks[0].first_body_line(), 5);
        assert_eq!(shape(&blocks[0]), Shape::Numbered(Numbering::SasObs));
    }

    #[test]
    fn a_stata_header_ruled_off_holds_its_column_values() {
        let lines = numbered(
            ". tab sgtf died\n\n        SGTF |  Died in 90 days\n  (exposure) |         0          1 |     Total\n-------------+----------------------+----------\n       S-Pos |     9,505        189 |     9,694 \n-------------+----------------------+----------\n       Total |     9,505        189 |     9,694 \n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].header, 2);
        assert_eq!(blocks[0].first_body_line(), 6);
    }

    #[test]
    fn a_by_group_line_is_a_title_whatever_its_value() {
        let lines = numbered(
            ". by comorb: tab sex\n\n-> comorb = 1 comorbidity\n\n        sex |      Freq.\n------------+-----------\n          F |        120\n          M |        130\n",
        );
        let blocks = scan(&lines);
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            blocks[0].title.as_deref(),
            Some("-> comorb = 1 comorbidity")
        );
    }

    #[test]
    fn numbers_are_recognised() {
        for t in ["12", "-3.5", "1,234", "45.2%", "1e-05", ".5"] {
            assert!(is_number(t), "{t}");
        }
        for t in ["", "-", "A01", "1.", "NA", "[1]"] {
            assert!(!is_number(t) || t == "1.", "{t}");
        }
    }
}
