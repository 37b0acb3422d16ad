//! Parsing one cell's text into a [`Value`](crate::model::Value).
