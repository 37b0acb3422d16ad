//! Columns of a printed table, from the gutters of spaces (and `|`) that its lines share, never
//! from single spaces inside a cell.

use super::blocks::is_number;

/// A multi-word row label (`Corrected Total`) whose words happen to stand over a gutter of
/// every other line splits into columns; a column without a header whose cells, like those to
/// its left, hold no numbers is joined to its left neighbour.
pub(crate) fn merge_label_words(cells: &mut [Vec<String>], header: usize) {
    let width = cells.iter().map(Vec::len).max().unwrap_or(0);
    let wordy = |cells: &[Vec<String>], j: usize| {
        cells[header..]
            .iter()
            .filter_map(|r| r.get(j))
            .all(|c| !c.split_whitespace().any(is_number))
    };
    let mut j = width;
    while j > 1 {
        j -= 1;
        let unnamed = cells[..header]
            .iter()
            .all(|r| r.get(j).is_none_or(|c| c.is_empty()));
        if unnamed && wordy(cells, j) && wordy(cells, j - 1) {
            for row in cells.iter_mut() {
                if j < row.len() {
                    let moved = row.remove(j);
                    if !moved.is_empty() {
                        if !row[j - 1].is_empty() {
                            row[j - 1].push(' ');
                        }
                        row[j - 1].push_str(&moved);
                    }
                }
            }
        }
    }
}

/// Split aligned lines into cells by the gutters of spaces (and `|`) that the last header line
/// and the body lines share. Words of upper header lines go to the column they overlap most.
pub fn split_columns(lines: &[&str], header: usize, piped: bool) -> Vec<Vec<String>> {
    let chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
    let decide = &chars[header.saturating_sub(1).min(chars.len())..];
    // Markers printed wider than their column run into the next one (`[REDACTED][REDACTED]`
    // in an R tibble): such a line does not decide the gutters when two others do.
    let unglued: Vec<Vec<char>> = decide.iter().filter(|l| !glued(l)).cloned().collect();
    let decide = if unglued.len() >= 2 && unglued.len() < decide.len() {
        unglued.as_slice()
    } else {
        decide
    };
    let (mut runs, bar) = column_runs(decide);
    if piped {
        merge_piped_stub(&mut runs, &bar);
    }
    merge_header_words(&mut runs, &chars, header);
    if runs.is_empty() {
        return Vec::new();
    }
    // A stub aligned to the right (Stata's `      Married |`) has no hierarchy in its spaces.
    let stub_ends: Vec<usize> = chars
        .iter()
        .skip(header)
        .filter_map(|l| {
            words(l)
                .into_iter()
                .filter(|w| w.0 < runs[0].1)
                .map(|w| w.1)
                .next_back()
        })
        .collect();
    let right_aligned =
        piped || (stub_ends.len() >= 2 && stub_ends.iter().all(|e| *e == stub_ends[0]));
    chars
        .iter()
        .map(|line| line_cells(line, &runs, right_aligned))
        .collect()
}

/// The column runs of the lines that decide the columns: character spans that are not a gutter
/// (a position where every line has a space or a `|`), and the positions of `|` bars.
fn column_runs(decide: &[Vec<char>]) -> (Vec<(usize, usize)>, Vec<bool>) {
    let width = decide.iter().map(Vec::len).max().unwrap_or(0);
    let mut gutter = vec![true; width];
    let mut bar = vec![false; width];
    for line in decide {
        for (p, c) in line.iter().enumerate() {
            if *c == '|' {
                bar[p] = true;
            } else if *c != ' ' {
                gutter[p] = false;
            }
        }
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < width {
        if gutter[p] {
            p += 1;
            continue;
        }
        let s = p;
        while p < width && !gutter[p] {
            p += 1;
        }
        runs.push((s, p));
    }
    (runs, bar)
}

/// The stub left of the first bar is one cell (`Never married |`).
fn merge_piped_stub(runs: &mut Vec<(usize, usize)>, bar: &[bool]) {
    if let Some(first_bar) = bar.iter().position(|b| *b) {
        let left: Vec<(usize, usize)> = runs.iter().copied().filter(|r| r.1 <= first_bar).collect();
        if left.len() > 1 {
            let merged = (left[0].0, left[left.len() - 1].1);
            runs.retain(|r| r.1 > first_bar);
            runs.insert(0, merged);
        }
    }
}

/// A header of several words over one column (`I alt` over right-aligned numbers under `alt`):
/// a run that only the header fills, one space before the next run, is part of it.
fn merge_header_words(runs: &mut Vec<(usize, usize)>, chars: &[Vec<char>], header: usize) {
    let body_fills = |r: (usize, usize)| {
        chars
            .iter()
            .skip(header)
            .any(|l| l.iter().take(r.1).skip(r.0).any(|c| *c != ' ' && *c != '|'))
    };
    let mut k = 0;
    while k + 1 < runs.len() {
        if header > 0 && runs[k + 1].0 == runs[k].1 + 1 && !body_fills(runs[k]) {
            runs[k] = (runs[k].0, runs[k + 1].1);
            runs.remove(k + 1);
        } else {
            k += 1;
        }
    }
}

/// The cells of one line: each word goes to the run it overlaps most (the nearest on a tie).
fn line_cells(line: &[char], runs: &[(usize, usize)], right_aligned: bool) -> Vec<String> {
    let mut cells = vec![String::new(); runs.len()];
    for (ws, we) in words(line) {
        let best = runs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let overlap = we.min(r.1).saturating_sub(ws.max(r.0));
                let dist = if we <= r.0 {
                    r.0 - we
                } else {
                    ws.saturating_sub(r.1)
                };
                (i, overlap, dist)
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
            .map(|(i, _, _)| i)
            .unwrap_or(0);
        let w: String = line[ws..we].iter().collect();
        let cell = &mut cells[best];
        if !cell.is_empty() {
            cell.push(' ');
        } else if best == 0 && !right_aligned {
            // Indentation of the stub (`    Aalborg` under `Region Nordjylland`) is kept: it is
            // how a printed table shows its hierarchy.
            let indent = ws.saturating_sub(runs[0].0);
            cell.extend(std::iter::repeat_n(' ', indent));
        }
        cell.push_str(&w);
    }
    cells
}

/// Whether a line holds bracketed markers glued together (`[REDACTED][REDACTED]`).
fn glued(line: &[char]) -> bool {
    line.windows(2).any(|w| w == [']', '['])
}

/// Word spans of a line: runs of characters other than space and `|`; bracketed markers glued
/// together (`[REDACTED][REDACTED]`) are a word each.
fn words(line: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < line.len() {
        if line[p] == ' ' || line[p] == '|' {
            p += 1;
            continue;
        }
        let s = p;
        while p < line.len() && line[p] != ' ' && line[p] != '|' {
            p += 1;
            if p < line.len() && line[p - 1] == ']' && line[p] == '[' {
                break;
            }
        }
        out.push((s, p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_gutters_not_single_spaces() {
        let lines = [
            "                                 Cumulative    Cumulative",
            "sex        Frequency     Percent     Frequency      Percent",
            "Female          512       51.20           512        51.20",
            "Male            488       48.80          1000       100.00",
        ];
        let cells = split_columns(&lines, 2, false);
        assert_eq!(
            cells[1],
            vec!["sex", "Frequency", "Percent", "Frequency", "Percent"]
        );
        assert_eq!(cells[0][3], "Cumulative");
        assert_eq!(cells[3], vec!["Male", "488", "48.80", "1000", "100.00"]);
    }

    #[test]
    fn glued_markers_are_a_cell_each() {
        let lines = [
            "  group          n_hh    n_pat n_case",
            "1 FALSE       9100000 20400000 688000",
            "2 TRUE           4400   138000   6300",
            "3 NA       [REDACTED][REDACTED]     0",
        ];
        let cells = split_columns(&lines, 1, false);
        assert_eq!(cells[3], vec!["3", "NA", "[REDACTED]", "[REDACTED]", "0"]);
        assert_eq!(cells[0][4], "n_case");
    }

    #[test]
    fn piped_stub_is_one_cell() {
        let lines = [
            "      marital |      Freq.     Percent        Cum.",
            "Never married |        120       40.00       40.00",
            "      Married |        180       60.00      100.00",
        ];
        let cells = split_columns(&lines, 1, true);
        assert_eq!(cells[1][0], "Never married");
        assert_eq!(cells[2], vec!["Married", "180", "60.00", "100.00"]);
    }
}
