//! Cell values as the text a spreadsheet shows for them: numbers without noise, dates as ISO
//! dates, error values as their codes (`#N/A`), which the cell parser reads as words, never as
//! counts.

use calamine::{Data, DataRef, ExcelDateTime};

/// The text of a cell read into memory.
pub fn data_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(dt) => date_text(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The text of a cell streamed from a sheet.
pub fn data_ref_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(dt) => date_text(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A number as a spreadsheet shows it at most: 15 significant digits, so that the binary noise
/// of a formula result (`0.30000000000000004`) is not read as many decimals; whole numbers
/// without a decimal point.
pub fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// A date cell as `YYYY-MM-DD` (with `HH:MM:SS` when it has a time of day); a duration as its
/// number of days.
fn date_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() || !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return float_text(serial);
    }
    let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};

    #[test]
    fn numbers_show_as_a_spreadsheet_shows_them() {
        assert_eq!(float_text(12.0), "12");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(-3.5), "-3.5");
        assert_eq!(float_text(1234567890.0), "1234567890");
        assert_eq!(data_text(&Data::Error(CellErrorType::NA)), "#N/A");
    }

    #[test]
    fn dates_are_iso_dates() {
        let dt = ExcelDateTime::new(44_197.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(data_text(&Data::DateTime(dt)), "2021-01-01");
        let dt = ExcelDateTime::new(25_569.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(data_text(&Data::DateTime(dt)), "1970-01-01 12:00:00");
    }
}
