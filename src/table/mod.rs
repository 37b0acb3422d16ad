//! Table structure shared by every format: parsing cell text into values and classifying what
//! columns and rows hold.

pub mod cell;
pub mod classify;
pub mod grid;
pub mod interval;
pub mod number;
pub mod structure;
