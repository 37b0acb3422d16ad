//! The chart parts (`c:chartSpace`) of the generated fixtures: DrawingML charts as Excel,
//! Word and PowerPoint write them, with their series and cached values.

use super::esc;

/// A chart part (`c:chartSpace`) with a title and one plot: its element (`scatterChart`), what
/// comes before its series (`<c:scatterStyle val="lineMarker"/>`) and its series.
pub fn chart_xml(title: &str, plot: &str, settings: &str, series: &[String]) -> Vec<u8> {
    let axes = if plot == "pieChart" {
        ""
    } else {
        r#"<c:axId val="500001"/><c:axId val="500002"/>"#
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:{plot}>{settings}{}{axes}</c:{plot}><c:valAx><c:axId val="500001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="500002"/></c:valAx><c:valAx><c:axId val="500002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:crossAx val="500001"/></c:valAx></c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>"#,
        esc(title),
        series.concat()
    )
    .into_bytes()
}

/// A series: its index, name, extra settings (`<c:spPr>…`) and data elements.
pub fn chart_series(i: usize, name: &str, settings: &str, data: &[String]) -> String {
    format!(
        r#"<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:v>{}</c:v></c:tx>{settings}{}</c:ser>"#,
        esc(name),
        data.concat()
    )
}

pub fn points<T: std::fmt::Display>(values: &[T]) -> String {
    let mut x = format!(r#"<c:ptCount val="{}"/>"#, values.len());
    for (i, v) in values.iter().enumerate() {
        x.push_str(&format!(
            r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#,
            esc(&v.to_string())
        ));
    }
    x
}

/// A data element (`c:cat`, `c:val`, `c:xVal`, `c:yVal`) that refers to cells by formula `f`,
/// with its cache.
pub fn num_ref(role: &str, f: &str, values: &[f64]) -> String {
    format!(
        r#"<c:{role}><c:numRef><c:f>{}</c:f><c:numCache><c:formatCode>General</c:formatCode>{}</c:numCache></c:numRef></c:{role}>"#,
        esc(f),
        points(values)
    )
}

pub fn str_ref(role: &str, f: &str, values: &[&str]) -> String {
    format!(
        r#"<c:{role}><c:strRef><c:f>{}</c:f><c:strCache>{}</c:strCache></c:strRef></c:{role}>"#,
        esc(f),
        points(values)
    )
}

/// A data element whose values are held only in the chart.
pub fn num_lit(role: &str, values: &[f64]) -> String {
    format!(
        r#"<c:{role}><c:numLit><c:formatCode>General</c:formatCode>{}</c:numLit></c:{role}>"#,
        points(values)
    )
}

pub fn str_lit(role: &str, values: &[&str]) -> String {
    format!(
        r#"<c:{role}><c:strLit>{}</c:strLit></c:{role}>"#,
        points(values)
    )
}

/// Markers and no line: how Excel writes a scatter of points.
pub const NO_LINE: &str = r#"<c:spPr><a:ln w="19050"><a:noFill/></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>"#;

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
