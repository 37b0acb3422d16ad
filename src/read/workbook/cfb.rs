//! The compound file (OLE2, MS-CFB) a legacy workbook is stored in: a small file system of
//! storages and streams in fixed-size sectors, chained by a sector allocation table (the FAT)
//! and, for streams under 4 KiB, by a mini FAT over the root's mini stream.
//!
//! calamine keeps its compound file reader to itself and reads a stream whole, so this one is
//! written for the cells ([`super::xls`]), which are read a sheet at a time from where each
//! starts, and for what calamine does not read (hidden rows and columns, comments, the
//! storages of embedded objects and pivot caches). It is strict where a loose
//! reader would read garbage: a chain that leaves the file, a directory that loops or a size
//! past the file's own is an error, and the caller reports the part as unchecked. A regular
//! stream is read sector by sector, never held whole.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

/// The file's first eight bytes.
const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Highest regular sector number; the values above it mark chain ends and special sectors.
const MAX_REGULAR: u32 = 0xFFFF_FFFA;
/// The end of a chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// No entry (a directory link that points nowhere).
const NO_STREAM: u32 = 0xFFFF_FFFF;
/// Most directory entries read (Excel writes a few dozen).
const MAX_ENTRIES: usize = 100_000;
/// Largest mini stream held in memory (every stream under the cutoff lives in it).
const MAX_MINI_STREAM: u64 = 64 << 20;

/// What is wrong with a compound file.
#[derive(Debug, thiserror::Error)]
pub enum CfbError {
    #[error("the compound file is not well-formed: {0}")]
    Malformed(&'static str),
    #[error("the compound file could not be read: {0}")]
    Io(#[from] std::io::Error),
}

/// What a directory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Storage,
    Stream,
    Root,
}

/// A directory entry: a storage or a stream, with its path from the root (`MBD0001/Workbook`).
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub kind: EntryKind,
    pub size: u64,
    start: u32,
}

impl Entry {
    /// The entry's own name, the last part of its path.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// Whether the entry lies directly in the root storage.
    pub fn at_top(&self) -> bool {
        !self.path.contains('/')
    }
}

/// An open compound file.
pub struct Compound<R> {
    file: R,
    sector: usize,
    /// Sector count of the file (sectors past it do not exist).
    sectors: u64,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_cutoff: u64,
    /// The root's mini stream: its start and size.
    mini: (u32, u64),
    /// The mini stream's bytes, read the first time a small stream is asked for.
    mini_bytes: Option<Vec<u8>>,
    pub entries: Vec<Entry>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl<R: Read + Seek> Compound<R> {
    /// Open a compound file: its header, FAT, mini FAT and directory.
    pub fn open(mut file: R) -> Result<Compound<R>, CfbError> {
        let len = file.seek(SeekFrom::End(0))?;
        file.seek(SeekFrom::Start(0))?;
        let mut header = [0u8; 512];
        file.read_exact(&mut header)
            .map_err(|_| CfbError::Malformed("the header is cut short"))?;
        if header[..8] != SIGNATURE {
            return Err(CfbError::Malformed("the signature is missing"));
        }
        let sector = match u16_at(&header, 30) {
            9 => 512usize,
            12 => 4096,
            _ => {
                return Err(CfbError::Malformed(
                    "the sector size is not 512 or 4096 bytes",
                ))
            }
        };
        if u16_at(&header, 32) != 6 {
            return Err(CfbError::Malformed("the mini sector size is not 64 bytes"));
        }
        let sectors = len.saturating_sub(sector as u64).div_ceil(sector as u64);
        let fat_sectors = u32_at(&header, 44) as u64;
        if fat_sectors > sectors {
            return Err(CfbError::Malformed("the FAT is larger than the file"));
        }
        let mut cfb = Compound {
            file,
            sector,
            sectors,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_cutoff: u64::from(u32_at(&header, 56)),
            mini: (END_OF_CHAIN, 0),
            mini_bytes: None,
            entries: Vec::new(),
        };
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_at: Vec<u32> = (0..109)
            .map(|i| u32_at(&header, 76 + 4 * i))
            .filter(|&s| s <= MAX_REGULAR)
            .collect();
        let mut difat = u32_at(&header, 68);
        let mut seen = HashSet::new();
        while difat <= MAX_REGULAR && (fat_at.len() as u64) < fat_sectors {
            if !seen.insert(difat) {
                return Err(CfbError::Malformed("the DIFAT chain loops"));
            }
            let block = cfb.sector_bytes(difat)?;
            let per = sector / 4 - 1;
            fat_at.extend(
                (0..per)
                    .map(|i| u32_at(&block, 4 * i))
                    .filter(|&s| s <= MAX_REGULAR),
            );
            difat = u32_at(&block, 4 * per);
        }
        fat_at.truncate(fat_sectors as usize);
        let mut fat = Vec::with_capacity(fat_at.len() * sector / 4);
        for s in fat_at {
            let block = cfb.sector_bytes(s)?;
            fat.extend((0..sector / 4).map(|i| u32_at(&block, 4 * i)));
        }
        cfb.fat = fat;
        let mini_fat_start = u32_at(&header, 60);
        let mini_fat_bytes = u64::from(u32_at(&header, 64)) * sector as u64;
        if mini_fat_start <= MAX_REGULAR {
            let bytes = cfb.chain(mini_fat_start, mini_fat_bytes)?;
            cfb.mini_fat = (0..bytes.len() / 4)
                .map(|i| u32_at(&bytes, 4 * i))
                .collect();
        }
        cfb.read_directory(u32_at(&header, 48))?;
        Ok(cfb)
    }

    /// The bytes of one regular sector.
    fn sector_bytes(&mut self, s: u32) -> Result<Vec<u8>, CfbError> {
        self.sectors_bytes(s, 1)
    }

    /// The bytes of `n` regular sectors that follow each other from `s`.
    fn sectors_bytes(&mut self, s: u32, n: u32) -> Result<Vec<u8>, CfbError> {
        if u64::from(s) + u64::from(n) > self.sectors {
            return Err(CfbError::Malformed(
                "a sector lies past the end of the file",
            ));
        }
        let mut block = vec![0u8; self.sector * n as usize];
        self.file
            .seek(SeekFrom::Start((u64::from(s) + 1) * self.sector as u64))?;
        // The last sector of a file may be cut short: the rest reads as zeros.
        let mut n = 0;
        while n < block.len() {
            let k = self.file.read(&mut block[n..])?;
            if k == 0 {
                break;
            }
            n += k;
        }
        Ok(block)
    }

    /// The sector after `s` in its chain.
    fn next(&self, s: u32) -> Result<u32, CfbError> {
        self.fat
            .get(s as usize)
            .copied()
            .ok_or(CfbError::Malformed("a chain leaves the FAT"))
    }

    /// Up to `size` bytes of the regular chain starting at `start` (the whole chain when it is
    /// shorter), for the file's own structures.
    fn chain(&mut self, start: u32, size: u64) -> Result<Vec<u8>, CfbError> {
        let mut out = Vec::new();
        let mut s = start;
        let mut steps = 0u64;
        while s <= MAX_REGULAR && (out.len() as u64) < size {
            steps += 1;
            if steps > self.sectors {
                return Err(CfbError::Malformed("a chain loops"));
            }
            out.extend(self.sector_bytes(s)?);
            s = self.next(s)?;
        }
        out.truncate(size.min(out.len() as u64) as usize);
        Ok(out)
    }

    /// Read the directory and name every entry by its path from the root.
    fn read_directory(&mut self, start: u32) -> Result<(), CfbError> {
        let bytes = self.chain(start, (MAX_ENTRIES * 128) as u64)?;
        let raw: Vec<&[u8]> = bytes.chunks_exact(128).collect();
        let root = raw
            .first()
            .filter(|e| e[66] == 5)
            .ok_or(CfbError::Malformed("the directory has no root entry"))?;
        self.mini = (u32_at(root, 116), u64::from(u32_at(root, 120)));
        // Walk the tree of each storage (its child, then left and right siblings).
        let mut seen = HashSet::from([0u32]);
        let mut stack: Vec<(u32, String)> = vec![(u32_at(root, 76), String::new())];
        while let Some((id, parent)) = stack.pop() {
            if id == NO_STREAM {
                continue;
            }
            let e = raw
                .get(id as usize)
                .ok_or(CfbError::Malformed("a directory link points past its end"))?;
            if !seen.insert(id) {
                return Err(CfbError::Malformed("the directory loops"));
            }
            let name_len = (u16_at(e, 64) as usize).min(64);
            let units: Vec<u16> = (0..name_len / 2)
                .map(|i| u16_at(e, 2 * i))
                .take_while(|&u| u != 0)
                .collect();
            let name = String::from_utf16_lossy(&units).replace('/', "_");
            let path = if parent.is_empty() {
                name
            } else {
                format!("{parent}/{name}")
            };
            let kind = match e[66] {
                1 => EntryKind::Storage,
                2 => EntryKind::Stream,
                _ => EntryKind::Root,
            };
            stack.push((u32_at(e, 68), parent.clone()));
            stack.push((u32_at(e, 72), parent));
            if kind == EntryKind::Storage {
                stack.push((u32_at(e, 76), path.clone()));
            }
            if kind != EntryKind::Root {
                self.entries.push(Entry {
                    path,
                    kind,
                    // Version 3 files leave the high half of the size undefined.
                    size: if self.sector == 512 {
                        u64::from(u32_at(e, 120))
                    } else {
                        u64::from(u32_at(e, 120)) | (u64::from(u32_at(e, 124)) << 32)
                    },
                    start: u32_at(e, 116),
                });
            }
        }
        Ok(())
    }

    /// The stream at the top of the file whose name is `name` in any case.
    pub fn top_stream(&self, name: &str) -> Option<Entry> {
        self.entries
            .iter()
            .find(|e| {
                e.kind == EntryKind::Stream && e.at_top() && e.name().eq_ignore_ascii_case(name)
            })
            .cloned()
    }

    /// A reader of a stream's bytes. A stream in regular sectors is read a sector at a time; a
    /// small one is cut from the mini stream. A size past the file's is an error.
    pub fn open_stream(&mut self, entry: &Entry) -> Result<Box<dyn Read + '_>, CfbError> {
        if entry.size > self.sectors * self.sector as u64 {
            return Err(CfbError::Malformed("a stream is larger than the file"));
        }
        if entry.size < self.mini_cutoff {
            let bytes = self.mini_stream_part(entry.start, entry.size)?;
            return Ok(Box::new(std::io::Cursor::new(bytes)));
        }
        Ok(Box::new(ChainReader {
            cfb: self,
            next: entry.start,
            left: entry.size,
            block: Vec::new(),
            at: 0,
        }))
    }

    /// A reader of a stream's bytes from `offset` on. The sectors before it are passed by
    /// following their chain in the FAT, not read.
    pub fn open_stream_at(
        &mut self,
        entry: &Entry,
        offset: u64,
    ) -> Result<Box<dyn Read + '_>, CfbError> {
        if offset > entry.size {
            return Err(CfbError::Malformed(
                "an offset lies past the end of its stream",
            ));
        }
        if entry.size > self.sectors * self.sector as u64 {
            return Err(CfbError::Malformed("a stream is larger than the file"));
        }
        if entry.size < self.mini_cutoff {
            let bytes = self.mini_stream_part(entry.start, entry.size)?;
            let mut cursor = std::io::Cursor::new(bytes);
            cursor.set_position(offset);
            return Ok(Box::new(cursor));
        }
        let sector = self.sector as u64;
        let mut next = entry.start;
        let mut left = entry.size;
        for _ in 0..offset / sector {
            if next > MAX_REGULAR {
                return Err(CfbError::Malformed("a stream's chain ends before its size"));
            }
            next = self.next(next)?;
            left -= sector;
        }
        let mut reader = ChainReader {
            cfb: self,
            next,
            left,
            block: Vec::new(),
            at: 0,
        };
        std::io::copy(
            &mut (&mut reader).take(offset % sector),
            &mut std::io::sink(),
        )?;
        Ok(Box::new(reader))
    }

    /// Up to `max` bytes of a stream, whole (for small streams such as an embedded package's).
    pub fn read_stream(&mut self, entry: &Entry, max: u64) -> Result<Vec<u8>, CfbError> {
        if entry.size > max {
            return Err(CfbError::Malformed(
                "a stream is larger than the reader holds",
            ));
        }
        let mut out = Vec::with_capacity(entry.size as usize);
        self.open_stream(entry)?.read_to_end(&mut out)?;
        Ok(out)
    }

    /// A small stream's bytes from the mini stream.
    fn mini_stream_part(&mut self, start: u32, size: u64) -> Result<Vec<u8>, CfbError> {
        if self.mini_bytes.is_none() {
            let (at, len) = self.mini;
            if len > MAX_MINI_STREAM {
                return Err(CfbError::Malformed("the mini stream is too large"));
            }
            self.mini_bytes = Some(self.chain(at, len)?);
        }
        let mini = self.mini_bytes.as_deref().unwrap_or_default();
        let mut out = Vec::with_capacity(size as usize);
        let mut s = start;
        let mut steps = 0usize;
        while (out.len() as u64) < size {
            if s > MAX_REGULAR {
                return Err(CfbError::Malformed("a mini stream chain ends early"));
            }
            steps += 1;
            if steps > self.mini_fat.len() + 1 {
                return Err(CfbError::Malformed("a mini stream chain loops"));
            }
            let from = s as usize * 64;
            let block = mini.get(from..from + 64).ok_or(CfbError::Malformed(
                "a mini sector lies past the mini stream",
            ))?;
            out.extend_from_slice(block);
            s = *self
                .mini_fat
                .get(s as usize)
                .ok_or(CfbError::Malformed("a chain leaves the mini FAT"))?;
        }
        out.truncate(size as usize);
        Ok(out)
    }
}

/// A regular stream read a sector at a time along its chain.
struct ChainReader<'a, R> {
    cfb: &'a mut Compound<R>,
    next: u32,
    left: u64,
    block: Vec<u8>,
    at: usize,
}

impl<R: Read + Seek> Read for ChainReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.block.len() {
            if self.left == 0 {
                return Ok(0);
            }
            if self.next > MAX_REGULAR {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a stream's chain ends before its size",
                ));
            }
            // Sectors that follow each other in the file are read in one go (up to 64 KiB).
            let first = self.next;
            let mut run = 1u32;
            self.next = self.cfb.next(first).map_err(io_error)?;
            let most = (self.left.div_ceil(self.cfb.sector as u64)).min(128) as u32;
            while run < most && first.checked_add(run) == Some(self.next) {
                self.next = self.cfb.next(self.next).map_err(io_error)?;
                run += 1;
            }
            let mut block = self.cfb.sectors_bytes(first, run).map_err(io_error)?;
            block.truncate(self.left.min(block.len() as u64) as usize);
            self.left -= block.len() as u64;
            self.block = block;
            self.at = 0;
        }
        let n = buf.len().min(self.block.len() - self.at);
        buf[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn io_error(e: CfbError) -> std::io::Error {
    match e {
        CfbError::Io(e) => e,
        other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
    }
}
