//! File format detection: by content first, by name second.
//!
//! [`detect`] looks at the first bytes of a file (magic numbers, then whether it is text at all)
//! and only then at the extension, which decides between text formats and between formats that
//! share a container (zip, OLE compound file, gzip). When the content contradicts the name in a
//! way that matters (a zip archive named `.csv`, a SQLite database named `.txt`, text named
//! `.xlsx`) the result carries a short message for the `file-type` rule. Text under any text
//! extension is never a mismatch.
//!
//! The format names are the ones `rules/default.toml` lists under `[file_types]`.

use crate::decode;

/// A detected format and, if the content contradicts the name, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    /// Content contradicts the name, e.g. "content is a zip archive, name says .csv".
    pub mismatch: Option<String>,
}

/// Every format `export-check` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Csv,
    Tsv,
    Text,
    Log,
    Listing,
    Code,
    Markdown,
    Json,
    Xml,
    Html,
    Svg,
    Notebook,
    Xlsx,
    Xls,
    Ods,
    Docx,
    Doc,
    Odt,
    Pptx,
    Ppt,
    Rtf,
    Pdf,
    Png,
    Jpeg,
    Gif,
    Tiff,
    Webp,
    Bmp,
    Zip,
    Gzip,
    Bzip2,
    Xz,
    Tar,
    SevenZip,
    Rar,
    Sas7bdat,
    SasCatalog,
    StataDta,
    SpssSav,
    SpssPor,
    RData,
    Parquet,
    Arrow,
    Feather,
    Sqlite,
    Hdf5,
    Executable,
    UnknownBinary,
}

impl Format {
    /// Every variant, in declaration order.
    pub const ALL: &'static [Format] = &[
        Format::Csv,
        Format::Tsv,
        Format::Text,
        Format::Log,
        Format::Listing,
        Format::Code,
        Format::Markdown,
        Format::Json,
        Format::Xml,
        Format::Html,
        Format::Svg,
        Format::Notebook,
        Format::Xlsx,
        Format::Xls,
        Format::Ods,
        Format::Docx,
        Format::Doc,
        Format::Odt,
        Format::Pptx,
        Format::Ppt,
        Format::Rtf,
        Format::Pdf,
        Format::Png,
        Format::Jpeg,
        Format::Gif,
        Format::Tiff,
        Format::Webp,
        Format::Bmp,
        Format::Zip,
        Format::Gzip,
        Format::Bzip2,
        Format::Xz,
        Format::Tar,
        Format::SevenZip,
        Format::Rar,
        Format::Sas7bdat,
        Format::SasCatalog,
        Format::StataDta,
        Format::SpssSav,
        Format::SpssPor,
        Format::RData,
        Format::Parquet,
        Format::Arrow,
        Format::Feather,
        Format::Sqlite,
        Format::Hdf5,
        Format::Executable,
        Format::UnknownBinary,
    ];

    /// The name used in `rules/*.toml` `[file_types]` and in reports.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
            Format::Log => "log",
            Format::Listing => "listing",
            Format::Code => "code",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Html => "html",
            Format::Svg => "svg",
            Format::Notebook => "notebook",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Odt => "odt",
            Format::Pptx => "pptx",
            Format::Ppt => "ppt",
            Format::Rtf => "rtf",
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Gif => "gif",
            Format::Tiff => "tiff",
            Format::Webp => "webp",
            Format::Bmp => "bmp",
            Format::Zip => "zip",
            Format::Gzip => "gzip",
            Format::Bzip2 => "bzip2",
            Format::Xz => "xz",
            Format::Tar => "tar",
            Format::SevenZip => "7z",
            Format::Rar => "rar",
            Format::Sas7bdat => "sas7bdat",
            Format::SasCatalog => "sas-catalog",
            Format::StataDta => "stata-dta",
            Format::SpssSav => "spss-sav",
            Format::SpssPor => "spss-por",
            Format::RData => "r-data",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
            Format::Feather => "feather",
            Format::Sqlite => "sqlite",
            Format::Hdf5 => "hdf5",
            Format::Executable => "executable",
            Format::UnknownBinary => "unknown-binary",
        }
    }

    /// A short phrase for messages: "a zip archive", "a PDF document", "text".
    pub fn describe(&self) -> &'static str {
        match self {
            Format::Csv => "CSV text",
            Format::Tsv => "tab-separated text",
            Format::Text => "text",
            Format::Log => "a log",
            Format::Listing => "a listing",
            Format::Code => "program code",
            Format::Markdown => "Markdown text",
            Format::Json => "JSON text",
            Format::Xml => "XML text",
            Format::Html => "HTML text",
            Format::Svg => "an SVG image",
            Format::Notebook => "a Jupyter notebook",
            Format::Xlsx => "an Excel workbook (xlsx)",
            Format::Xls => "a legacy Excel workbook (xls)",
            Format::Ods => "an OpenDocument spreadsheet",
            Format::Docx => "a Word document (docx)",
            Format::Doc => "a legacy Word document (doc)",
            Format::Odt => "an OpenDocument text document",
            Format::Pptx => "a PowerPoint presentation (pptx)",
            Format::Ppt => "a legacy PowerPoint presentation (ppt)",
            Format::Rtf => "RTF text",
            Format::Pdf => "a PDF document",
            Format::Png => "a PNG image",
            Format::Jpeg => "a JPEG image",
            Format::Gif => "a GIF image",
            Format::Tiff => "a TIFF image",
            Format::Webp => "a WebP image",
            Format::Bmp => "a BMP image",
            Format::Zip => "a zip archive",
            Format::Gzip => "a gzip archive",
            Format::Bzip2 => "a bzip2 archive",
            Format::Xz => "an xz archive",
            Format::Tar => "a tar archive",
            Format::SevenZip => "a 7z archive",
            Format::Rar => "a RAR archive",
            Format::Sas7bdat => "a SAS data set",
            Format::SasCatalog => "a SAS catalog",
            Format::StataDta => "a Stata data set",
            Format::SpssSav => "an SPSS data file",
            Format::SpssPor => "an SPSS portable data file",
            Format::RData => "an R data file",
            Format::Parquet => "a Parquet data file",
            Format::Arrow => "an Arrow data file",
            Format::Feather => "a Feather data file",
            Format::Sqlite => "a SQLite database",
            Format::Hdf5 => "an HDF5 data file",
            Format::Executable => "an executable",
            Format::UnknownBinary => "binary data of no known format",
        }
    }

    /// A text format: any of these under any text extension is not a mismatch.
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            Format::Csv
                | Format::Tsv
                | Format::Text
                | Format::Log
                | Format::Listing
                | Format::Code
                | Format::Markdown
                | Format::Json
                | Format::Xml
                | Format::Html
                | Format::Svg
                | Format::Notebook
                | Format::Rtf
        )
    }

    fn is_zip_based(&self) -> bool {
        matches!(
            self,
            Format::Zip | Format::Xlsx | Format::Docx | Format::Pptx | Format::Ods | Format::Odt
        )
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Detects the format of a file.
///
/// `head` is the first up to 64 KiB of the file (fewer if the file is shorter); `name` is the
/// file name with its extension (a path is accepted; only the last component is used). For zip
/// containers, `zip_names` are the member names if the caller could list them; without them the
/// local file headers inside `head` are read instead.
pub fn detect(name: &str, head: &[u8], zip_names: Option<&[String]>) -> Detected {
    let name = Name::new(name);
    let (format, note) = by_content(&name, head, zip_names);
    let mismatch = match note {
        Some(note) => Some(note),
        None => mismatch(&name, format, head.is_empty()),
    };
    Detected { format, mismatch }
}

// ---------------------------------------------------------------------------------------------
// Names.

struct Name {
    /// The last path component, lower-cased.
    lower: String,
    /// The extension, lower-cased, without the dot ("" when there is none).
    ext: String,
}

impl Name {
    fn new(name: &str) -> Name {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let lower = base.to_lowercase();
        let ext = match lower.rfind('.') {
            Some(i) if i + 1 < lower.len() => lower[i + 1..].to_owned(),
            _ => String::new(),
        };
        Name { lower, ext }
    }

    fn ext_is(&self, exts: &[&str]) -> bool {
        exts.contains(&self.ext.as_str())
    }

    /// The extension as written for messages: ".csv", ".Rout.save", or the whole name when it
    /// has no extension ("makefile").
    fn shown_ext(&self) -> String {
        if self.lower.ends_with(".rout.save") {
            ".Rout.save".to_owned()
        } else if self.ext.is_empty() {
            self.lower.clone()
        } else {
            format!(".{}", self.ext)
        }
    }

    /// What the name claims the file is, if the extension is one we know.
    fn claim(&self) -> Option<Format> {
        if let Some(f) = text_by_name(self) {
            return Some(f);
        }
        let f = match self.ext.as_str() {
            "xlsx" | "xlsm" | "xltx" | "xltm" => Format::Xlsx,
            "xls" | "xlt" => Format::Xls,
            "ods" | "ots" => Format::Ods,
            "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
            "doc" | "dot" => Format::Doc,
            "odt" | "ott" => Format::Odt,
            "pptx" | "pptm" => Format::Pptx,
            "ppt" | "pot" => Format::Ppt,
            "pdf" => Format::Pdf,
            "png" => Format::Png,
            "jpg" | "jpeg" | "jpe" | "jfif" => Format::Jpeg,
            "gif" => Format::Gif,
            "tif" | "tiff" => Format::Tiff,
            "webp" => Format::Webp,
            "bmp" | "dib" => Format::Bmp,
            "zip" => Format::Zip,
            "gz" | "tgz" => Format::Gzip,
            "bz2" | "tbz2" | "tbz" => Format::Bzip2,
            "xz" | "txz" => Format::Xz,
            "tar" => Format::Tar,
            "7z" => Format::SevenZip,
            "rar" => Format::Rar,
            "sas7bdat" => Format::Sas7bdat,
            "sas7bcat" => Format::SasCatalog,
            "dta" => Format::StataDta,
            "sav" | "zsav" => Format::SpssSav,
            "por" => Format::SpssPor,
            "rds" | "rda" | "rdata" => Format::RData,
            "parquet" => Format::Parquet,
            "arrow" | "ipc" => Format::Arrow,
            "feather" => Format::Feather,
            "sqlite" | "sqlite3" | "db3" => Format::Sqlite,
            "h5" | "hdf5" | "hdf" | "he5" => Format::Hdf5,
            "exe" | "dll" | "so" | "dylib" | "class" | "wasm" => Format::Executable,
            _ => return None,
        };
        Some(f)
    }
}

/// The text format a name says, if it is a text name.
fn text_by_name(name: &Name) -> Option<Format> {
    if name.lower.ends_with(".rout.save") {
        return Some(Format::Log);
    }
    if matches!(
        name.lower.as_str(),
        ".rhistory"
            | ".rprofile"
            | "makefile"
            | "gnumakefile"
            | "dockerfile"
            | "containerfile"
            | "justfile"
            | ".justfile"
            | "snakefile"
            | "jenkinsfile"
            | "rakefile"
    ) {
        return Some(Format::Code);
    }
    let f = match name.ext.as_str() {
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        "txt" | "text" | "dat" => Format::Text,
        "log" | "smcl" | "rout" => Format::Log,
        "lst" | "out" => Format::Listing,
        "sas" | "do" | "ado" | "r" | "rmd" | "qmd" | "py" | "sql" | "sps" | "jl" | "m" | "sh"
        | "bash" | "zsh" | "ps1" | "bat" | "cmd" | "pl" | "rb" | "js" | "c" | "h" | "cpp"
        | "hpp" | "java" | "scala" | "go" | "rs" | "stan" | "inp" | "rhistory" | "rprofile"
        | "toml" | "yaml" | "yml" | "ini" | "cfg" | "lua" | "css" | "scss" | "less" | "mk"
        | "smk" | "nf" | "wdl" | "ts" | "tsx" | "jsx" | "mjs" | "cjs" | "php" | "swift" | "kt"
        | "f90" | "f95" | "pyx" | "just" => Format::Code,
        "md" | "markdown" | "rst" => Format::Markdown,
        "json" | "geojson" => Format::Json,
        "ipynb" => Format::Notebook,
        "html" | "htm" | "xhtml" => Format::Html,
        "svg" => Format::Svg,
        "xml" => Format::Xml,
        "rtf" => Format::Rtf,
        _ => return None,
    };
    Some(f)
}

// ---------------------------------------------------------------------------------------------
// Content.

const SAS_MAGIC: [u8; 32] = [
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC2, 0xEA, 0x81, 0x60,
    0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92, 0x08, 0x00, 0x09, 0xC7, 0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11,
];
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const HDF5_MAGIC: &[u8] = b"\x89HDF\r\n\x1a\n";
const R_EXTS: &[&str] = &["rds", "rda", "rdata"];

/// The format by content, and a note that overrides the generic mismatch message.
fn by_content(name: &Name, head: &[u8], zip_names: Option<&[String]>) -> (Format, Option<String>) {
    if let Some(f) = binary_magic(name, head) {
        return (f, None);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return (zip_kind(name, head, zip_names), None);
    }
    if head.starts_with(&CFB_MAGIC) {
        return cfb_kind(name, head);
    }
    // SPSS portable files are text with a character table that may hold control bytes.
    if contains(&head[..head.len().min(512)], b"SPSS PORT FILE") {
        return (Format::SpssPor, None);
    }
    match text_view(head) {
        Some(text) => (text_kind(name, &text), None),
        None => (Format::UnknownBinary, None),
    }
}

fn binary_magic(name: &Name, head: &[u8]) -> Option<Format> {
    let starts = |m: &[u8]| head.starts_with(m);
    let f = if starts(&SAS_MAGIC) {
        if name.ext == "sas7bcat" {
            Format::SasCatalog
        } else {
            Format::Sas7bdat
        }
    } else if starts(b"%PDF-") {
        Format::Pdf
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if starts(b"\xFF\xD8\xFF") {
        Format::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Format::Gif
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        Format::Tiff
    } else if starts(b"RIFF") && head.get(8..12) == Some(&b"WEBP"[..]) {
        Format::Webp
    } else if is_bmp(head) {
        Format::Bmp
    } else if starts(b"\x1F\x8B") {
        if name.ext_is(R_EXTS) {
            Format::RData
        } else {
            Format::Gzip
        }
    } else if starts(b"BZh") && head.len() > 3 && head[3].is_ascii_digit() {
        // bzip2 and xz are also R's other `save()` compressions.
        if name.ext_is(R_EXTS) {
            Format::RData
        } else {
            Format::Bzip2
        }
    } else if starts(b"\xFD7zXZ\0") {
        if name.ext_is(R_EXTS) {
            Format::RData
        } else {
            Format::Xz
        }
    } else if starts(b"7z\xBC\xAF\x27\x1C") {
        Format::SevenZip
    } else if starts(b"Rar!\x1A\x07") {
        Format::Rar
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Format::Tar
    } else if starts(b"SQLite format 3\0") {
        Format::Sqlite
    } else if starts(b"PAR1") {
        Format::Parquet
    } else if starts(b"ARROW1") {
        if name.ext == "feather" {
            Format::Feather
        } else {
            Format::Arrow
        }
    } else if starts(b"FEA1") {
        Format::Feather
    } else if is_hdf5(head) {
        Format::Hdf5
    } else if starts(b"<stata_dta>") || is_old_stata(name, head) {
        Format::StataDta
    } else if starts(b"$FL2") || starts(b"$FL3") {
        Format::SpssSav
    } else if is_r_serialization(name, head) {
        Format::RData
    } else if starts(b"\x7FELF")
        || starts(b"\xFE\xED\xFA\xCE")
        || starts(b"\xFE\xED\xFA\xCF")
        || starts(b"\xCE\xFA\xED\xFE")
        || starts(b"\xCF\xFA\xED\xFE")
        // Mach-O fat binary or Java class file: both executable code.
        || starts(b"\xCA\xFE\xBA\xBE")
        || starts(b"\0asm")
        || is_pe(head)
    {
        Format::Executable
    } else {
        return None;
    };
    Some(f)
}

fn is_bmp(head: &[u8]) -> bool {
    if head.len() < 26 || !head.starts_with(b"BM") {
        return false;
    }
    let u32_at = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let file_size = u32_at(2) as usize;
    let pixel_offset = u32_at(10) as usize;
    let dib = u32_at(14);
    head[6..10].iter().all(|&b| b == 0)
        && matches!(dib, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
        && pixel_offset >= 14 + dib as usize
        // Some writers leave the size 0; otherwise it must cover the pixel data's start.
        && (file_size == 0 || file_size >= pixel_offset)
}

fn is_hdf5(head: &[u8]) -> bool {
    // The superblock sits at 0, 512, 1024, 2048, … (a user block may precede it, as in
    // MATLAB v7.3 files).
    let mut offset = 0usize;
    loop {
        if head.len() < offset + HDF5_MAGIC.len() {
            return false;
        }
        if &head[offset..offset + HDF5_MAGIC.len()] == HDF5_MAGIC {
            return true;
        }
        offset = if offset == 0 { 512 } else { offset * 2 };
    }
}

fn is_old_stata(name: &Name, head: &[u8]) -> bool {
    // Binary .dta before format 117: release byte, byte order (1 = MSF, 2 = LSF), filetype 1.
    name.ext == "dta"
        && head.len() >= 4
        && (0x66..=0x73).contains(&head[0])
        && matches!(head[1], 1 | 2)
        && head[2] == 1
}

fn is_r_serialization(name: &Name, head: &[u8]) -> bool {
    let starts = |m: &[u8]| head.starts_with(m);
    // `save()` without compression.
    if starts(b"RDX2\n") || starts(b"RDX3\n") || starts(b"RDA2\n") || starts(b"RDA3\n") {
        return true;
    }
    if starts(b"RDB2\n") || starts(b"RDB3\n") {
        return true;
    }
    // `saveRDS(compress = FALSE)`: XDR ("X\n") with a binary version word is unmistakable;
    // the ASCII ("A\n") and native ("B\n") forms need the name.
    if starts(b"X\n\0\0\0\x02") || starts(b"X\n\0\0\0\x03") {
        return true;
    }
    name.ext_is(R_EXTS) && (starts(b"X\n") || starts(b"A\n") || starts(b"B\n"))
}

fn is_pe(head: &[u8]) -> bool {
    if !head.starts_with(b"MZ") || head.len() < 64 {
        return false;
    }
    let lfanew = u32::from_le_bytes([head[0x3C], head[0x3D], head[0x3E], head[0x3F]]) as usize;
    match head.get(lfanew..lfanew.saturating_add(4)) {
        Some(sig) => sig == b"PE\0\0",
        // Header beyond the head, or a plain DOS program: binary bytes make it an executable.
        None => head.contains(&0),
    }
}

fn zip_kind(name: &Name, head: &[u8], zip_names: Option<&[String]>) -> Format {
    let from_head;
    let names: &[String] = match zip_names {
        Some(names) => names,
        None => {
            from_head = local_header_names(head);
            &from_head
        }
    };
    let has_prefix = |p: &str| names.iter().any(|n| n.starts_with(p));
    let content_types = names.iter().any(|n| n == "[Content_Types].xml");
    if content_types || zip_names.is_none() {
        // In the head the content types part may come after the first parts, so trust the
        // folder names there; a listed archive must have the content types part.
        if has_prefix("xl/") {
            return Format::Xlsx;
        }
        if has_prefix("word/") {
            return Format::Docx;
        }
        if has_prefix("ppt/") {
            return Format::Pptx;
        }
    }
    // ODF: an uncompressed `mimetype` member first, its content right after the local header.
    let odf = b"application/vnd.oasis.opendocument.";
    if let Some(i) = find(&head[..head.len().min(4096)], odf) {
        let rest = &head[i + odf.len()..];
        if rest.starts_with(b"spreadsheet") {
            return Format::Ods;
        }
        if rest.starts_with(b"text") {
            return Format::Odt;
        }
    }
    let office_claim = match name.claim() {
        Some(f @ (Format::Xlsx | Format::Docx | Format::Pptx | Format::Ods | Format::Odt)) => {
            Some(f)
        }
        _ => None,
    };
    if let Some(claim) = office_claim {
        let trust_name = match zip_names {
            // Only the head was seen: the telling parts may lie beyond it, so the name decides.
            None => true,
            // A listed ODF package whose `mimetype` member was not readable in the head.
            Some(names) => {
                matches!(claim, Format::Ods | Format::Odt)
                    && names.iter().any(|n| n == "mimetype")
                    && names.iter().any(|n| n == "content.xml")
            }
        };
        if trust_name {
            return claim;
        }
    }
    Format::Zip
}

/// Member names from the zip local file headers found in `head`.
fn local_header_names(head: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&head[at..], b"PK\x03\x04") {
        let start = at + i;
        at = start + 4;
        let Some(fixed) = head.get(start..start + 30) else {
            break;
        };
        let name_len = u16::from_le_bytes([fixed[26], fixed[27]]) as usize;
        if let Some(raw) = head.get(start + 30..start + 30 + name_len) {
            names.push(String::from_utf8_lossy(raw).into_owned());
        }
    }
    names
}

fn cfb_kind(name: &Name, head: &[u8]) -> (Format, Option<String>) {
    // Directory entries hold the stream name in UTF-16LE, NUL-terminated.
    let has = |s: &str| {
        let mut entry: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        entry.extend_from_slice(&[0, 0]);
        contains(head, &entry)
    };
    if has("EncryptedPackage") {
        let note = format!(
            "content is a password-protected Office package that cannot be inspected{}",
            match name.claim() {
                Some(_) => format!(", name says {}", name.shown_ext()),
                None => String::new(),
            }
        );
        return (Format::UnknownBinary, Some(note));
    }
    let streams = [
        (Format::Doc, has("WordDocument")),
        (Format::Ppt, has("PowerPoint Document")),
        (Format::Xls, has("Workbook") || has("Book")),
    ];
    let claim = name.claim();
    // The name's own format when its stream is there (a Word document may well contain the
    // word "Book"); else the first stream found; else the name.
    let format = streams
        .iter()
        .find(|(f, present)| *present && Some(*f) == claim)
        .or_else(|| streams.iter().find(|(_, present)| *present))
        .map(|(f, _)| *f)
        .unwrap_or(match claim {
            Some(f @ (Format::Xls | Format::Doc | Format::Ppt)) => f,
            _ => Format::UnknownBinary,
        });
    (format, None)
}

/// The head as text, if it is text: BOM or BOM-less UTF-16, or no NUL byte and at most 2 % other
/// control bytes (tab, line feed, carriage return, form feed and escape do not count).
fn text_view(head: &[u8]) -> Option<String> {
    /// How much of the head is decoded for the content rules, which look near the start.
    const VIEW: usize = 8 * 1024;
    if head.is_empty() {
        return Some(String::new());
    }
    let is_control =
        |c: u32| (c < 0x20 && !matches!(c, 0x09 | 0x0A | 0x0D | 0x0C | 0x1B)) || c == 0x7F;
    let encoding = decode::sniff_encoding(head);
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        let (text, _) = encoding.decode_with_bom_removal(head);
        let chars = text.chars().count();
        let control = text
            .chars()
            .filter(|&c| c == '\0' || c == '\u{FFFD}' || is_control(c as u32))
            .count();
        // A UTF-16 byte-order mark in front of binary data does not make it text.
        if control * 50 > chars {
            return None;
        }
        let view: String = text.chars().take(VIEW).collect();
        return Some(view);
    }
    if head.contains(&0) {
        return None;
    }
    let control = head.iter().filter(|&&b| is_control(u32::from(b))).count();
    if control * 50 > head.len() {
        return None;
    }
    let (text, _) = encoding.decode_with_bom_removal(&head[..head.len().min(VIEW)]);
    Some(text.into_owned())
}

/// How an RTF file starts.
const RTF_START: &str = "{\\rtf";
/// How a JSON object (a notebook) starts.
const JSON_OBJECT_START: char = '{';

/// The format of a text file, from how it starts and its name: RTF, HTML, SVG, a script, XML, a
/// notebook, delimited text under a binary name, else plain text.
fn text_kind(name: &Name, text: &str) -> Format {
    let start = text.trim_start_matches('\u{FEFF}').trim_start();
    let lower: String = start.chars().take(2048).collect::<String>().to_lowercase();

    if start.starts_with(RTF_START) {
        return Format::Rtf;
    }
    if let Some(f @ (Format::Html | Format::Svg | Format::Notebook)) = text_by_name(name) {
        return f;
    }
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Format::Html;
    }
    if lower.starts_with("<svg") || (markup_prologue(&lower) && lower.contains("<svg")) {
        return Format::Svg;
    }
    if start.starts_with("#!") {
        return Format::Code;
    }
    if let Some(f) = text_by_name(name) {
        return f;
    }
    if lower.starts_with("<?xml") {
        return Format::Xml;
    }
    if let Some(rest) = lower.strip_prefix(JSON_OBJECT_START) {
        if rest.trim_start().starts_with("\"cells\"") {
            return Format::Notebook;
        }
    }
    // Text under a binary name (a "workbook" that is a CSV export): tell delimited text apart,
    // so the right reader sees it. Unknown or missing extensions stay plain text.
    if name.claim().is_some() {
        if let Some(f) = delimited(start) {
            return f;
        }
    }
    Format::Text
}

/// CSV or TSV when the first lines (at least two) all hold the same number, at least one, of
/// one delimiter.
fn delimited(text: &str) -> Option<Format> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    if lines.len() < 2 {
        return None;
    }
    for (delimiter, format) in [('\t', Format::Tsv), (';', Format::Csv), (',', Format::Csv)] {
        let first = lines[0].matches(delimiter).count();
        if first > 0 && lines.iter().all(|l| l.matches(delimiter).count() == first) {
            return Some(format);
        }
    }
    None
}

/// Only an XML declaration, comments and a doctype before the first element.
fn markup_prologue(lower: &str) -> bool {
    lower.starts_with("<?xml") || lower.starts_with("<!--") || lower.starts_with("<!doctype svg")
}

// ---------------------------------------------------------------------------------------------
// Mismatch.

fn mismatch(name: &Name, detected: Format, empty: bool) -> Option<String> {
    let claim = name.claim()?;
    if empty || compatible(claim, detected) {
        return None;
    }
    Some(format!(
        "content is {}, name says {}",
        detected.describe(),
        name.shown_ext()
    ))
}

fn compatible(claim: Format, detected: Format) -> bool {
    if claim == detected || (claim.is_text() && detected.is_text()) {
        return true;
    }
    match claim {
        // Any zip package is a zip archive.
        Format::Zip => detected.is_zip_based(),
        Format::Arrow | Format::Feather => matches!(detected, Format::Arrow | Format::Feather),
        Format::Sas7bdat | Format::SasCatalog => {
            matches!(detected, Format::Sas7bdat | Format::SasCatalog)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Byte search.

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, head: &[u8]) -> Detected {
        detect(name, head, None)
    }

    fn fmt(name: &str, head: &[u8]) -> Format {
        d(name, head).format
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// A zip local file header for `name` followed by `data` (stored).
    fn local(name: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"PK\x03\x04".to_vec();
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&[0; 4]); // crc
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        out
    }

    fn zip_of(members: &[&str]) -> Vec<u8> {
        members.iter().flat_map(|m| local(m, b"<x/>")).collect()
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    fn cfb_with(stream: &str) -> Vec<u8> {
        let mut out = CFB_MAGIC.to_vec();
        out.resize(1024, 0);
        out.extend_from_slice(&utf16le(stream));
        out.extend_from_slice(&[0, 0]);
        out.resize(2048, 0);
        out
    }

    fn padded(prefix: &[u8], len: usize) -> Vec<u8> {
        let mut out = prefix.to_vec();
        out.resize(len.max(prefix.len()), 0);
        out
    }

    #[test]
    fn names_match_the_rules_file() {
        let rules: toml::Value = toml::from_str(include_str!("../rules/default.toml")).unwrap();
        let ft = &rules["file_types"];
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        for list in ["allowed", "blocked"] {
            for name in ft[list].as_array().unwrap() {
                let name = name.as_str().unwrap();
                assert!(known.contains(&name), "{name} from [file_types].{list}");
            }
        }
        let mut unique = known.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), known.len(), "format names are unique");
    }

    // -- zip containers ------------------------------------------------------------------------

    #[test]
    fn zip_by_listed_member_names() {
        let head = zip_of(&["[Content_Types].xml"]);
        let ooxml = |parts: &[&str]| {
            let mut all = vec!["[Content_Types].xml", "_rels/.rels"];
            all.extend_from_slice(parts);
            names(&all)
        };
        let case = |name: &str, members: Vec<String>| detect(name, &head, Some(&members)).format;
        assert_eq!(case("a.xlsx", ooxml(&["xl/workbook.xml"])), Format::Xlsx);
        assert_eq!(case("a.docx", ooxml(&["word/document.xml"])), Format::Docx);
        assert_eq!(
            case("a.pptx", ooxml(&["ppt/presentation.xml"])),
            Format::Pptx
        );
        assert_eq!(case("a.zip", names(&["t1.csv", "t2.csv"])), Format::Zip);
        // `xl/` without the content types part is not a workbook.
        assert_eq!(case("a.zip", names(&["xl/workbook.xml"])), Format::Zip);
        // Content wins over the name.
        assert_eq!(case("a.zip", ooxml(&["xl/workbook.xml"])), Format::Xlsx);
    }

    #[test]
    fn zip_by_local_headers_in_head() {
        let xlsx = zip_of(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]);
        assert_eq!(fmt("report.xlsx", &xlsx), Format::Xlsx);
        assert_eq!(fmt("report", &xlsx), Format::Xlsx);
        // openpyxl writes docProps first and the content types part last.
        let openpyxl = zip_of(&["docProps/app.xml", "xl/worksheets/sheet1.xml"]);
        assert_eq!(fmt("x.xlsx", &openpyxl), Format::Xlsx);
        let docx = zip_of(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(fmt("paper.docx", &docx), Format::Docx);
        let pptx = zip_of(&["[Content_Types].xml", "ppt/slides/slide1.xml"]);
        assert_eq!(fmt("talk.pptx", &pptx), Format::Pptx);
        let plain = zip_of(&["tables/t1.csv"]);
        assert_eq!(fmt("tables.zip", &plain), Format::Zip);
        // Only the head was seen: an office extension decides.
        assert_eq!(fmt("big.xlsx", &plain), Format::Xlsx);
    }

    #[test]
    fn empty_zip() {
        let head = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(d("empty.zip", head).format, Format::Zip);
        assert_eq!(d("empty.zip", head).mismatch, None);
        // Listed and empty, named as a workbook: a zip, and the name is wrong.
        let got = detect("book.xlsx", head, Some(&[]));
        assert_eq!(got.format, Format::Zip);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is a zip archive, name says .xlsx")
        );
    }

    #[test]
    fn odf_by_mimetype() {
        let ods = local(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        );
        assert_eq!(fmt("t.ods", &ods), Format::Ods);
        assert_eq!(fmt("t.zip", &ods), Format::Ods);
        assert_eq!(d("t.zip", &ods).mismatch, None);
        let odt = local("mimetype", b"application/vnd.oasis.opendocument.text");
        assert_eq!(fmt("t.odt", &odt), Format::Odt);
        let listed = names(&["mimetype", "content.xml"]);
        assert_eq!(detect("t.odt", &odt, Some(&listed)).format, Format::Odt);
        // Listed ODF package whose mimetype is not readable in the head: the name decides.
        let compressed = local("mimetype", b"\x01\x02\x03");
        assert_eq!(
            detect("t.ods", &compressed, Some(&listed)).format,
            Format::Ods
        );
        assert_eq!(
            detect("t.zip", &compressed, Some(&listed)).format,
            Format::Zip
        );
    }

    // -- OLE compound files --------------------------------------------------------------------

    #[test]
    fn cfb_by_stream_names_then_extension() {
        assert_eq!(fmt("t.xls", &cfb_with("Workbook")), Format::Xls);
        assert_eq!(fmt("t", &cfb_with("Book")), Format::Xls);
        assert_eq!(fmt("t.doc", &cfb_with("WordDocument")), Format::Doc);
        assert_eq!(fmt("t.ppt", &cfb_with("PowerPoint Document")), Format::Ppt);
        let anonymous = padded(&CFB_MAGIC, 512);
        assert_eq!(fmt("t.xls", &anonymous), Format::Xls);
        assert_eq!(fmt("t.doc", &anonymous), Format::Doc);
        assert_eq!(fmt("t.msg", &anonymous), Format::UnknownBinary);
        let wrong = d("t.xls", &cfb_with("WordDocument"));
        assert_eq!(wrong.format, Format::Doc);
        assert!(wrong.mismatch.is_some());
    }

    #[test]
    fn cfb_prefers_the_named_stream() {
        let mut doc = cfb_with("Book");
        doc.extend_from_slice(&utf16le("WordDocument\0"));
        assert_eq!(fmt("t.doc", &doc), Format::Doc);
        assert_eq!(fmt("t", &doc), Format::Doc);
    }

    #[test]
    fn utf16_bom_before_binary_is_binary() {
        let mut head = vec![0xFF, 0xFE];
        head.extend([0u8, 0, 1, 0, 2, 0, 0, 0, 0x41, 0].repeat(100));
        assert_eq!(fmt("x", &head), Format::UnknownBinary);
    }

    #[test]
    fn encrypted_office_package() {
        let got = d("secret.xlsx", &cfb_with("EncryptedPackage"));
        assert_eq!(got.format, Format::UnknownBinary);
        let note = got.mismatch.unwrap();
        assert!(note.contains("password-protected"), "{note}");
        assert!(note.ends_with("name says .xlsx"), "{note}");
    }

    // -- documents, images, archives -----------------------------------------------------------

    #[test]
    fn document_and_image_magic() {
        assert_eq!(fmt("a.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Format::Pdf);
        assert_eq!(fmt("a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Format::Png);
        assert_eq!(fmt("a.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"), Format::Jpeg);
        assert_eq!(fmt("a.jpeg", b"\xFF\xD8\xFF\xE1\0\x10Exif"), Format::Jpeg);
        assert_eq!(fmt("a.gif", b"GIF87a\x01\0\x01\0"), Format::Gif);
        assert_eq!(fmt("a.gif", b"GIF89a\x01\0\x01\0"), Format::Gif);
        assert_eq!(fmt("a.tif", b"II*\0\x08\0\0\0"), Format::Tiff);
        assert_eq!(fmt("a.tiff", b"MM\0*\0\0\0\x08"), Format::Tiff);
        assert_eq!(fmt("a.webp", b"RIFF\x1a\0\0\0WEBPVP8L"), Format::Webp);
        // A RIFF file that is not WebP (a WAV sound) is not an image.
        assert_ne!(fmt("a.webp", b"RIFF\x1a\0\0\0WAVEfmt "), Format::Webp);
    }

    fn bmp(file_size: u32, dib: u32, offset: u32) -> Vec<u8> {
        let mut out = b"BM".to_vec();
        out.extend_from_slice(&file_size.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&dib.to_le_bytes());
        out.extend_from_slice(&[1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0]);
        out.resize(file_size as usize, 0);
        out
    }

    #[test]
    fn bmp_with_size_sanity() {
        assert_eq!(fmt("a.bmp", &bmp(58, 40, 54)), Format::Bmp);
        assert_eq!(fmt("a.bmp", &bmp(138, 124, 138)), Format::Bmp);
        // Pixel data inside the header: not a BMP.
        assert_ne!(fmt("a.bmp", &bmp(58, 40, 20)), Format::Bmp);
        // Text that happens to start with "BM".
        let text = b"BMI,Count\n18.5-25,120\n25-30,85\n30+,40\n";
        assert_eq!(fmt("bmi.csv", text), Format::Csv);
    }

    #[test]
    fn archive_magic() {
        assert_eq!(fmt("a.gz", b"\x1F\x8B\x08\0\0\0\0\0\0\x03"), Format::Gzip);
        assert_eq!(fmt("a.tar.gz", b"\x1F\x8B\x08\0\0\0\0\0"), Format::Gzip);
        assert_eq!(fmt("a.7z", b"7z\xBC\xAF\x27\x1C\0\x04"), Format::SevenZip);
        assert_eq!(fmt("a.rar", b"Rar!\x1A\x07\0\xCF"), Format::Rar);
        assert_eq!(fmt("a.rar", b"Rar!\x1A\x07\x01\0"), Format::Rar);
        let mut tar = padded(b"tables/t1.csv", 512);
        tar[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(fmt("a.tar", &tar), Format::Tar);
        tar[257..265].copy_from_slice(b"ustar  \0");
        assert_eq!(fmt("a.tar", &tar), Format::Tar);
        // bzip2 / xz that are not R files are archives.
        assert_eq!(fmt("a.bz2", b"BZh91AY&SY"), Format::Bzip2);
        assert_eq!(fmt("a.tar.bz2", b"BZh91AY&SY"), Format::Bzip2);
        assert_eq!(fmt("a.xz", b"\xFD7zXZ\0\0\x04"), Format::Xz);
        assert_eq!(fmt("a.txz", b"\xFD7zXZ\0\0\x04"), Format::Xz);
    }

    // -- data sets -----------------------------------------------------------------------------

    #[test]
    fn statistical_data_sets() {
        let sas = padded(&SAS_MAGIC, 1024);
        assert_eq!(fmt("cohort.sas7bdat", &sas), Format::Sas7bdat);
        assert_eq!(fmt("formats.sas7bcat", &sas), Format::SasCatalog);
        assert_eq!(fmt("cohort", &sas), Format::Sas7bdat);

        assert_eq!(
            fmt("x.dta", b"<stata_dta><header><release>118</release>"),
            Format::StataDta
        );
        assert_eq!(fmt("x", b"<stata_dta><header>"), Format::StataDta);
        for release in [0x71u8, 0x72, 0x73] {
            for order in [1u8, 2] {
                let old = padded(&[release, order, 1, 0, 3, 0], 200);
                assert_eq!(fmt("old.dta", &old), Format::StataDta);
                assert_eq!(fmt("old.bin", &old), Format::UnknownBinary);
            }
        }

        assert_eq!(
            fmt("x.sav", &padded(b"$FL2@(#) SPSS DATA FILE", 200)),
            Format::SpssSav
        );
        assert_eq!(
            fmt("x.zsav", &padded(b"$FL3@(#) SPSS DATA FILE", 200)),
            Format::SpssSav
        );
        let mut por = b"ASCII SPSS PORT FILE                    ".repeat(5);
        por.extend_from_slice(&[0x01, 0x02, 0x03, 0x04, 0x05].repeat(40));
        por.extend_from_slice(b"SPSSPORT");
        assert_eq!(fmt("x.por", &por), Format::SpssPor);
        assert_eq!(d("x.por", &por).mismatch, None);
    }

    #[test]
    fn r_data_files() {
        let gzip = b"\x1F\x8B\x08\0\0\0\0\0\0\x03";
        assert_eq!(fmt("model.rds", gzip), Format::RData);
        assert_eq!(fmt("ws.RData", gzip), Format::RData);
        assert_eq!(fmt("ws.rda", gzip), Format::RData);
        assert_eq!(fmt("ws.rda", b"BZh91AY&SY"), Format::RData);
        assert_eq!(fmt("ws.rds", b"\xFD7zXZ\0\0\x04"), Format::RData);
        assert_eq!(fmt("ws", b"RDX2\nX\n\0\0\0\x02"), Format::RData);
        assert_eq!(fmt("ws", b"RDX3\nX\n\0\0\0\x03"), Format::RData);
        assert_eq!(fmt("x", b"X\n\0\0\0\x03\0\x04\x02\0"), Format::RData);
        assert_eq!(fmt("x.rds", b"A\n3\n263426\n197888\n"), Format::RData);
        assert_eq!(fmt("x.rds", b"B\n\x03\0\0\0"), Format::RData);
        // ASCII serialization needs the name: otherwise it is just text.
        assert_eq!(fmt("x.txt", b"A\n3\n263426\n197888\n"), Format::Text);
    }

    #[test]
    fn columnar_and_database_magic() {
        assert_eq!(
            fmt("t.db", &padded(b"SQLite format 3\0", 100)),
            Format::Sqlite
        );
        assert_eq!(fmt("t.parquet", b"PAR1\x15\x04\x15"), Format::Parquet);
        assert_eq!(fmt("t.arrow", b"ARROW1\0\0\xFF\xFF"), Format::Arrow);
        assert_eq!(fmt("t.feather", b"ARROW1\0\0\xFF\xFF"), Format::Feather);
        assert_eq!(fmt("t.feather", b"FEA1\0\0\0\0"), Format::Feather);
        assert_eq!(fmt("t.h5", b"\x89HDF\r\n\x1a\n\0\0"), Format::Hdf5);
        // MATLAB v7.3: HDF5 after a 512-byte user block.
        let mut mat = padded(b"MATLAB 7.3 MAT-file", 512);
        mat.extend_from_slice(b"\x89HDF\r\n\x1a\n\0\0\0\0");
        assert_eq!(fmt("w.mat", &mat), Format::Hdf5);
    }

    // -- executables and scripts ---------------------------------------------------------------

    #[test]
    fn executables() {
        assert_eq!(fmt("a", b"\x7FELF\x02\x01\x01\0"), Format::Executable);
        let mut pe = padded(b"MZ\x90\0", 0x48);
        pe[0x3C] = 0x40;
        pe[0x40..0x44].copy_from_slice(b"PE\0\0");
        assert_eq!(fmt("a.exe", &pe), Format::Executable);
        for magic in [
            b"\xFE\xED\xFA\xCE",
            b"\xFE\xED\xFA\xCF",
            b"\xCE\xFA\xED\xFE",
            b"\xCF\xFA\xED\xFE",
            b"\xCA\xFE\xBA\xBE",
        ] {
            assert_eq!(fmt("a", &padded(magic, 32)), Format::Executable);
        }
        assert_eq!(
            fmt("Main.class", b"\xCA\xFE\xBA\xBE\0\0\0\x34"),
            Format::Executable
        );
        // Text starting with "MZ" is not a program.
        let text = "MZ;Antal\n".repeat(10);
        assert_eq!(fmt("mz.csv", text.as_bytes()), Format::Csv);
    }

    #[test]
    fn shebang_is_code() {
        assert_eq!(fmt("run", b"#!/bin/sh\necho hi\n"), Format::Code);
        assert_eq!(fmt("run.txt", b"#!/usr/bin/env Rscript\n"), Format::Code);
    }

    // -- text ----------------------------------------------------------------------------------

    #[test]
    fn text_by_extension() {
        let body = b"a;b\n1;2\n";
        let cases: &[(&str, Format)] = &[
            ("t.csv", Format::Csv),
            ("T.CSV", Format::Csv),
            ("t.tsv", Format::Tsv),
            ("t.tab", Format::Tsv),
            ("run.log", Format::Log),
            ("run.smcl", Format::Log),
            ("run.Rout", Format::Log),
            ("run.Rout.save", Format::Log),
            ("run.lst", Format::Listing),
            ("run.out", Format::Listing),
            ("a.sas", Format::Code),
            ("a.do", Format::Code),
            ("a.ado", Format::Code),
            ("a.R", Format::Code),
            ("a.r", Format::Code),
            ("a.Rmd", Format::Code),
            ("a.qmd", Format::Code),
            ("a.py", Format::Code),
            ("a.sql", Format::Code),
            ("a.sps", Format::Code),
            ("a.jl", Format::Code),
            ("a.m", Format::Code),
            ("a.sh", Format::Code),
            (".Rhistory", Format::Code),
            ("justfile", Format::Code),
            ("Snakefile", Format::Code),
            ("filter.lua", Format::Code),
            ("site.css", Format::Code),
            ("README.md", Format::Markdown),
            ("a.json", Format::Json),
            ("a.xml", Format::Xml),
            ("a.html", Format::Html),
            ("a.htm", Format::Html),
            ("a.svg", Format::Svg),
            ("a.ipynb", Format::Notebook),
            ("a.rtf", Format::Rtf),
            ("a.txt", Format::Text),
            ("a.weird", Format::Text),
            ("noext", Format::Text),
            ("dir/sub/t.csv", Format::Csv),
        ];
        for (name, want) in cases {
            let got = d(name, body);
            assert_eq!(got.format, *want, "{name}");
            assert_eq!(got.mismatch, None, "{name}");
        }
    }

    #[test]
    fn text_by_content() {
        assert_eq!(
            fmt("page.txt", b"<!DOCTYPE html>\n<html><body>"),
            Format::Html
        );
        assert_eq!(fmt("page", b"  <HTML lang=\"da\">"), Format::Html);
        assert_eq!(
            fmt("fig.txt", b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Format::Svg
        );
        assert_eq!(
            fmt(
                "fig",
                b"<?xml version=\"1.0\"?>\n<!-- Created with matplotlib -->\n<svg>"
            ),
            Format::Svg
        );
        assert_eq!(fmt("x.xml", b"<svg xmlns=\"x\"></svg>"), Format::Svg);
        assert_eq!(fmt("a.xml", b"<?xml version=\"1.0\"?><root/>"), Format::Xml);
        assert_eq!(fmt("a", b"<?xml version=\"1.0\"?><root/>"), Format::Xml);
        assert_eq!(fmt("t.doc.txt", b"{\\rtf1\\ansi hello}"), Format::Rtf);
        assert_eq!(
            fmt("nb", b"{\n \"cells\": [\n  {\"cell_type\": \"code\"}"),
            Format::Notebook
        );
        // A `.txt` holding CSV is still text, and not a mismatch.
        let got = d("table.txt", b"a,b\n1,2\n");
        assert_eq!((got.format, got.mismatch), (Format::Text, None));
        // HTML under `.csv` is text under a text name.
        assert_eq!(d("x.csv", b"<html></html>").mismatch, None);
    }

    #[test]
    fn utf16_and_legacy_text() {
        let mut le = vec![0xFF, 0xFE];
        le.extend_from_slice(&utf16le("Kommune;Antal\nKøbenhavn;12\n"));
        assert_eq!(fmt("t.csv", &le), Format::Csv);
        assert_eq!(
            fmt("t.txt", &utf16le("Kommune;Antal\nÅrhus;7\n")),
            Format::Text
        );
        let be: Vec<u8> = "<html><body>x</body></html>"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(fmt("page", &be), Format::Html);
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode("Kommune;Antal\nKøbenhavn;12\n");
        assert_eq!(fmt("t.csv", &cp1252), Format::Csv);
        assert_eq!(fmt("t", &cp1252), Format::Text);
    }

    #[test]
    fn control_bytes_ratio() {
        let mut text = "line of a Stata log\n".repeat(50).into_bytes();
        text[100] = 0x07;
        text[500] = 0x1A;
        assert_eq!(fmt("run.log", &text), Format::Log);
        let binary: Vec<u8> = (1u8..=31).cycle().take(400).collect();
        assert_eq!(fmt("data", &binary), Format::UnknownBinary);
        assert_eq!(fmt("data.bin", b"abc\0def"), Format::UnknownBinary);
    }

    #[test]
    fn empty_file() {
        assert_eq!(
            d("t.csv", b""),
            Detected {
                format: Format::Csv,
                mismatch: None
            }
        );
        assert_eq!(d("x", b"").format, Format::Text);
        assert_eq!(d("x.png", b"").mismatch, None);
    }

    // -- mismatch ------------------------------------------------------------------------------

    #[test]
    fn mismatches() {
        let zip = zip_of(&["t1.csv"]);
        let got = d("results.csv", &zip);
        assert_eq!(got.format, Format::Zip);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is a zip archive, name says .csv")
        );

        let got = d("table.txt", &padded(b"SQLite format 3\0", 100));
        assert_eq!(got.format, Format::Sqlite);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is a SQLite database, name says .txt")
        );

        let got = d("figure.png", b"%PDF-1.4\n");
        assert_eq!(got.format, Format::Pdf);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is a PDF document, name says .png")
        );

        let got = d("table.xlsx", b"Kommune;Antal\nAarhus;7\n");
        assert_eq!(got.format, Format::Csv);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is CSV text, name says .xlsx")
        );
        let got = d("export.xls", b"Kommune\tAntal\nAarhus\t7\n");
        assert_eq!(got.format, Format::Tsv);
        assert!(got.mismatch.is_some());
        let got = d("export.xls", b"<html><table></table></html>");
        assert_eq!(got.format, Format::Html);
        assert_eq!(
            got.mismatch.as_deref(),
            Some("content is HTML text, name says .xls")
        );
        assert_eq!(
            d("notes.pdf", b"just words\n").mismatch.as_deref(),
            Some("content is text, name says .pdf")
        );

        let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert!(d("data.csv", &xlsx).mismatch.unwrap().contains("Excel"));
        assert!(d("x.csv", &padded(&SAS_MAGIC, 64)).mismatch.is_some());
        assert!(d("x.csv", b"\0\x01\x02\x03").mismatch.is_some());
        assert!(d("x.png", b"\0\x01\x02\x03").mismatch.is_some());
        assert!(d("x.rds", b"just some words\n").mismatch.is_some());
        assert!(d("x.dta", b"just some words\n").mismatch.is_some());

        // No claim, or a compatible one: no mismatch.
        assert_eq!(d("dump", &padded(b"SQLite format 3\0", 100)).mismatch, None);
        assert_eq!(d("x.weird", b"\0\x01\x02").mismatch, None);
        assert_eq!(d("a.zip", &xlsx).mismatch, None);
        assert_eq!(d("a.tgz", b"\x1F\x8B\x08\0").mismatch, None);
        assert_eq!(d("a.feather", b"ARROW1\0\0").mismatch, None);
        assert_eq!(d("a.arrow", b"ARROW1\0\0").mismatch, None);
        assert_eq!(d("a.json", b"<html>").mismatch, None);
        assert_eq!(d("a.R", b"x <- 1\n").mismatch, None);
    }

    #[test]
    fn never_panics_on_random_bytes() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let file_names = [
            "a.csv",
            "a.xlsx",
            "a.rds",
            "a.dta",
            "a.sas7bcat",
            "a",
            ".x",
            "a.",
            "a.Rout.save",
        ];
        let prefixes: [&[u8]; 8] = [
            b"",
            b"PK\x03\x04",
            b"PK\x05\x06",
            &CFB_MAGIC,
            b"BM",
            b"MZ",
            b"\xFF\xFE",
            b"{",
        ];
        for len in [0usize, 1, 2, 3, 7, 30, 64, 300, 5000] {
            for prefix in prefixes {
                for file_name in file_names {
                    let mut head = prefix.to_vec();
                    head.extend((0..len).map(|_| next() as u8));
                    let _ = detect(file_name, &head, None);
                    let members = names(&["", "xl/", "[Content_Types].xml"]);
                    let _ = detect(file_name, &head, Some(&members));
                }
            }
        }
        // Truncated zip local headers.
        let header = local("xl/workbook.xml", b"data");
        for cut in 0..header.len() {
            let _ = detect("a.xlsx", &header[..cut], None);
        }
    }
}
