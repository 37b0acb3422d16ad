//! Archives: zip, tar, gzip, bzip2 and xz (a `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2` or
//! `.tar.xz`/`.txz` is a tar inside the compressed stream). Every member becomes a
//! [`Member`], which the engine checks like a file under its name; links and special members of
//! a tar are facts, never opened. What an archive holds is bounded (member count, bytes per
//! member, bytes in all, compression ratio): past a limit the archive is reported as not
//! checked past it, so it can never pass half read. Member names follow docs/report.md (`location.member`).

use std::fs::File;
use std::io::{self, Read, Seek};

use flate2::read::MultiGzDecoder;

use crate::detect::Format;
use crate::model::{Document, Fact, FactKind, Location, Member, Unreadable};
use crate::read::{document, ReadError, Readers, Source};

/// Limits on what one archive may expand to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most members (files, links, folders) in one archive.
    pub members: usize,
    /// Most bytes one member may expand to.
    pub member_bytes: u64,
    /// Most bytes all members together may expand to.
    pub total_bytes: u64,
    /// Highest ratio of expanded to compressed size of a member ...
    pub ratio: u64,
    /// ... once it expands past this many bytes (small members compress well without harm).
    pub ratio_from: u64,
}

/// The limits every archive is read under.
pub const LIMITS: Limits = Limits {
    members: 10_000,
    member_bytes: 64 * 1024 * 1024,
    total_bytes: 256 * 1024 * 1024,
    ratio: 200,
    ratio_from: 1024 * 1024,
};

/// Name given to the content of a gzip file whose header does not name it, and of every bzip2
/// and xz file (their headers name nothing).
const GZIP_CONTENT: &str = "content";

/// Most memory (KiB) the xz decoder may take for one block's dictionary; a stream that asks for
/// more is unreadable (`xz -9` asks for 64 MiB).
const XZ_MEMORY_KIB: u32 = 256 * 1024;

/// Read an archive of a detected format into its members. A zip that is an OpenDocument
/// presentation is read as the document it is.
pub fn read(
    format: Format,
    source: Source<'_>,
    readers: &Readers<'_>,
) -> Result<Document, ReadError> {
    match (format, source) {
        (Format::Zip, Source::Bytes(bytes)) => zip_or_document(io::Cursor::new(bytes), readers),
        (Format::Zip, Source::Stream { path, .. }) => zip_or_document(File::open(path)?, readers),
        (format, source) => read_with(format, source, &LIMITS),
    }
}

fn zip_or_document<R: Read + Seek>(
    reader: R,
    readers: &Readers<'_>,
) -> Result<Document, ReadError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| ReadError::Parse(e.to_string()))?;
    if document::is_odf_presentation(&mut zip) {
        return document::read_zip(Format::Odt, zip, readers);
    }
    let mut out = Collect::new(&LIMITS);
    read_zip(zip, &mut out)?;
    Ok(out.doc)
}

/// [`read`] under the given limits, without looking for documents in zips.
pub fn read_with(
    format: Format,
    source: Source<'_>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let mut out = Collect::new(limits);
    match (format, source) {
        (Format::Zip, Source::Bytes(bytes)) => read_zip(zip_of(io::Cursor::new(bytes))?, &mut out)?,
        (Format::Zip, Source::Stream { path, .. }) => {
            read_zip(zip_of(File::open(path)?)?, &mut out)?
        }
        (Format::Tar, Source::Bytes(bytes)) => read_tar(bytes, &mut out)?,
        (Format::Tar, Source::Stream { path, .. }) => read_tar(File::open(path)?, &mut out)?,
        (Format::Gzip, Source::Bytes(bytes)) => read_gzip(bytes, bytes.len() as u64, &mut out)?,
        (Format::Gzip, Source::Stream { path, .. }) => {
            let file = File::open(path)?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            read_gzip(file, size, &mut out)?
        }
        (Format::Bzip2 | Format::Xz, Source::Bytes(bytes)) => {
            let size = bytes.len() as u64;
            read_compressed(decoder(format, bytes), GZIP_CONTENT.into(), size, &mut out)?
        }
        (Format::Bzip2 | Format::Xz, Source::Stream { path, .. }) => {
            let file = File::open(path)?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            let file = io::BufReader::new(file);
            read_compressed(decoder(format, file), GZIP_CONTENT.into(), size, &mut out)?
        }
        _ => return Err(ReadError::Parse("not an archive".into())),
    }
    Ok(out.doc)
}

/// What has been taken out of an archive so far, with the limits it is held to.
struct Collect<'a> {
    limits: &'a Limits,
    doc: Document,
    /// Bytes expanded so far.
    total: u64,
    /// Entries seen so far.
    entries: usize,
    /// A limit was reached: nothing more is taken.
    stopped: bool,
}

impl<'a> Collect<'a> {
    fn new(limits: &'a Limits) -> Collect<'a> {
        Collect {
            limits,
            doc: Document::default(),
            total: 0,
            entries: 0,
            stopped: false,
        }
    }

    /// Count one more entry; false (and the limit reported) past the member limit.
    fn entry(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        self.entries += 1;
        if self.entries > self.limits.members {
            self.limit(format!("more than {} members", self.limits.members));
            return false;
        }
        true
    }

    /// Report a limit reached; nothing more is taken out.
    fn limit(&mut self, what: String) {
        if !self.stopped {
            self.stopped = true;
            self.doc
                .facts
                .push(Fact::whole(FactKind::Unreadable(Unreadable::LimitReached(
                    what,
                ))));
        }
    }

    /// A fact about one member, placed under its name.
    fn fact(&mut self, name: &str, kind: FactKind) {
        self.doc.facts.push(Fact {
            location: Location {
                member: Some(name.to_string()),
                ..Location::default()
            },
            kind,
        });
    }

    /// Most bytes the next member may expand to: the per-member limit or what is left of the
    /// total, whichever is smaller.
    fn room(&self) -> u64 {
        self.limits
            .member_bytes
            .min(self.limits.total_bytes.saturating_sub(self.total))
    }

    /// The limit a member's declared sizes already pass, if any: it is not expanded at all.
    fn declared_past(&self, size: u64, compressed: u64) -> Option<String> {
        if size > self.room() {
            return Some(self.past_room());
        }
        if size >= self.limits.ratio_from && size / compressed.max(1) > self.limits.ratio {
            return Some(self.past_ratio());
        }
        None
    }

    fn past_room(&self) -> String {
        if self.room() < self.limits.member_bytes {
            format!("more than {} expanded in all", mib(self.limits.total_bytes))
        } else {
            format!(
                "a member expands to more than {}",
                mib(self.limits.member_bytes)
            )
        }
    }

    fn past_ratio(&self) -> String {
        format!(
            "a member expands more than {} times its compressed size",
            self.limits.ratio
        )
    }

    /// Take a member's content from `reader`, reading at most one byte past what is allowed;
    /// `compressed` is its stored size when the archive says it, for the ratio limit.
    fn take(&mut self, name: &str, reader: impl Read, compressed: Option<u64>) -> io::Result<()> {
        let room = self.room();
        let mut bytes = Vec::new();
        reader
            .take(room.saturating_add(1))
            .read_to_end(&mut bytes)?;
        let got = bytes.len() as u64;
        if got > room {
            self.limit(self.past_room());
            return Ok(());
        }
        if let Some(c) = compressed {
            if got >= self.limits.ratio_from && got / c.max(1) > self.limits.ratio {
                self.limit(self.past_ratio());
                return Ok(());
            }
        }
        self.total += got;
        self.doc.members.push(Member {
            name: name.to_string(),
            bytes,
        });
        Ok(())
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// Unix file type bits of a mode, and the value for a symbolic link.
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

fn zip_of<R: Read + Seek>(reader: R) -> Result<zip::ZipArchive<R>, ReadError> {
    zip::ZipArchive::new(reader).map_err(|e| ReadError::Parse(e.to_string()))
}

fn read_zip<R: Read + Seek>(
    mut zip: zip::ZipArchive<R>,
    out: &mut Collect<'_>,
) -> Result<(), ReadError> {
    if zip.len() > out.limits.members {
        out.limit(format!("more than {} members", out.limits.members));
        return Ok(());
    }
    for i in 0..zip.len() {
        if !out.entry() {
            break;
        }
        let (name, kind) = match zip.by_index_raw(i) {
            Ok(f) => (member_name(&f), zip_kind(&f)),
            Err(e) => return Err(ReadError::Parse(e.to_string())),
        };
        match kind {
            ZipKind::Folder => continue,
            ZipKind::Link(kind) => {
                out.fact(
                    &name,
                    FactKind::SpecialMember {
                        name: name.clone(),
                        kind: kind.into(),
                    },
                );
                continue;
            }
            ZipKind::Encrypted => {
                out.fact(&name, unchecked(&name, "the member is encrypted"));
                continue;
            }
            ZipKind::Unsupported => {
                out.fact(
                    &name,
                    unchecked(&name, "its compression method is not supported"),
                );
                continue;
            }
            ZipKind::File { compressed, size } => {
                if let Some(what) = out.declared_past(size, compressed) {
                    out.limit(what);
                    break;
                }
                let file = zip
                    .by_index(i)
                    .map_err(|e| ReadError::Parse(e.to_string()))?;
                out.take(&name, file, Some(compressed))
                    .map_err(|e| ReadError::Parse(format!("member {i}: {e}")))?;
            }
        }
    }
    Ok(())
}

/// A member's name as the archive writes it (bytes that are not UTF-8 replaced).
fn member_name<R: Read>(f: &zip::read::ZipFile<'_, R>) -> String {
    match f.name() {
        Ok(n) => n.into_owned(),
        Err(_) => String::from_utf8_lossy(f.name_raw()).into_owned(),
    }
}

/// What a zip entry is, from its central directory record.
enum ZipKind {
    Folder,
    Link(&'static str),
    Encrypted,
    Unsupported,
    File { compressed: u64, size: u64 },
}

fn zip_kind<R: Read>(f: &zip::read::ZipFile<'_, R>) -> ZipKind {
    let mode = f.unix_mode().map(|m| m & S_IFMT);
    if f.is_dir() || mode == Some(S_IFDIR) {
        return ZipKind::Folder;
    }
    match mode {
        Some(S_IFLNK) => return ZipKind::Link("symbolic link"),
        Some(m) if m != 0 && m != S_IFREG => return ZipKind::Link("special file"),
        _ => {}
    }
    if f.encrypted() {
        return ZipKind::Encrypted;
    }
    if !matches!(
        f.compression(),
        zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
    ) {
        return ZipKind::Unsupported;
    }
    ZipKind::File {
        compressed: f.compressed_size(),
        size: f.size(),
    }
}

fn unchecked(name: &str, why: &str) -> FactKind {
    FactKind::Unchecked {
        part: format!("member '{}'", crate::redact::safe_label(name)),
        why: why.into(),
    }
}

fn read_tar<R: Read>(reader: R, out: &mut Collect<'_>) -> Result<(), ReadError> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|e| ReadError::Parse(e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| ReadError::Parse(e.to_string()))?;
        if !out.entry() {
            break;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        use tar::EntryType as T;
        let special = match entry.header().entry_type() {
            T::Regular | T::Continuous | T::GNUSparse => None,
            T::Directory => continue,
            T::Symlink => Some("symbolic link"),
            T::Link => Some("hard link"),
            T::Char => Some("character device"),
            T::Block => Some("block device"),
            T::Fifo => Some("FIFO"),
            _ => Some("special member"),
        };
        if let Some(kind) = special {
            out.fact(
                &name,
                FactKind::SpecialMember {
                    name: name.clone(),
                    kind: kind.into(),
                },
            );
            continue;
        }
        out.take(&name, entry, None)
            .map_err(|e| ReadError::Parse(e.to_string()))?;
        if out.stopped {
            break;
        }
    }
    Ok(())
}

/// A gzip file: its content is a tar (a `.tar.gz`), whose members are read, or one file, named
/// as the gzip header names it. The ratio limit applies to the whole of what it expands to.
fn read_gzip<R: Read>(reader: R, size: u64, out: &mut Collect<'_>) -> Result<(), ReadError> {
    let gz = MultiGzDecoder::new(reader);
    let name = gz
        .header()
        .and_then(|h| h.filename())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| GZIP_CONTENT.to_string());
    read_compressed(gz, name, size, out)
}

/// The decoder of a bzip2 or xz stream (several concatenated streams are read as one, as
/// `bzip2 -d` and `xz -d` do).
fn decoder<'r, R: io::BufRead + 'r>(format: Format, reader: R) -> Box<dyn Read + 'r> {
    if format == Format::Xz {
        Box::new(lzma_rust2::XzReader::new_mem_limit(
            reader,
            true,
            XZ_MEMORY_KIB,
        ))
    } else {
        Box::new(bzip2::bufread::MultiBzDecoder::new(reader))
    }
}

/// The expanded content of a compressed file of `size` bytes: a tar, whose members are read,
/// or one file called `name`. The ratio limit applies to the whole of what it expands to.
fn read_compressed<R: Read>(
    mut gz: R,
    name: String,
    size: u64,
    out: &mut Collect<'_>,
) -> Result<(), ReadError> {
    // The first block tells whether a tar follows; it is put back in front of the rest.
    let mut first = Vec::new();
    (&mut gz)
        .take(512)
        .read_to_end(&mut first)
        .map_err(|e| ReadError::Parse(e.to_string()))?;
    let is_tar = first.len() >= 262 && &first[257..262] == b"ustar";
    let content = Ratio {
        inner: io::Cursor::new(first).chain(gz),
        read: 0,
        limit: ratio_limit(size, out.limits),
    };
    if is_tar {
        let result = read_tar(content, out);
        return ratio_or(result, out);
    }
    if !out.entry() {
        return Ok(());
    }
    let result = out
        .take(&name, content, Some(size))
        .map_err(|e| ReadError::Parse(e.to_string()));
    ratio_or(result, out)
}

/// Most bytes a gzip file of `size` compressed bytes may expand to before its ratio is too high
/// (never less than where the ratio limit starts).
fn ratio_limit(size: u64, limits: &Limits) -> u64 {
    size.saturating_mul(limits.ratio).max(limits.ratio_from)
}

/// A reading error that is the ratio guard's is the ratio limit, not a broken file.
fn ratio_or(result: Result<(), ReadError>, out: &mut Collect<'_>) -> Result<(), ReadError> {
    match result {
        Err(ReadError::Parse(e)) if e.contains(RATIO_ERROR) => {
            out.limit(format!(
                "the archive expands more than {} times its compressed size",
                out.limits.ratio
            ));
            Ok(())
        }
        other => other,
    }
}

const RATIO_ERROR: &str = "expansion ratio limit";

/// A reader that fails once more than `limit` bytes came through it.
struct Ratio<R> {
    inner: R,
    read: u64,
    limit: u64,
}

impl<R: Read> Read for Ratio<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(RATIO_ERROR));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in members {
            w.start_file(*name, options).expect("member starts");
            w.write_all(bytes).expect("member written");
        }
        w.finish().expect("zip finishes").into_inner()
    }

    fn limit_of(doc: &Document) -> Option<&str> {
        doc.facts.iter().find_map(|f| match &f.kind {
            FactKind::Unreadable(Unreadable::LimitReached(what)) => Some(what.as_str()),
            _ => None,
        })
    }

    const SMALL: Limits = Limits {
        members: 3,
        member_bytes: 100,
        total_bytes: 250,
        ratio: 200,
        ratio_from: 1024 * 1024,
    };

    fn read_small(bytes: &[u8]) -> Document {
        read_with(Format::Zip, Source::Bytes(bytes), &SMALL).expect("reads")
    }

    #[test]
    fn within_the_limits_every_member_is_taken() {
        let doc = read_small(&zip_of(&[("a.csv", b"x,y\n1,2\n"), ("d/b.txt", b"hi")]));
        let names: Vec<&str> = doc.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["a.csv", "d/b.txt"]);
        assert_eq!(limit_of(&doc), None);
    }

    #[test]
    fn too_many_members_is_a_limit() {
        let four = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3"), ("d", b"4")]);
        let doc = read_small(&four);
        assert!(doc.members.is_empty());
        assert_eq!(limit_of(&doc), Some("more than 3 members"));
    }

    #[test]
    fn a_large_member_and_too_much_in_all_are_limits() {
        let big = [b'x'; 101];
        let doc = read_small(&zip_of(&[("big", &big)]));
        assert!(limit_of(&doc).is_some_and(|w| w.contains("a member expands")));
        let ninety = [b'x'; 90];
        let doc = read_small(&zip_of(&[("a", &ninety), ("b", &ninety), ("c", &ninety)]));
        assert_eq!(doc.members.len(), 2);
        assert!(limit_of(&doc).is_some_and(|w| w.contains("in all")));
    }

    #[test]
    fn a_tar_past_the_total_stops_there() {
        let mut b = tar::Builder::new(Vec::new());
        for name in ["a", "b", "c"] {
            let mut h = tar::Header::new_ustar();
            h.set_size(90);
            h.set_mode(0o644);
            b.append_data(&mut h, name, &[b'x'; 90][..])
                .expect("appended");
        }
        let tar = b.into_inner().expect("finishes");
        let doc = read_with(Format::Tar, Source::Bytes(&tar), &SMALL).expect("reads");
        assert_eq!(doc.members.len(), 2);
        assert!(limit_of(&doc).is_some());
    }

    #[test]
    fn a_gzip_that_expands_too_far_is_a_limit() {
        let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        w.write_all(&vec![b'0'; 2 * 1024 * 1024]).expect("written");
        let gz = w.finish().expect("finishes");
        let doc = read_with(Format::Gzip, Source::Bytes(&gz), &LIMITS).expect("reads");
        assert!(doc.members.is_empty());
        assert!(
            limit_of(&doc).is_some_and(|w| w.contains("times")),
            "{:?}",
            doc.facts
        );
    }
}
