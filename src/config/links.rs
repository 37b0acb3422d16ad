//! `[[link]]`: relations between tables that only a person can know, declared in a rules file
//! (`docs/tables.md` §8.7), checked when the rules are loaded.

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkEntry {
    kind: LinkKind,
    tables: Option<Vec<String>>,
    cells: Option<Vec<String>>,
    dimension: Option<String>,
}

/// What a user-declared `[[link]]` says.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The first table's population contains the second's, cell by cell (`ED ⊇ OA`).
    Contains,
    /// Two cells of different tables count the same population.
    EqualPopulation,
}

/// A table named in a link: `path` relative to the checked folder (`/` separators), and
/// optionally `#N`, the table's number within its file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableRef {
    pub path: String,
    pub table: Option<u32>,
}

/// A cell named in a link: `path[#N]:row label[/column]`. `cell` is the text after the colon;
/// the split between row and column is decided against the table (a label may hold a `/`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CellRef {
    pub table: TableRef,
    pub cell: String,
}

/// A user-declared relation between tables (`[[link]]` in a rules file or profile).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// `contains`: the containing table, then the contained one. `equal_population`: empty.
    pub tables: Vec<TableRef>,
    /// `equal_population`: the two cells. `contains`: empty.
    pub cells: Vec<CellRef>,
    /// The dimension along which a `contains` link nests (`area`), for messages.
    pub dimension: Option<String>,
    /// Where it was declared, for messages: `rules.toml, link 2`.
    pub origin: String,
}

impl TableRef {
    /// Parses `path` or `path#N`.
    pub fn parse(text: &str) -> Result<TableRef, String> {
        let text = text.trim();
        let (path, table) = match text.rsplit_once('#') {
            Some((p, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                let n: u32 =
                    n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                        format!("'{text}': the table number after '#' counts from 1")
                    })?;
                (p, Some(n))
            }
            _ => (text, None),
        };
        if path.is_empty() {
            return Err(format!("'{text}': the file path is empty"));
        }
        if path.starts_with('/')
            || path.contains('\\')
            || path.split('/').any(|c| c == ".." || c.is_empty())
        {
            return Err(format!(
                "'{text}': the path must be relative to the checked folder, with '/' separators and no '..'"
            ));
        }
        Ok(TableRef {
            path: path.strip_prefix("./").unwrap_or(path).to_string(),
            table,
        })
    }
}

impl CellRef {
    /// Parses `path[#N]:row label[/column]`.
    pub fn parse(text: &str) -> Result<CellRef, String> {
        let Some((table, cell)) = text.split_once(':') else {
            return Err(format!(
                "'{text}': a cell is written 'file.csv:row label' or 'file.csv:row label/column'"
            ));
        };
        let table = TableRef::parse(table)?;
        let cell = cell.trim();
        if cell.is_empty() || cell.starts_with('/') {
            return Err(format!("'{text}': the row label is empty"));
        }
        if cell.ends_with('/') {
            return Err(format!("'{text}': the column after '/' is empty"));
        }
        Ok(CellRef {
            table,
            cell: cell.to_string(),
        })
    }
}

impl LinkEntry {
    pub(crate) fn validate(&self, origin: &str) -> Result<Link, String> {
        let mut link = Link {
            kind: self.kind,
            tables: Vec::new(),
            cells: Vec::new(),
            dimension: self.dimension.clone(),
            origin: origin.to_string(),
        };
        match self.kind {
            LinkKind::Contains => {
                if self.cells.is_some() {
                    return Err("kind = \"contains\" takes `tables`, not `cells`".into());
                }
                let tables = self.tables.as_deref().unwrap_or_default();
                if tables.len() != 2 {
                    return Err(format!(
                        "kind = \"contains\" needs `tables` with exactly two files, the containing one first (found {})",
                        tables.len()
                    ));
                }
                for t in tables {
                    link.tables.push(TableRef::parse(t)?);
                }
                if link.tables[0] == link.tables[1] {
                    return Err("`tables` names the same table twice".into());
                }
                if self
                    .dimension
                    .as_deref()
                    .is_some_and(|d| d.trim().is_empty())
                {
                    return Err("`dimension` is empty".into());
                }
            }
            LinkKind::EqualPopulation => {
                if self.tables.is_some() || self.dimension.is_some() {
                    return Err(
                        "kind = \"equal_population\" takes `cells`, not `tables` or `dimension`"
                            .into(),
                    );
                }
                let cells = self.cells.as_deref().unwrap_or_default();
                if cells.len() != 2 {
                    return Err(format!(
                        "kind = \"equal_population\" needs `cells` with exactly two cells (found {})",
                        cells.len()
                    ));
                }
                for c in cells {
                    link.cells.push(CellRef::parse(c)?);
                }
                if link.cells[0] == link.cells[1] {
                    return Err("`cells` names the same cell twice".into());
                }
            }
        }
        Ok(link)
    }
}
