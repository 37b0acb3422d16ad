//! Word (DOCX) and PowerPoint (PPTX) packages: which parts hold what, and under which name
//! their text and tables are reported.
//!
//! A Word document's body is reported without a member, its headers, footers and notes under
//! their part names; a slide as `slide 3`, its speaker notes as `notes 3`. Comments, tracked
//! deletions, hidden text and hidden slides are hidden parts: their text is checked like the
//! rest, under its own member name, and a fact says a reader does not see it. Embedded files
//! and images are members, checked as files. A part this reader does not know is a member too,
//! so it is never passed unseen.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::read::document::package::Package;
use crate::read::document::wordml::{self, Parsed};
use crate::read::document::xml::{walk, Ev};
use crate::read::document::Out;

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
    if structural(name) {
        return;
    }
    if value_part(name) {
        if let Ok(text) = pkg.text(name) {
            match leaf_lines(&text) {
                Ok(lines) => out.lines(Some(name), lines),
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
            }
        }
    }
    for name in pkg.names.clone() {
        if seen.contains(&name) {
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
