//! The text layer: what the lines of a log, a listing or console output are, beside the table
//! layer. A reader records a text's lines; the text layer works out once, on first use, which
//! program wrote them ([`Mode`]), what each line is ([`Role`]) and the blocks of printed output
//! with their columns ([`Block`]), and every reader and rule that needs them shares that
//! [`Layout`].
//!
//! The steps:
//!
//! 1. [`clean`]: strip SMCL tags (`{txt}`, `{res}`, `{c |}` → `|`, `{hline 5}` → `-----`),
//!    expand tabs, bound the lines kept;
//! 2. [`roles`]: each line is a command echo (`. list`, `> head(df)`, numbered SAS source), a
//!    note (`NOTE:`, timing lines, `MPRINT(`), blank, or output;
//! 3. [`scan`]: output lines between commands and notes are cut into blocks at blank lines; a
//!    header block followed by a body (SAS `PROC PRINT` puts a blank line between them) is joined
//!    to it;
//! 4. each block's columns are found from the gutters of spaces (and `|`) that its header and
//!    body lines share, never by single spaces inside a cell ([`split_columns`]);
//! 5. [`shape`]: rows numbered 1..n are one row per record; [`DataState`]: where a Stata log's
//!    data in memory are aggregates (after `collapse`, `contract`), so that a `list` there is a
//!    table.
//!
//! Work is bounded: at most [`MAX_LINES`] lines and [`MAX_TEXT_BYTES`] bytes of text are kept,
//! lines are cut at [`MAX_LINE_CHARS`] characters and a block keeps at most [`MAX_BLOCK_LINES`]
//! lines.

use std::sync::OnceLock;

mod blocks;
mod clean;
mod columns;
mod roles;
mod shape;
mod stata;

pub use blocks::{is_number, scan, Block};
pub use clean::{clean, Cleaned};
pub use roles::{mode, roles, Mode, Role};
pub(crate) use shape::stata_row_number;
pub use shape::{shape, Numbering, Shape};
pub use stata::DataState;

/// What the text layer reads from a text's lines, worked out on first use and kept: the program's
/// mode and each line's role, and the blocks of printed output. A [`crate::model::Text`] carries
/// one, so that its reader and every rule share the work.
#[derive(Debug, Default)]
pub struct Layout {
    roles: OnceLock<(Mode, Vec<Role>)>,
    blocks: OnceLock<Vec<Block>>,
}

impl Layout {
    /// The program that wrote `lines`, as far as they tell.
    pub fn mode(&self, lines: &[(u32, String)]) -> Mode {
        self.roles_with_mode(lines).0
    }

    /// One role per line of `lines`, in line order.
    pub fn roles(&self, lines: &[(u32, String)]) -> &[Role] {
        &self.roles_with_mode(lines).1
    }

    /// The blocks of printed output in `lines`, top to bottom.
    pub fn blocks(&self, lines: &[(u32, String)]) -> &[Block] {
        self.blocks.get_or_init(|| scan(lines))
    }

    fn roles_with_mode(&self, lines: &[(u32, String)]) -> &(Mode, Vec<Role>) {
        self.roles.get_or_init(|| {
            let m = mode(lines);
            (m, roles(lines, m))
        })
    }
}
