//! The zip package of an office document: its part names, each part's text read under a size
//! limit, and parts given to the engine as members (embedded workbooks, images). What cannot be
//! read is a fact, never skipped in silence.

use std::io::{Read, Seek};

use zip::ZipArchive;

use crate::model::{Document, Fact, FactKind, Location, Member, Unreadable};
use crate::read::archive::LIMITS;
use crate::read::ReadError;

/// A document package being read: the zip, and the document it fills.
pub struct Package<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// Part names, in the zip's order.
    pub names: Vec<String>,
    /// Bytes expanded so far (parts read and members taken).
    total: u64,
    pub doc: Document,
}

/// Why a part was not read; the caller has been given the fact already.
pub struct NotRead;

impl<R: Read + Seek> Package<R> {
    /// Open a package; a zip with more parts than an archive may hold is refused.
    pub fn new(zip: ZipArchive<R>) -> Result<Package<R>, ReadError> {
        if zip.len() > LIMITS.members {
            return Err(ReadError::Parse(format!(
                "more than {} package parts",
                LIMITS.members
            )));
        }
        let names = (0..zip.len())
            .filter_map(|i| zip.name_for_index(i)?.ok().map(|n| n.into_owned()))
            .collect();
        Ok(Package {
            zip,
            names,
            total: 0,
            doc: Document::default(),
        })
    }

    /// Whether the package has a part of this name.
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The part names under a folder, in the zip's order.
    pub fn under(&self, prefix: &str) -> Vec<String> {
        crate::read::opc::under(&self.names, prefix)
    }

    /// A part's bytes, within the limits. A part that is encrypted, compressed in a way this
    /// reader does not know, or past a limit gets its fact and `Err(NotRead)`.
    pub fn bytes(&mut self, name: &str) -> Result<Vec<u8>, NotRead> {
        let room = LIMITS
            .member_bytes
            .min(LIMITS.total_bytes.saturating_sub(self.total));
        let result = match self.zip.by_name(name) {
            Ok(file) if file.encrypted() => Err("the part is encrypted".to_string()),
            Ok(file) if file.size() > room => Err(String::new()),
            Ok(file) => {
                let mut bytes = Vec::new();
                match file.take(room.saturating_add(1)).read_to_end(&mut bytes) {
                    Ok(_) if bytes.len() as u64 > room => Err(String::new()),
                    Ok(_) => Ok(bytes),
                    Err(e) => Err(format!("the part cannot be expanded ({e})")),
                }
            }
            Err(e) => Err(format!("the part cannot be opened ({e})")),
        };
        match result {
            Ok(bytes) => {
                self.total += bytes.len() as u64;
                Ok(bytes)
            }
            Err(why) if why.is_empty() => {
                self.fact(
                    name,
                    FactKind::Unreadable(Unreadable::LimitReached(format!(
                        "part '{}' expands past {} MiB",
                        crate::redact::safe_label(name),
                        room / (1024 * 1024)
                    ))),
                );
                Err(NotRead)
            }
            Err(why) => {
                self.unchecked(name, &why);
                Err(NotRead)
            }
        }
    }

    /// A part's text (UTF-8; a byte order mark is dropped, bad bytes replaced).
    pub fn text(&mut self, name: &str) -> Result<String, NotRead> {
        let bytes = self.bytes(name)?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        Ok(String::from_utf8_lossy(body).into_owned())
    }

    /// Give a part to the engine as a member, checked like a file under its name.
    pub fn member(&mut self, name: &str) {
        if let Ok(bytes) = self.bytes(name) {
            self.doc.members.push(Member {
                name: name.to_string(),
                bytes,
            });
        }
    }

    /// A fact about a part.
    pub fn fact(&mut self, part: &str, kind: FactKind) {
        self.doc.facts.push(Fact {
            location: Location {
                member: Some(part.to_string()),
                ..Location::default()
            },
            kind,
        });
    }

    /// A part that cannot be checked, and why.
    pub fn unchecked(&mut self, part: &str, why: &str) {
        self.fact(
            part,
            FactKind::Unchecked {
                part: format!("part '{}'", crate::redact::safe_label(part)),
                why: why.to_string(),
            },
        );
    }

    /// A part whose content a reader of the document does not see (`what` says what it is,
    /// `scope` is the member name its texts and tables carry).
    pub fn hidden(&mut self, what: &str, scope: &str) {
        let location = Location {
            member: Some(scope.to_string()),
            ..Location::default()
        };
        self.doc.facts.push(Fact {
            location: location.clone(),
            kind: FactKind::Hidden {
                part: what.to_string(),
                scope: location,
            },
        });
    }
}
