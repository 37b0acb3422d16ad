//! Every entry under the checked path, sorted, hidden ones included, no ignore files honoured,
//! symbolic links never followed.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file, to be checked.
    File,
    /// A symbolic link: never followed.
    Symlink,
    /// A FIFO, socket or device: never opened.
    Special(&'static str),
    /// A folder (or file) the walk could not enter or stat.
    Error(String),
}

/// One entry of the walk.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the checked folder, with `/` separators (the file name when a single
    /// file is checked).
    pub rel: String,
    pub path: PathBuf,
    pub kind: EntryKind,
    /// The entry or a folder above it (below the root) starts with a dot.
    pub hidden: bool,
}

/// Walk `root`: a folder (every entry below it) or a single file.
pub fn walk(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .follow_root_links(true)
        .min_depth(0);
    for item in walker {
        match item {
            Ok(e) => {
                let ft = e.file_type();
                if ft.is_dir() {
                    continue;
                }
                let rel = relative(root, e.path());
                let kind = if ft.is_symlink() {
                    EntryKind::Symlink
                } else if ft.is_file() {
                    EntryKind::File
                } else {
                    EntryKind::Special(special_kind(&ft))
                };
                out.push(Entry {
                    hidden: is_hidden(&rel),
                    rel,
                    path: e.path().to_path_buf(),
                    kind,
                });
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let rel = relative(root, &path);
                let reason = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                out.push(Entry {
                    hidden: is_hidden(&rel),
                    rel,
                    path,
                    kind: EntryKind::Error(reason),
                });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    out
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
        // The root itself is a file: name it by its file name.
        _ => path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| path.to_path_buf()),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden(rel: &str) -> bool {
    rel.split('/')
        .any(|part| part.starts_with('.') && part != "." && part != "..")
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "FIFO"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_block_device() {
        "block device"
    } else if ft.is_char_device() {
        "character device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walks_sorted_with_hidden_entries_and_links_unfollowed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/.hidden")).unwrap();
        fs::write(root.join("b/.hidden/x.csv"), "a").unwrap();
        fs::write(root.join("a.csv"), "a").unwrap();
        fs::write(root.join(".DS_Store"), "a").unwrap();
        fs::write(root.join("b/z.txt"), "a").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("b"), root.join("b/loop")).unwrap();
            std::os::unix::fs::symlink(root.join("a.csv"), root.join("link.csv")).unwrap();
        }
        let entries = walk(root);
        let rels: Vec<&str> = entries.iter().map(|e| e.rel.as_str()).collect();
        #[cfg(unix)]
        assert_eq!(
            rels,
            vec![
                ".DS_Store",
                "a.csv",
                "b/.hidden/x.csv",
                "b/loop",
                "b/z.txt",
                "link.csv"
            ]
        );
        assert!(entries[0].hidden);
        assert!(!entries[1].hidden);
        assert!(entries[2].hidden);
        #[cfg(unix)]
        {
            assert_eq!(entries[3].kind, EntryKind::Symlink);
            assert_eq!(entries[5].kind, EntryKind::Symlink);
        }
    }

    #[test]
    fn a_single_file_is_named_by_its_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.csv");
        fs::write(&f, "a").unwrap();
        let entries = walk(&f);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].rel, "t.csv");
        assert_eq!(entries[0].kind, EntryKind::File);
    }
}
