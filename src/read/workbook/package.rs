//! The zip package of an XLSX, XLSM or XLSB workbook: its part names, its limits (a zip bomb is
//! refused before anything is expanded) and its parts read with a cap.

use std::io::{Read, Seek};

use zip::ZipArchive;

/// Most parts a workbook package may have.
pub const MAX_PARTS: usize = 10_000;
/// Largest expanded size of one part.
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// Largest expanded size of all parts together.
pub const MAX_TOTAL_BYTES: u64 = 4 << 30;
/// Highest ratio of expanded to stored size, for the package and for each large part.
pub const MAX_RATIO: u64 = 200;
/// Expanded sizes below this are not judged by their ratio (small parts compress oddly).
const RATIO_FLOOR: u64 = 16 << 20;
/// Largest part the reader holds in memory to scan (comments, pivot caches, links).
pub const MAX_SCANNED_PART: u64 = 256 << 20;

/// An open package.
pub struct Package<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// Part names, in archive order.
    pub names: Vec<String>,
}

/// What is wrong with a package before it is read.
pub enum Refused {
    /// Not a readable zip archive.
    Broken,
    /// A limit is reached: what it is.
    Limit(String),
}

impl<R: Read + Seek> Package<R> {
    /// Open a package and check its limits from its central directory (the zip reader stops at
    /// each part's declared size, so the declared sizes bound what expands). Encrypted parts are
    /// returned by name.
    pub fn open(r: R) -> Result<(Package<R>, Vec<String>), Refused> {
        let mut zip = ZipArchive::new(r).map_err(|_| Refused::Broken)?;
        if zip.len() > MAX_PARTS {
            return Err(Refused::Limit(format!(
                "the workbook has more than {MAX_PARTS} parts"
            )));
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut encrypted = Vec::new();
        let (mut total, mut stored) = (0u64, 0u64);
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|_| Refused::Broken)?;
            let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
            let (size, packed) = (f.size(), f.compressed_size());
            if size > MAX_PART_BYTES {
                return Err(Refused::Limit(format!(
                    "a part expands to more than {} MiB",
                    MAX_PART_BYTES >> 20
                )));
            }
            if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
                return Err(Refused::Limit(format!(
                    "a part expands more than {MAX_RATIO} times its stored size"
                )));
            }
            if f.encrypted() {
                encrypted.push(name.clone());
            }
            total = total.saturating_add(size);
            stored = stored.saturating_add(packed);
            names.push(name);
        }
        if total > MAX_TOTAL_BYTES {
            return Err(Refused::Limit(format!(
                "the workbook expands to more than {} GiB",
                MAX_TOTAL_BYTES >> 30
            )));
        }
        if total > RATIO_FLOOR && total / stored.max(1) > MAX_RATIO {
            return Err(Refused::Limit(format!(
                "the workbook expands more than {MAX_RATIO} times its stored size"
            )));
        }
        Ok((Package { zip, names }, encrypted))
    }

    /// Whether a part is there.
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Names of the parts under a folder (`xl/embeddings/`), in archive order.
    pub fn under(&self, prefix: &str) -> Vec<String> {
        crate::read::opc::under(&self.names, prefix)
    }

    /// A part's bytes, if it is there, readable and at most `max` bytes expanded.
    pub fn read(&mut self, name: &str, max: u64) -> Option<Vec<u8>> {
        let f = self.zip.by_name(name).ok()?;
        if f.size() > max {
            return None;
        }
        let mut out = Vec::with_capacity(f.size().min(max) as usize);
        f.take(max + 1).read_to_end(&mut out).ok()?;
        (out.len() as u64 <= max).then_some(out)
    }
}

impl<R: Read + Seek> Package<R> {
    /// A part's bytes as they expand, not held (a sheet may be large); `None` when the part is
    /// not there. The zip reader stops at the declared size, which [`Package::open`] bounds.
    pub fn stream(&mut self, name: &str) -> Option<impl Read + '_> {
        self.zip.by_name(name).ok()
    }

    /// Walk a part's XML as it expands, without holding it (a sheet may be large).
    pub fn walk(
        &mut self,
        name: &str,
        f: &mut dyn FnMut(super::xml::Ev<'_>) -> bool,
    ) -> Result<(), super::xml::BadXml> {
        let part = self.zip.by_name(name).map_err(|_| super::xml::BadXml)?;
        super::xml::walk(std::io::BufReader::new(part), f)
    }

    /// The relationships of a part: `(type, target part)`, targets resolved against the part's
    /// folder.
    pub fn rels(&mut self, part: &str) -> Vec<(String, String)> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(bytes) = self.read(&rels_name, MAX_SCANNED_PART) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let _ = super::xml::walk(&bytes[..], &mut |e| {
            if let super::xml::Ev::Start { name, attrs, .. } = e {
                if name == "Relationship"
                    && super::xml::attr(attrs, "TargetMode") != Some("External")
                {
                    let typ = super::xml::attr(attrs, "Type").unwrap_or("");
                    let typ = typ.rsplit('/').next().unwrap_or("").to_string();
                    if let Some(t) = super::xml::attr(attrs, "Target") {
                        out.push((typ, crate::read::opc::resolve(dir, t)));
                    }
                }
            }
            true
        });
        out
    }
}
