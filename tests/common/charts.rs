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

/// An OpenDocument chart object's `content.xml`: one series of `class` (`chart:scatter`,
/// `chart:line`) whose x values and values are typed into the chart's local table.
pub fn odf_chart_object(class: &str, points: &[(f64, f64)]) -> String {
    let n = points.len() + 1;
    let cell = |v: f64| {
        format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let rows: String = points
        .iter()
        .map(|&(x, y)| format!("<table:table-row>{}{}</table:table-row>", cell(x), cell(y)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:chart=\"urn:oasis:names:tc:opendocument:xmlns:chart:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:chart>\
<chart:chart chart:class=\"{class}\"><chart:plot-area>\
<chart:series chart:values-cell-range-address=\"local-table.$B$2:.$B${n}\">\
<chart:domain table:cell-range-address=\"local-table.$A$2:.$A${n}\"/></chart:series>\
</chart:plot-area><table:table table:name=\"local-table\"><table:table-header-rows>\
<table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>\
<table:table-cell><text:p>y</text:p></table:table-cell></table:table-row>\
</table:table-header-rows><table:table-rows>{rows}</table:table-rows></table:table>\
</chart:chart></office:chart></office:body></office:document-content>"
    )
}

/// Points scattered without a grid, as one marker per person draws them.
pub fn scattered(n: usize) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let i = i as f64;
            (
                ((40.0 + (i * 7.31).sin() * 23.7) * 100.0).round() / 100.0,
                ((120.0 + (i * 3.17).cos() * 41.3) * 100.0).round() / 100.0,
            )
        })
        .collect()
}
