//! Rendering a [`Truth`] in a [`Style`] to the text of a delivered file, with the spreadsheet
//! reference (`C4`: column letter and line number, as the tool reports places) of every cell.

use super::gen::{Shape, Style, Thousands, Truth};

/// A rendered table.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub text: String,
    /// File name extension: `csv` or `tsv`.
    pub ext: &'static str,
    /// Spreadsheet reference of each cell.
    pub cell_ref: Vec<String>,
    /// The row and column labels of each cell.
    pub cell_desc: Vec<String>,
}

/// A count as printed, with the style's thousands separator.
pub fn fmt_count(v: i64, th: Thousands) -> String {
    let s = v.to_string();
    let sep = match th {
        Thousands::None => return s,
        Thousands::Dot => '.',
        Thousands::Space => ' ',
        Thousands::Comma => ',',
    };
    if v < 1000 {
        return s;
    }
    let digits: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

fn col_letters(mut col: usize) -> String {
    // 1-based column number to `A`, `B`, …, `Z`, `AA` …
    let mut s = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        col = (col - 1) / 26;
    }
    s.iter().rev().collect()
}

struct Out<'a> {
    truth: &'a Truth,
    style: &'a Style,
    lines: Vec<Vec<String>>,
    cell_ref: Vec<String>,
    cell_desc: Vec<String>,
}

impl Out<'_> {
    fn shown(&self, i: usize) -> String {
        if self.truth.hidden[i] {
            if self.truth.primary[i] {
                self.style.primary_marker.clone()
            } else {
                self.style.secondary_marker.clone()
            }
        } else {
            fmt_count(self.truth.values[i], self.style.thousands)
        }
    }

    fn share(&self, row_total: usize, grand: usize) -> String {
        let g = self.truth.values[grand];
        let p = if g == 0 {
            0.0
        } else {
            100.0 * self.truth.values[row_total] as f64 / g as f64
        };
        let s = format!("{p:.1}");
        if self.style.decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// One table row: labels, then cells, then extra fields.
    fn row(&mut self, labels: Vec<String>, cells: &[usize], extra: Vec<String>, desc: &[String]) {
        let line = self.lines.len() + 1;
        let first_col = labels.len() + 1;
        let mut fields = labels;
        for (k, &c) in cells.iter().enumerate() {
            self.cell_ref[c] = format!("{}{line}", col_letters(first_col + k));
            self.cell_desc[c] = desc[k].clone();
            fields.push(self.shown(c));
        }
        fields.extend(extra);
        self.lines.push(fields);
    }
}

fn quote(field: &str, sep: char) -> String {
    if field.contains(sep) || field.contains('"') || field.contains('\n') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The file text of a table.
pub fn render(truth: &Truth, style: &Style) -> Rendered {
    let n = truth.values.len();
    let mut o = Out {
        truth,
        style,
        lines: Vec::new(),
        cell_ref: vec![String::new(); n],
        cell_desc: vec![String::new(); n],
    };
    if let Some(t) = &style.title {
        o.lines.push(vec![t.clone()]);
    }
    let total = style.total_label.clone();
    let order = |k: usize, first: bool| -> Vec<usize> {
        if first {
            std::iter::once(k).chain(0..k).collect()
        } else {
            (0..=k).collect()
        }
    };
    match &truth.shape {
        Shape::Wide { rows, cols, m } => {
            let col_name = |j: usize| {
                if j == *cols {
                    total.clone()
                } else {
                    style.col_labels[j].clone()
                }
            };
            let row_name = |r: usize| {
                if r == *rows {
                    total.clone()
                } else {
                    style.row_labels[r].clone()
                }
            };
            let cord = order(*cols, style.total_col_first);
            let mut header = vec![style.stub_header.clone()];
            header.extend(cord.iter().map(|&j| col_name(j)));
            if let Some(h) = &style.share {
                header.push(h.clone());
            }
            o.lines.push(header);
            for r in order(*rows, style.total_row_first) {
                let cells: Vec<usize> = cord.iter().map(|&j| m[r][j]).collect();
                let desc: Vec<String> = cord
                    .iter()
                    .map(|&j| format!("row '{}', column '{}'", row_name(r), col_name(j)))
                    .collect();
                let extra = match &style.share {
                    Some(_) => vec![o.share(m[r][*cols], m[*rows][*cols])],
                    None => Vec::new(),
                };
                o.row(vec![row_name(r)], &cells, extra, &desc);
            }
        }
        Shape::Hier {
            cols,
            total_col,
            leaf,
            sub,
            top,
        } => {
            let h = style
                .hier
                .as_ref()
                .expect("a hierarchy has hierarchy labels");
            let width = cols + usize::from(*total_col);
            let cord: Vec<usize> = if *total_col {
                order(*cols, style.total_col_first)
            } else {
                (0..width).collect()
            };
            let col_name = |j: usize| {
                if j == *cols {
                    total.clone()
                } else {
                    style.col_labels[j].clone()
                }
            };
            let mut header = vec![style.stub_header.clone()];
            header.extend(cord.iter().map(|&j| col_name(j)));
            if let Some(s) = &style.share {
                header.push(s.clone());
            }
            o.lines.push(header);
            let grand = if *total_col { Some(top[*cols]) } else { None };
            let emit = |o: &mut Out<'_>, label: String, row: &[usize]| {
                let cells: Vec<usize> = cord.iter().map(|&j| row[j]).collect();
                let desc: Vec<String> = cord
                    .iter()
                    .map(|&j| format!("row '{}', column '{}'", label.trim(), col_name(j)))
                    .collect();
                let extra = match (&style.share, grand) {
                    (Some(_), Some(g)) => vec![o.share(row[*cols], g)],
                    _ => Vec::new(),
                };
                o.row(vec![label], &cells, extra, &desc);
            };
            if style.total_row_first {
                emit(&mut o, total.clone(), top);
            }
            for (g, rows) in leaf.iter().enumerate() {
                if h.parent_first {
                    emit(&mut o, h.parents[g].clone(), &sub[g]);
                }
                for (k, row) in rows.iter().enumerate() {
                    emit(&mut o, h.children[g][k].clone(), row);
                }
                if !h.parent_first {
                    emit(&mut o, h.parents[g].clone(), &sub[g]);
                }
            }
            if !style.total_row_first {
                emit(&mut o, total.clone(), top);
            }
        }
        Shape::Long { cats } => {
            let l = style.long.as_ref().expect("a long table has long labels");
            let mut header = l.dim_names.clone();
            header.push(style.count_header.clone());
            o.lines.push(header);
            let orders: Vec<Vec<usize>> = cats
                .iter()
                .map(|&k| order(k, style.total_row_first))
                .collect();
            let mut coords: Vec<Vec<usize>> = vec![Vec::new()];
            for ord in &orders {
                let mut next = Vec::new();
                for p in &coords {
                    for &c in ord {
                        let mut q = p.clone();
                        q.push(c);
                        next.push(q);
                    }
                }
                coords = next;
            }
            for x in coords {
                let labels: Vec<String> = x
                    .iter()
                    .enumerate()
                    .map(|(d, &c)| {
                        if c == cats[d] {
                            l.totals[d].clone()
                        } else {
                            l.cats[d][c].clone()
                        }
                    })
                    .collect();
                let i = super::gen::long_index(cats, &x);
                let desc = vec![format!("'{}'", labels.join(" / "))];
                o.row(labels, &[i], Vec::new(), &desc);
            }
        }
    }
    if let Some(note) = &style.note {
        o.lines.push(Vec::new());
        o.lines.push(vec![note.clone()]);
    }
    let sep = style.sep.char();
    let eol = if style.crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    if style.bom {
        text.push('\u{feff}');
    }
    for line in &o.lines {
        let fields: Vec<String> = line.iter().map(|f| quote(f, sep)).collect();
        text.push_str(&fields.join(&sep.to_string()));
        text.push_str(eol);
    }
    Rendered {
        text,
        ext: if sep == '\t' { "tsv" } else { "csv" },
        cell_ref: o.cell_ref,
        cell_desc: o.cell_desc,
    }
}
