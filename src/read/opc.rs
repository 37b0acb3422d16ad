//! Part names of an Office package (OOXML's Open Packaging Conventions), shared by the workbook
//! and document readers: relationship targets resolved to part names, and the parts under a
//! folder.

/// A relationship target as a part name: absolute (`/xl/x.xml`) or relative to the folder
/// `dir` of the part the relationships belong to, `..` and `.` resolved.
pub fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The names of the parts under a folder (`xl/embeddings/`), folders left out, in package order.
pub fn under(names: &[String], prefix: &str) -> Vec<String> {
    names
        .iter()
        .filter(|n| n.starts_with(prefix) && !n.ends_with('/'))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_folder() {
        assert_eq!(resolve("ppt", "slides/slide1.xml"), "ppt/slides/slide1.xml");
        assert_eq!(
            resolve("ppt/slides", "../notesSlides/notesSlide2.xml"),
            "ppt/notesSlides/notesSlide2.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("x", "/word/document.xml"), "word/document.xml");
        assert_eq!(resolve("", "../../x"), "x");
    }

    #[test]
    fn parts_under_a_folder_leave_folders_out() {
        let names: Vec<String> = ["xl/embeddings/", "xl/embeddings/a.bin", "xl/x.xml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(under(&names, "xl/embeddings/"), ["xl/embeddings/a.bin"]);
    }
}
