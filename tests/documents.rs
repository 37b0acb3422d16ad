//! Documents (DOCX, PPTX, ODT, ODP, RTF): tables are checked as tables with their table, row
//! and column, paragraphs as text, slides and notes under `slide N` / `notes N`, comments,
//! tracked deletions and hidden text as hidden content, embedded files as members. The
//! fixtures under `fixtures/cases/documents/` are built here from hand-written XML.

mod common;

use common::charts::{chart_series, chart_xml, num_ref, str_ref, MONTHS, NO_LINE};
use common::{assert_fixtures_current, report};
use export_check::finding::{Finding, Severity, Verdict};
use export_check::report::Report;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

// -- Word ------------------------------------------------------------------------------------

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A Word table cell; `props` go in its `w:tcPr`.
fn tc(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", para(text))
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// A Table 1 as gtsummary and flextable write it: the characteristic merged down its groups.
fn word_table(counts: &[(&str, &str, &str)]) -> String {
    let mut rows = vec![tr(&[
        tc("Characteristic", ""),
        tc("Group", ""),
        tc("N", ""),
    ])];
    let mut last = "";
    for (characteristic, group, n) in counts {
        let first = if *characteristic == last {
            tc("", "<w:vMerge/>")
        } else {
            tc(characteristic, "<w:vMerge w:val=\"restart\"/>")
        };
        last = characteristic;
        rows.push(tr(&[first, tc(group, ""), tc(n, "")]));
    }
    format!("<w:tbl><w:tblPr/>{}</w:tbl>", rows.concat())
}

fn docx(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    members.extend_from_slice(extra);
    common::zip_of(&members)
}

const CLEAN_COUNTS: &[(&str, &str, &str)] = &[
    ("Sex", "Female", "1149"),
    ("Sex", "Male", "691"),
    ("Age", "18-39 years", "672"),
    ("Age", "40-64 years", "759"),
    ("Age", "65 years and over", "409"),
];

fn small_count_docx() -> Vec<u8> {
    let mut counts = CLEAN_COUNTS.to_vec();
    counts.push(("Occupation", "Farmer", "1838"));
    counts.push(("Occupation", "Traditional healer", "1"));
    let body = format!(
        "{}{}{}",
        para("Table 1. Characteristics of the participants"),
        word_table(&counts),
        para("Counts of participants.")
    );
    docx(&body, &[])
}

fn clean_docx() -> Vec<u8> {
    let body = format!(
        "{}{}{}",
        para("Table 1. Characteristics of the participants"),
        word_table(CLEAN_COUNTS),
        para("Counts of participants.")
    );
    docx(&body, &[])
}

fn comment_docx() -> Vec<u8> {
    let comments = format!(
        "<?xml version=\"1.0\"?><w:comments {W}><w:comment w:id=\"0\" w:author=\"A\">\
         {}</w:comment></w:comments>",
        para("Checked the record of CPR 161124-3533 by hand")
    );
    let body = format!("{}{}", para("Results"), word_table(CLEAN_COUNTS));
    docx(&body, &[("word/comments.xml", comments.as_bytes())])
}

fn tracked_docx() -> Vec<u8> {
    let body = format!(
        "{}<w:p><w:r><w:t>Participants were recruited in 2020.</w:t></w:r>\
         <w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText> Two withdrew.</w:delText></w:r></w:del></w:p>\
         <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>Draft note</w:t></w:r></w:p>",
        para("Methods")
    );
    docx(&body, &[])
}

fn embedded_docx() -> Vec<u8> {
    let csv = b"Region,Deaths\nNorth,412\nSouth,398\nIsland,2\n";
    let body = para("The chart's data are embedded.");
    docx(&body, &[("word/embeddings/chart_data.csv", csv)])
}

// -- PowerPoint ------------------------------------------------------------------------------

const P: &str = r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn a_para(text: &str) -> String {
    format!("<a:p><a:r><a:t>{text}</a:t></a:r></a:p>")
}

fn shape(paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| a_para(p)).collect();
    format!("<p:sp><p:txBody><a:bodyPr/>{body}</p:txBody></p:sp>")
}

fn a_table(rows: &[&[&str]]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<a:tc><a:txBody>{}</a:txBody></a:tc>", a_para(c)))
                .collect();
            format!("<a:tr>{cells}</a:tr>")
        })
        .collect();
    format!("<p:graphicFrame><a:graphic><a:graphicData><a:tbl>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
}

fn slide(content: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><p:sld {P}><p:cSld><p:spTree>{content}</p:spTree></p:cSld></p:sld>"
    )
}

fn pptx() -> Vec<u8> {
    let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/></Types>";
    // The presentation shows slide2.xml first.
    let presentation = format!(
        "<?xml version=\"1.0\"?><p:presentation {P}><p:sldIdLst>\
         <p:sldId id=\"256\" r:id=\"rId3\"/><p:sldId id=\"257\" r:id=\"rId2\"/><p:sldId id=\"258\" r:id=\"rId4\"/>\
         </p:sldIdLst></p:presentation>"
    );
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide1.xml\"/>\
        <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide2.xml\"/>\
        <Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide3.xml\"/></Relationships>";
    let title = slide(&shape(&["Cohort study", "Results of the follow-up"]));
    let table = slide(&format!(
        "{}{}",
        shape(&["Deaths by region"]),
        a_table(&[
            &["Region", "Deaths"],
            &["North", "412"],
            &["South", "398"],
            &["Island", "2"]
        ])
    ));
    let hidden = slide(&shape(&["Backup slide"])).replace("<p:sld ", "<p:sld show=\"0\" ");
    let slide_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/></Relationships>";
    let notes = format!(
        "<?xml version=\"1.0\"?><p:notes {P}><p:cSld><p:spTree>{}</p:spTree></p:cSld></p:notes>",
        shape(&["Mention the record of CPR 161124-3533"])
    );
    common::zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("ppt/presentation.xml", presentation.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
        ("ppt/slides/slide1.xml", table.as_bytes()),
        ("ppt/slides/slide2.xml", title.as_bytes()),
        ("ppt/slides/slide3.xml", hidden.as_bytes()),
        ("ppt/slides/_rels/slide2.xml.rels", slide_rels.as_bytes()),
        ("ppt/notesSlides/notesSlide1.xml", notes.as_bytes()),
    ])
}

// -- Charts in Word and PowerPoint -----------------------------------------------------------

/// Relationships of one chart (`rId9`, to `../charts/chart1.xml`) from a part.
fn chart_rels() -> &'static str {
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
     <Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart1.xml\"/></Relationships>"
}

/// The inline drawing of a chart in a Word paragraph, as Word writes it.
const WORD_CHART: &str = "<w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rId9\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>";

/// `n` made-up measurements at scattered positions, as a scatter chart's series whose cache
/// refers to the chart's data workbook (`Sheet1!…`, as Word and PowerPoint write it).
fn scatter_chart(n: usize) -> Vec<u8> {
    let mut lcg = common::Lcg(20_261_204);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for _ in 0..n {
        xs.push(150.0 + lcg.below(5_000) as f64 / 100.0);
        ys.push(40.0 + lcg.below(7_000) as f64 / 100.0);
    }
    let last = n + 1;
    let series = chart_series(
        0,
        "Measurements",
        NO_LINE,
        &[
            num_ref("xVal", &format!("Sheet1!$A$2:$A${last}"), &xs),
            num_ref("yVal", &format!("Sheet1!$B$2:$B${last}"), &ys),
        ],
    );
    chart_xml(
        "Made-up measurements",
        "scatterChart",
        r#"<c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>"#,
        &[series],
    )
}

/// A bar chart of twelve monthly admissions, each at least 40.
fn monthly_bar_chart() -> Vec<u8> {
    let values: Vec<f64> = (0..12).map(|i| 40.0 + (i * 37 % 50) as f64).collect();
    let data = [
        str_ref("cat", "Sheet1!$A$2:$A$13", &MONTHS),
        num_ref("val", "Sheet1!$B$2:$B$13", &values),
    ];
    chart_xml(
        "Admissions by month",
        "barChart",
        r#"<c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>"#,
        &[chart_series(0, "Admissions", "", &data)],
    )
}

/// A Word document with one chart after a paragraph.
fn word_chart_docx(text: &str, chart: &[u8]) -> Vec<u8> {
    let body = format!("{}{WORD_CHART}", para(text));
    docx(
        &body,
        &[
            ("word/_rels/document.xml.rels", chart_rels().as_bytes()),
            ("word/charts/chart1.xml", chart),
        ],
    )
}

/// A presentation of one slide with a title and a chart.
fn chart_pptx(title: &str, chart: &[u8]) -> Vec<u8> {
    let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/></Types>";
    let presentation = format!(
        "<?xml version=\"1.0\"?><p:presentation {P}><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>"
    );
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide1.xml\"/></Relationships>";
    let frame = "<p:graphicFrame><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rId9\"/></a:graphicData></a:graphic></p:graphicFrame>";
    let slide1 = slide(&format!("{}{frame}", shape(&[title])));
    let slide_rels = chart_rels().replace("Target=\"charts/", "Target=\"../charts/");
    common::zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("ppt/presentation.xml", presentation.as_bytes()),
        ("ppt/_rels/presentation.xml.rels", rels.as_bytes()),
        ("ppt/slides/slide1.xml", slide1.as_bytes()),
        ("ppt/slides/_rels/slide1.xml.rels", slide_rels.as_bytes()),
        ("ppt/charts/chart1.xml", chart),
    ])
}

// -- OpenDocument ----------------------------------------------------------------------------

const O: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0""#;

fn odf(mimetype: &str, body: &str) -> Vec<u8> {
    odf_with(mimetype, body, &[])
}

/// An OpenDocument package with more parts (embedded objects) after its content.
fn odf_with(mimetype: &str, body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content {O} office:version=\"1.3\">\
         <office:body>{body}</office:body></office:document-content>"
    );
    let manifest = format!(
        "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"{mimetype}\"/></manifest:manifest>"
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("mimetype", mimetype.as_bytes()),
        ("content.xml", content.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    common::zip_of(&parts)
}

/// A text document with one embedded chart object of `class` over `points`.
fn odt_with_chart(class: &str, points: &[(f64, f64)]) -> Vec<u8> {
    let chart = common::charts::odf_chart_object(class, points);
    let body = "<office:text><text:p>Figure 2.</text:p><draw:frame><draw:object/></draw:frame></office:text>";
    odf_with(
        "application/vnd.oasis.opendocument.text",
        body,
        &[("Object 1/content.xml", chart.as_bytes())],
    )
}

fn odf_table(rows: &[&[&str]]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<table:table-cell><text:p>{c}</text:p></table:table-cell>"))
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    format!("<table:table table:name=\"Table1\">{rows}</table:table>")
}

const REGION_ROWS: &[&[&str]] = &[
    &["Region", "Deaths"],
    &["North", "412"],
    &["South", "398"],
    &["Island", "2"],
];

fn odt() -> Vec<u8> {
    let body = format!(
        "<office:text><text:h>Results</text:h>{}<text:p>Deaths by region.</text:p></office:text>",
        odf_table(REGION_ROWS)
    );
    odf("application/vnd.oasis.opendocument.text", &body)
}

fn odp() -> Vec<u8> {
    let body = "<office:presentation><draw:page draw:name=\"page1\"><draw:frame><draw:text-box>\
        <text:p>Cohort study</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box>\
        <text:p>Mention the record of CPR 161124-3533</text:p></draw:text-box></draw:frame></presentation:notes>\
        </draw:page></office:presentation>";
    odf("application/vnd.oasis.opendocument.presentation", body)
}

// -- RTF -------------------------------------------------------------------------------------

fn rtf() -> Vec<u8> {
    let mut out = String::from(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}\n\
         \\pard\\plain Table 1: Deaths by region\\par\n",
    );
    for row in REGION_ROWS {
        out.push_str("\\trowd\\cellx2000\\cellx4000\n");
        for c in *row {
            out.push_str(&format!("\\pard\\intbl {c}\\cell\n"));
        }
        out.push_str("\\row\n");
    }
    out.push_str("\\pard Source: cohort registry.\\par\n}");
    out.into_bytes()
}

fn generated() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("cases/documents/small_count.docx", small_count_docx()),
        ("cases/documents/clean.docx", clean_docx()),
        ("cases/documents/comment.docx", comment_docx()),
        ("cases/documents/tracked.docx", tracked_docx()),
        ("cases/documents/embedded.docx", embedded_docx()),
        ("cases/documents/notes.pptx", pptx()),
        ("cases/documents/table.odt", odt()),
        (
            "cases/documents/chart_object_scatter.odt",
            odt_with_chart("chart:scatter", &common::charts::scattered(80)),
        ),
        (
            "cases/documents/chart_object_monthly.odt",
            odt_with_chart(
                "chart:line",
                &(1..=36)
                    .map(|m| (f64::from(m), 200.0 + f64::from(m % 5) * 11.0))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("cases/documents/notes.odp", odp()),
        ("cases/documents/table.rtf", rtf()),
        (
            "cases/documents/chart_scatter.docx",
            word_chart_docx("Figure 1. Measurements", &scatter_chart(400)),
        ),
        (
            "cases/documents/chart_monthly.docx",
            word_chart_docx("Figure 2. Admissions by month", &monthly_bar_chart()),
        ),
        (
            "cases/documents/chart_scatter.pptx",
            chart_pptx("Measurements", &scatter_chart(400)),
        ),
    ]
}

#[test]
fn generated_fixtures_are_committed_and_current() {
    assert_fixtures_current(&generated());
}

fn all(r: &Report) -> Vec<(String, Severity, String)> {
    assert_eq!(r.files.len(), 1);
    r.files[0]
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.severity, f.location.describe()))
        .collect()
}

fn of<'a>(r: &'a Report, rule: &str) -> Vec<&'a Finding> {
    r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.severity != Severity::Info)
        .collect()
}

#[test]
fn a_word_table_with_a_count_of_one_fails_at_its_cell() {
    let r = report("documents/small_count.docx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    assert_eq!(r.files[0].format, "docx");
    let sc = of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", all(&r));
    let at = &sc[0].location;
    assert_eq!(
        (at.member.as_deref(), at.table, at.row, at.column),
        (None, Some(1), Some(8), Some(3)),
        "{:?}",
        all(&r)
    );
    assert!(
        sc[0].message.contains("Traditional healer"),
        "{}",
        sc[0].message
    );
}

#[test]
fn a_word_table_of_aggregates_passes() {
    let r = report("documents/clean.docx");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", all(&r));
}

#[test]
fn a_comment_with_an_identifier_is_hidden_content_that_fails() {
    let r = report("documents/comment.docx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let id = of(&r, "person-id");
    assert_eq!(id.len(), 1, "{:?}", all(&r));
    assert_eq!(id[0].location.member.as_deref(), Some("word/comments.xml"));
    assert_eq!(id[0].location.line, Some(1));
    let hidden = of(&r, "hidden-content");
    assert_eq!(hidden.len(), 1, "{:?}", all(&r));
    assert_eq!(hidden[0].severity, Severity::Error);
    assert!(
        hidden[0].message.contains("person-id"),
        "{}",
        hidden[0].message
    );
}

#[test]
fn tracked_deletions_and_hidden_text_need_review() {
    let r = report("documents/tracked.docx");
    assert_eq!(r.verdict, Verdict::Review, "{:?}", all(&r));
    let hidden: Vec<(Severity, Option<&str>)> = of(&r, "hidden-content")
        .iter()
        .map(|f| (f.severity, f.location.member.as_deref()))
        .collect();
    assert_eq!(
        hidden,
        vec![
            (Severity::Warning, Some("word/document.xml (hidden text)")),
            (
                Severity::Warning,
                Some("word/document.xml (tracked deletions)")
            ),
        ]
    );
}

#[test]
fn an_embedded_file_is_checked_as_a_member_and_is_hidden_content() {
    let r = report("documents/embedded.docx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let sc = of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", all(&r));
    assert_eq!(
        sc[0].location.member.as_deref(),
        Some("word/embeddings/chart_data.csv")
    );
    let hidden = of(&r, "hidden-content");
    assert_eq!(hidden.len(), 1, "{:?}", all(&r));
    assert_eq!(hidden[0].severity, Severity::Error);
    assert_eq!(
        hidden[0].location.member.as_deref(),
        Some("word/embeddings/chart_data.csv")
    );
}

#[test]
fn slides_and_their_notes_are_named_in_show_order() {
    let r = report("documents/notes.pptx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    assert_eq!(r.files[0].format, "pptx");
    let sc = of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", all(&r));
    assert_eq!(sc[0].location.member.as_deref(), Some("slide 2"));
    assert_eq!(sc[0].location.table, Some(1));
    let id = of(&r, "person-id");
    assert_eq!(id.len(), 1, "{:?}", all(&r));
    assert_eq!(id[0].location.member.as_deref(), Some("notes 1"));
    let hidden = of(&r, "hidden-content");
    assert_eq!(hidden.len(), 1, "{:?}", all(&r));
    assert_eq!(hidden[0].severity, Severity::Warning);
    assert_eq!(hidden[0].location.member.as_deref(), Some("slide 3"));
}

#[test]
fn an_odt_table_is_a_table() {
    let r = report("documents/table.odt");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    assert_eq!(r.files[0].format, "odt");
    let sc = of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", all(&r));
    let at = &sc[0].location;
    assert_eq!((at.table, at.row, at.column), (Some(1), Some(4), Some(2)));
}

#[test]
fn odp_notes_are_read_under_their_slide() {
    let r = report("documents/notes.odp");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let id = of(&r, "person-id");
    assert_eq!(id.len(), 1, "{:?}", all(&r));
    assert_eq!(id[0].location.member.as_deref(), Some("notes 1"));
}

#[test]
fn an_rtf_table_is_a_table() {
    let r = report("documents/table.rtf");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let sc = of(&r, "small-count");
    assert_eq!(sc.len(), 1, "{:?}", all(&r));
    let at = &sc[0].location;
    assert_eq!((at.table, at.row, at.column), (Some(1), Some(4), Some(2)));
}

/// Broken documents are never passed and never make a reader fail: the document XML cut at
/// many points, zipped again, and the packages and the RTF themselves cut short.
#[test]
fn broken_documents_are_unreadable_or_partial_never_a_reader_failure() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let body = format!(
        "<w:document {W}><w:body>{}{}</w:body></w:document>",
        para("Table 1"),
        word_table(CLEAN_COUNTS)
    );
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for k in 1..24 {
        let cut = body.len() * k / 24;
        let types = "<Types/>";
        files.push((
            format!("cut{k}.docx"),
            common::zip_of(&[
                ("[Content_Types].xml", types.as_bytes()),
                ("word/document.xml", &body.as_bytes()[..cut]),
            ]),
        ));
    }
    for (name, bytes) in generated() {
        let base = name.rsplit('/').next().unwrap_or(name);
        for k in 1..8 {
            let cut = bytes.len() * k / 8;
            files.push((format!("{k}_{base}"), bytes[..cut].to_vec()));
        }
    }
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).expect("written");
    }
    let rules = export_check::config::Rules::default_rules();
    let r = export_check::check(dir.path(), &rules, &Default::default()).expect("runs");
    for f in &r.files {
        // Plain RTF cut short is still text (what is left of it may well pass).
        if !f.path.ends_with(".rtf") {
            assert_ne!(f.verdict, Verdict::Pass, "{} passed", f.path);
        }
        for x in &f.findings {
            assert!(
                !x.message.contains("reader failed"),
                "{}: {}",
                f.path,
                x.message
            );
        }
    }
}

#[test]
fn a_word_scatter_chart_of_points_is_embedded_data_at_its_chart_part() {
    let r = report("documents/chart_scatter.docx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let ed = of(&r, "embedded-data");
    assert_eq!(ed.len(), 1, "{:?}", all(&r));
    assert_eq!(ed[0].severity, Severity::Error);
    assert_eq!(
        ed[0].location.member.as_deref(),
        Some("word/charts/chart1.xml")
    );
    assert!(ed[0].message.contains("Word chart"), "{}", ed[0].message);
}

#[test]
fn a_word_bar_chart_of_monthly_aggregates_passes() {
    let r = report("documents/chart_monthly.docx");
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", all(&r));
    assert!(of(&r, "embedded-data").is_empty(), "{:?}", all(&r));
}

#[test]
fn a_powerpoint_scatter_chart_of_points_is_embedded_data_at_its_slide_and_chart_part() {
    let r = report("documents/chart_scatter.pptx");
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", all(&r));
    let ed = of(&r, "embedded-data");
    assert_eq!(ed.len(), 1, "{:?}", all(&r));
    assert_eq!(ed[0].severity, Severity::Error);
    // The slide that shows the chart, then the chart's part.
    assert_eq!(
        ed[0].location.member.as_deref(),
        Some("slide 1!ppt/charts/chart1.xml")
    );
    assert!(
        ed[0].message.contains("PowerPoint chart"),
        "{}",
        ed[0].message
    );
}

#[test]
fn an_odf_chart_object_is_a_figure_of_its_local_table() {
    let r = report("documents/chart_object_scatter.odt");
    assert_eq!(
        r.files[0].verdict,
        Verdict::Fail,
        "{:#?}",
        r.files[0].findings
    );
    let embedded: Vec<&Finding> = r.files[0]
        .findings
        .iter()
        .filter(|f| f.rule == "embedded-data")
        .collect();
    assert_eq!(embedded.len(), 1, "{:#?}", r.files[0].findings);
    assert_eq!(embedded[0].severity, Severity::Error);
    assert_eq!(embedded[0].location.member.as_deref(), Some("Object 1"));
    // A line of 36 monthly values is an aggregate series: nothing to say.
    let r = report("documents/chart_object_monthly.odt");
    assert_eq!(
        r.files[0].verdict,
        Verdict::Pass,
        "{:#?}",
        r.files[0].findings
    );
    assert!(r.files[0]
        .findings
        .iter()
        .all(|f| f.rule != "embedded-data"));
}
