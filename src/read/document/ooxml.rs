//! Word (DOCX) and PowerPoint (PPTX) packages: which parts hold what, and under which name
//! their text and tables are reported.
//!
//! A Word document's body is reported without a member, its headers, footers and notes under
//! their part names; a slide as `slide 3`, its speaker notes as `notes 3`. Comments, tracked
//! deletions, hidden text and hidden slides are hidden parts: their text is checked like the
//! rest, under its own member name, and a fact says a reader does not see it. Embedded files
//! and images are members, checked as files. A part this reader does not know is a member too,
//! so it is never passed unseen. A chart part (`word/charts/chart1.xml`, `ppt/charts/…`) is a
//! figure of its cached series, read as a workbook's chart is, and its values are lines of text
//! of the part; its data workbook is an embedded member.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::read::document::package::Package;
use crate::read::document::wordml::{self, Parsed};
use crate::read::document::xml::{walk, Ev};
use crate::read::document::Out;
use crate::read::workbook;

/// Parts of a package that hold layout, styles or bookkeeping, and no content of the document.
fn structural(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    lower == "[content_types].xml"
        || lower.ends_with('/')
        || lower.ends_with(".rels")
        || lower.starts_with("docprops/")
        || lower.starts_with("customxml/itemprops")
        || lower.contains("/theme/")
        || lower.contains("/fonts/")
        || lower.contains("/printersettings/")
        || lower.starts_with("ppt/slidelayouts/")
        || lower.starts_with("ppt/slidemasters/")
        || lower.starts_with("ppt/notesmasters/")
        || lower.starts_with("ppt/handoutmasters/")
        || (lower.contains("/charts/") && (base.starts_with("colors") || base.starts_with("style")))
        || matches!(
            base,
            "styles.xml"
                | "styleswitheffects.xml"
                | "settings.xml"
                | "websettings.xml"
                | "fonttable.xml"
                | "numbering.xml"
                | "commentsextended.xml"
                | "commentsids.xml"
                | "commentsextensible.xml"
                | "people.xml"
                | "presprops.xml"
                | "viewprops.xml"
                | "tablestyles.xml"
                | "commentauthors.xml"
                | "authors.xml"
                | "revisioninfo.xml"
                | "presentation.xml"
        )
}

/// Chart caches and custom XML: their values and strings, one per line.
fn value_part(name: &str) -> bool {
    (name.contains("/charts/") && name.ends_with(".xml")) || name.starts_with("customXml/")
}

/// Read a Word document.
pub fn docx<R: Read + Seek>(pkg: &mut Package<R>, out: &mut Out) {
    let main = main_part(pkg).unwrap_or_else(|| "word/document.xml".to_string());
    for name in pkg.names.clone() {
        let base = name.rsplit('/').next().unwrap_or(&name);
        if name == main {
            word_part(pkg, &name, None, out);
        } else if base == "comments.xml" {
            if let Some(p) = parse_part(pkg, &name) {
                if !p.paragraphs.iter().all(|(_, t)| t.trim().is_empty()) || !p.tables.is_empty() {
                    pkg.hidden(&format!("document comments ({name})"), &name);
                }
                out.part(&name, p);
            }
        } else if name.starts_with("word/")
            && name.ends_with(".xml")
            && (["header", "footer", "footnotes", "endnotes"]
                .iter()
                .any(|k| base.starts_with(k))
                || name == "word/glossary/document.xml")
        {
            word_part(pkg, &name, Some(&name), out);
        } else {
            other_part(pkg, &name, out);
        }
    }
}

/// The main document part, as the package relationships name it.
fn main_part<R: Read + Seek>(pkg: &mut Package<R>) -> Option<String> {
    let rels = relationships(pkg, "_rels/.rels", "");
    rels.values()
        .find(|(kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, target)| target.clone())
}

/// A WordprocessingML part with text: shown text, tracked deletions and hidden text.
fn word_part<R: Read + Seek>(
    pkg: &mut Package<R>,
    name: &str,
    member: Option<&str>,
    out: &mut Out,
) {
    let Some(mut p) = parse_part(pkg, name) else {
        return;
    };
    let deleted = std::mem::take(&mut p.deleted);
    let hidden = std::mem::take(&mut p.hidden);
    out.part_as(member, p);
    for (lines, what) in [(deleted, "tracked deletions"), (hidden, "hidden text")] {
        if lines.is_empty() {
            continue;
        }
        let scope = format!("{name} ({what})");
        pkg.hidden(&format!("{what} ({name})"), &scope);
        out.lines(Some(&scope), lines);
    }
}

/// A part this reader has no layout for: skipped when it is structure, a member when it is a
/// file or unknown, lines of values when it is a chart or custom XML.
fn other_part<R: Read + Seek>(pkg: &mut Package<R>, name: &str, out: &mut Out) {
    other_part_as(pkg, name, name, out);
}

/// [`other_part`], its values and figure placed under `shown` (`slide 3!ppt/charts/chart1.xml`
/// for a chart a slide shows).
fn other_part_as<R: Read + Seek>(pkg: &mut Package<R>, name: &str, shown: &str, out: &mut Out) {
    if structural(name) {
        return;
    }
    if value_part(name) {
        if let Ok(text) = pkg.text(name) {
            match leaf_lines(&text) {
                Ok(lines) => {
                    out.lines(Some(shown), lines);
                    chart_part(pkg, name, shown, &text, out);
                }
                Err(e) => pkg.unchecked(name, &e.to_string()),
            }
        }
        return;
    }
    // Embedded objects and images (`word/embeddings/`, `ppt/media/` ...) are files in their
    // own right, and so is any part not known here. An embedded object (the workbook behind a
    // chart) is not what the document shows: it is hidden content too.
    if name.contains("/embeddings/") {
        pkg.hidden(&format!("embedded object ({name})"), name);
    }
    pkg.member(name);
}

/// A chart part (`word/charts/chart1.xml`, `ppt/charts/chartEx1.xml`) is also a figure, read
/// as a workbook's chart is: its cached series are what the document shows. Its values are
/// lines of text already (the caller read them); a chart that cannot be read, or not all of
/// it, is unchecked. There are no sheets to check a cache against: the chart's data workbook
/// is an embedded member, checked on its own.
fn chart_part<R: Read + Seek>(
    pkg: &mut Package<R>,
    name: &str,
    shown: &str,
    text: &str,
    out: &mut Out,
) {
    let (ex, source) = match (
        workbook::chart_file(name, "word/"),
        workbook::chart_file(name, "ppt/"),
    ) {
        (Some(ex), _) => (ex, "Word chart"),
        (_, Some(ex)) => (ex, "PowerPoint chart"),
        _ => return,
    };
    match workbook::figure_of_chart_xml(shown, text.as_bytes(), ex, source, &mut out.chart_budget) {
        Ok((figure, cut)) => {
            if let Some(why) = cut {
                pkg.unchecked(name, why);
            }
            if let Some(f) = figure {
                out.figure(f);
            }
        }
        Err(why) => pkg.unchecked(name, why),
    }
}

fn parse_part<R: Read + Seek>(pkg: &mut Package<R>, name: &str) -> Option<Parsed> {
    let text = pkg.text(name).ok()?;
    match wordml::parse(&text) {
        Ok(p) => Some(p),
        Err(e) => {
            pkg.unchecked(name, &e.to_string());
            None
        }
    }
}

/// Every text run of a part as a line of its own, numbered from 1.
pub fn leaf_lines(xml: &str) -> Result<Vec<(u32, String)>, crate::read::document::xml::XmlError> {
    let mut lines = Vec::new();
    let mut current = String::new();
    walk(xml, |ev| match ev {
        Ev::Text(t) => current.push_str(t),
        Ev::Start(_) | Ev::End(_) => {
            let t = current.trim();
            if !t.is_empty() {
                lines.push((lines.len() as u32 + 1, t.to_string()));
            }
            current.clear();
        }
    })?;
    Ok(lines)
}

/// A relationships part: `Id → (type, target)`, targets resolved against `base` (the folder of
/// the part the relationships belong to). External targets are left out.
fn relationships<R: Read + Seek>(
    pkg: &mut Package<R>,
    rels: &str,
    base: &str,
) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    if !pkg.has(rels) {
        return out;
    }
    let Ok(text) = pkg.text(rels) else {
        return out;
    };
    let _ = walk(&text, |ev| {
        if let Ev::Start(e) = ev {
            if e.name == "Relationship" && e.attr("TargetMode") != Some("External") {
                if let (Some(id), Some(kind), Some(target)) =
                    (e.attr("Id"), e.attr("Type"), e.attr("Target"))
                {
                    out.insert(
                        id.to_string(),
                        (kind.to_string(), crate::read::opc::resolve(base, target)),
                    );
                }
            }
        }
    });
    out
}

/// Read a PowerPoint presentation: slides in the order the presentation shows them.
pub fn pptx<R: Read + Seek>(pkg: &mut Package<R>, out: &mut Out) {
    let slides = slide_order(pkg);
    let mut seen: Vec<String> = Vec::new();
    // The slide that shows each chart, by the chart's part: its figure is placed there.
    let mut shown_on: BTreeMap<String, String> = BTreeMap::new();
    for (k, slide) in slides.iter().enumerate() {
        let no = k + 1;
        seen.push(slide.clone());
        slide_part(pkg, slide, &format!("slide {no}"), out);
        let folder = slide.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
        let file = slide.rsplit('/').next().unwrap_or(slide);
        let rels = relationships(pkg, &format!("{folder}/_rels/{file}.rels"), folder);
        for (kind, target) in rels.values() {
            if kind.ends_with("/notesSlide") && pkg.has(target) && !seen.contains(target) {
                seen.push(target.clone());
                slide_part(pkg, target, &format!("notes {no}"), out);
            } else if kind.ends_with("/chart") || kind.ends_with("/chartEx") {
                shown_on
                    .entry(target.clone())
                    .or_insert_with(|| format!("slide {no}!{target}"));
            }
        }
    }
    for name in pkg.names.clone() {
        if seen.contains(&name) {
            continue;
        }
        if let Some(shown) = shown_on.get(&name) {
            other_part_as(pkg, &name, shown, out);
            continue;
        }
        if name.starts_with("ppt/comments/") && name.ends_with(".xml") {
            comment_part(pkg, &name, out);
        } else if name.starts_with("ppt/slides/slide") || name.starts_with("ppt/notesSlides/") {
            // A slide the presentation does not list: read under its part name.
            slide_part(pkg, &name, &name, out);
        } else {
            other_part(pkg, &name, out);
        }
    }
}

/// The slide parts in the order of `ppt/presentation.xml`, else by their numbers.
fn slide_order<R: Read + Seek>(pkg: &mut Package<R>) -> Vec<String> {
    let rels = relationships(pkg, "ppt/_rels/presentation.xml.rels", "ppt");
    let mut ids: Vec<String> = Vec::new();
    if let Ok(text) = pkg.text("ppt/presentation.xml") {
        let _ = walk(&text, |ev| {
            if let Ev::Start(e) = ev {
                if e.name == "sldId" {
                    if let Some(id) = e.qattr("r:id").or_else(|| e.attr("id")) {
                        ids.push(id.to_string());
                    }
                }
            }
        });
    }
    let mut slides: Vec<String> = ids
        .iter()
        .filter_map(|id| rels.get(id))
        .map(|(_, target)| target.clone())
        .filter(|t| pkg.has(t))
        .collect();
    if slides.is_empty() {
        let mut numbered: Vec<(u32, String)> = pkg
            .under("ppt/slides/slide")
            .into_iter()
            .filter(|n| n.ends_with(".xml"))
            .map(|n| (number_in(&n), n))
            .collect();
        numbered.sort();
        slides = numbered.into_iter().map(|(_, n)| n).collect();
    }
    slides.dedup();
    slides
}

/// The number in a part name (`slide12.xml` → 12), 0 if none.
fn number_in(name: &str) -> u32 {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// A slide or notes page: its text and tables under `member`; a slide hidden from the show is
/// a hidden part.
fn slide_part<R: Read + Seek>(pkg: &mut Package<R>, name: &str, member: &str, out: &mut Out) {
    let Ok(text) = pkg.text(name) else {
        return;
    };
    let mut hidden = false;
    let _ = walk(&text, |ev| {
        if let Ev::Start(e) = ev {
            if e.name == "sld" && e.on("show") == Some(false) {
                hidden = true;
            }
        }
    });
    match wordml::parse(&text) {
        Ok(p) => {
            if hidden {
                // The slide is named by the location; a message never carries a bare number.
                pkg.hidden("hidden slide", member);
            }
            out.part(member, p);
        }
        Err(e) => pkg.unchecked(name, &e.to_string()),
    }
}

/// Slide comments: legacy ones hold their text in `p:text`, modern ones in paragraphs.
fn comment_part<R: Read + Seek>(pkg: &mut Package<R>, name: &str, out: &mut Out) {
    let Ok(text) = pkg.text(name) else {
        return;
    };
    let lines = match leaf_lines(&text) {
        Ok(lines) => lines,
        Err(e) => {
            pkg.unchecked(name, &e.to_string());
            return;
        }
    };
    if !lines.is_empty() {
        pkg.hidden(&format!("slide comments ({name})"), name);
        out.lines(Some(name), lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Format;
    use crate::model::{Document, FactKind, Mark};
    use crate::read::Source;

    /// The document read from a zip of the given parts.
    fn read_parts(format: Format, parts: &[(&str, &[u8])]) -> Document {
        read_bytes(format, &crate::testutil::zip_of(parts))
    }

    fn read_bytes(format: Format, bytes: &[u8]) -> Document {
        crate::testutil::with_readers(|readers| {
            crate::read::document::read(format, Source::Bytes(bytes), readers)
                .expect("the package reads")
        })
    }

    /// The document read from a generated fixture (tests/documents.rs).
    fn read_fixture(format: Format, name: &str) -> Document {
        let bytes = std::fs::read(format!(
            "{}/fixtures/cases/documents/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("a generated fixture (tests/documents.rs)");
        read_bytes(format, &bytes)
    }

    fn unchecked(doc: &Document) -> Vec<(Option<&str>, &str)> {
        doc.facts
            .iter()
            .filter_map(|f| match &f.kind {
                FactKind::Unchecked { why, .. } => {
                    Some((f.location.member.as_deref(), why.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_chart_of_a_document_is_a_figure_and_its_values_are_still_text() {
        let doc = read_fixture(Format::Docx, "chart_monthly.docx");
        assert_eq!(doc.figures.len(), 1, "{:#?}", doc.figures);
        let f = &doc.figures[0];
        assert_eq!(f.source, "Word chart");
        assert_eq!(f.location.member.as_deref(), Some("word/charts/chart1.xml"));
        let s: Vec<(Mark, u64, bool)> = f
            .series
            .iter()
            .map(|s| (s.mark, s.points, s.regular))
            .collect();
        assert_eq!(s, vec![(Mark::Bar, 12, true)]);
        let chart_text = doc
            .texts
            .iter()
            .find(|t| t.member.as_deref() == Some("word/charts/chart1.xml"))
            .expect("the chart's values are lines of text");
        assert!(chart_text.lines.iter().any(|(_, l)| l == "Jan"));
        assert!(unchecked(&doc).is_empty(), "{:?}", unchecked(&doc));
        let doc = read_fixture(Format::Pptx, "chart_scatter.pptx");
        let f: Vec<(&str, Option<&str>, Mark, u64)> = doc
            .figures
            .iter()
            .flat_map(|f| {
                f.series.iter().map(|s| {
                    (
                        f.source.as_str(),
                        f.location.member.as_deref(),
                        s.mark,
                        s.points,
                    )
                })
            })
            .collect();
        assert_eq!(
            f,
            vec![(
                "PowerPoint chart",
                Some("slide 1!ppt/charts/chart1.xml"),
                Mark::Point,
                400
            )]
        );
    }

    #[test]
    fn a_chart_part_that_cannot_be_read_is_unchecked_once() {
        // Cut short: the text walk fails first, and says so once.
        let cut = b"<c:chartSpace xmlns:c=\"c\"><c:chart><c:plotArea><c:barChart><c:ser>";
        // Well-formed, but no chart.
        let other = b"<c:userShapes xmlns:c=\"c\"><c:t>x</c:t></c:userShapes>";
        // A chart extension part read as one: its data block is a figure.
        let ex = br#"<cx:chartSpace xmlns:cx="cx"><cx:chartData><cx:data id="0"><cx:numDim type="val"><cx:lvl ptCount="2"><cx:pt idx="0">1.5</cx:pt><cx:pt idx="1">2.5</cx:pt></cx:lvl></cx:numDim></cx:data></cx:chartData><cx:chart><cx:plotArea><cx:plotAreaRegion><cx:series layoutId="boxWhisker"><cx:dataId val="0"/></cx:series></cx:plotAreaRegion></cx:plotArea></cx:chart></cx:chartSpace>"#;
        let doc = read_parts(
            Format::Docx,
            &[
                (
                    "word/document.xml",
                    b"<w:document xmlns:w=\"w\"><w:body/></w:document>",
                ),
                ("word/charts/chart1.xml", cut),
                ("word/charts/chart2.xml", other),
                ("word/charts/chartEx1.xml", ex),
                (
                    "word/charts/colors1.xml",
                    b"<cs:colorStyle xmlns:cs=\"cs\"/>",
                ),
            ],
        );
        let u = unchecked(&doc);
        assert_eq!(u.len(), 2, "{u:?}");
        assert_eq!(u[0].0, Some("word/charts/chart1.xml"));
        assert_eq!(
            u[1],
            (
                Some("word/charts/chart2.xml"),
                "the part holds no chart (no chartSpace element)"
            )
        );
        let f: Vec<(Option<&str>, Mark, u64)> = doc
            .figures
            .iter()
            .flat_map(|f| {
                f.series
                    .iter()
                    .map(|s| (f.location.member.as_deref(), s.mark, s.points))
            })
            .collect();
        assert_eq!(f, vec![(Some("word/charts/chartEx1.xml"), Mark::Point, 2)]);
    }

    #[test]
    fn structure_parts_are_known() {
        assert!(structural("word/styles.xml"));
        assert!(structural("word/_rels/document.xml.rels"));
        assert!(structural("ppt/slideLayouts/slideLayout1.xml"));
        assert!(!structural(
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx"
        ));
        assert!(!structural("word/vbaProject.bin"));
    }
}
