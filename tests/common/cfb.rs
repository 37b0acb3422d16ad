//! Legacy (BIFF8) workbooks for the fixtures, written here: a compound file (MS-CFB, version 3,
//! 512-byte sectors, small streams in the mini stream) around a `Workbook` stream of records
//! (MS-XLS). Only what the fixtures need is written: sheets with their visibility, string and
//! number cells, hidden rows and columns, comments (an `OBJ` of type note, its `TXO` text, the
//! `NOTE` that places it) and text boxes.

/// A cell of a legacy sheet.
pub enum Cell {
    S(&'static str),
    N(f64),
}

/// A legacy sheet: name, visibility (0 visible, 1 hidden, 2 very hidden), cells at 0-based
/// `(row, column)`, hidden rows and columns (0-based), comments and text boxes.
pub struct BiffSheet {
    pub name: &'static str,
    pub state: u8,
    pub cells: Vec<(u16, u16, Cell)>,
    pub hidden_rows: Vec<u16>,
    pub hidden_cols: Vec<u16>,
    pub comments: Vec<(u16, u16, &'static str)>,
    pub text_boxes: Vec<&'static str>,
}

impl BiffSheet {
    pub fn new(name: &'static str, cells: Vec<(u16, u16, Cell)>) -> BiffSheet {
        BiffSheet {
            name,
            state: 0,
            cells,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            comments: Vec::new(),
            text_boxes: Vec::new(),
        }
    }
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(kind: u16) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x0600u16.to_le_bytes());
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(&[0; 12]);
    b
}

/// A string of one-byte characters with its 16-bit length and flag byte.
fn unicode_string(s: &str) -> Vec<u8> {
    let mut b = (s.len() as u16).to_le_bytes().to_vec();
    b.push(0);
    b.extend(s.bytes());
    b
}

/// The records of one drawing object with text: `OBJ` (its type and id), `TXO`, then the text
/// and its formatting runs in two `CONTINUE` records.
fn object_with_text(out: &mut Vec<u8>, ot: u16, id: u16, text: &str) {
    let mut obj = Vec::new();
    obj.extend_from_slice(&0x0015u16.to_le_bytes());
    obj.extend_from_slice(&0x0012u16.to_le_bytes());
    obj.extend_from_slice(&ot.to_le_bytes());
    obj.extend_from_slice(&id.to_le_bytes());
    obj.extend_from_slice(&[0; 14]);
    obj.extend_from_slice(&[0; 4]); // ftEnd
    record(out, 0x005D, &obj);
    let mut txo = vec![0u8; 18];
    txo[10..12].copy_from_slice(&(text.len() as u16).to_le_bytes());
    txo[12..14].copy_from_slice(&16u16.to_le_bytes());
    record(out, 0x01B6, &txo);
    let mut chars = vec![0u8];
    chars.extend(text.bytes());
    record(out, 0x003C, &chars);
    record(out, 0x003C, &[0; 16]);
}

fn sheet_stream(s: &BiffSheet) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0809, &bof(0x0010));
    for &c in &s.hidden_cols {
        let mut d = Vec::new();
        for v in [c, c, 0x0900, 0x000F, 0x0001, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        record(&mut out, 0x007D, &d);
    }
    let rows = u32::from(s.cells.iter().map(|c| c.0).max().unwrap_or(0)) + 1;
    let cols = s.cells.iter().map(|c| c.1).max().unwrap_or(0) + 1;
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&rows.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&cols.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    record(&mut out, 0x0200, &dim);
    for &r in &s.hidden_rows {
        let mut d = Vec::new();
        for v in [r, 0, cols, 0x00FF, 0, 0, 0x0020 | 0x0100, 0x000F] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        record(&mut out, 0x0208, &d);
    }
    for (r, c, v) in &s.cells {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0x000Fu16.to_le_bytes());
        match v {
            Cell::S(t) => {
                d.extend(unicode_string(t));
                record(&mut out, 0x0204, &d);
            }
            Cell::N(x) => {
                d.extend_from_slice(&x.to_le_bytes());
                record(&mut out, 0x0203, &d);
            }
        }
    }
    let mut id = 1u16;
    for (_, _, text) in &s.comments {
        object_with_text(&mut out, 0x0019, id, text);
        id += 1;
    }
    for text in &s.text_boxes {
        object_with_text(&mut out, 0x0006, id, text);
        id += 1;
    }
    for (i, (r, c, _)) in s.comments.iter().enumerate() {
        let mut d = Vec::new();
        for v in [*r, *c, 0, i as u16 + 1] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend(unicode_string("Analyst"));
        d.push(0);
        record(&mut out, 0x001C, &d);
    }
    record(&mut out, 0x000A, &[]);
    out
}

/// The `Workbook` stream: globals (`BOF`, one `BOUNDSHEET` per sheet, `EOF`), then the sheets.
pub fn workbook_stream(sheets: &[BiffSheet]) -> Vec<u8> {
    workbook_stream_with(sheets, &[])
}

/// The `Workbook` stream with, in its globals, an external reference to another workbook
/// (`SUPBOOK` of a file, `XCT` of its first sheet) whose cached cells are `external`: one `CRN`
/// record per `(row, first column, values)`.
pub fn workbook_stream_with(sheets: &[BiffSheet], external: &[(u16, u16, Vec<Cell>)]) -> Vec<u8> {
    let bodies: Vec<Vec<u8>> = sheets.iter().map(sheet_stream).collect();
    let bound = |s: &BiffSheet, at: u32| {
        let mut d = at.to_le_bytes().to_vec();
        d.push(s.state);
        d.push(0);
        d.push(s.name.len() as u8);
        d.push(0);
        d.extend(s.name.bytes());
        d
    };
    let mut links = Vec::new();
    if !external.is_empty() {
        let path = "\u{1}registry_extract.xls";
        let mut sup = 1u16.to_le_bytes().to_vec();
        sup.extend_from_slice(&(path.len() as u16).to_le_bytes());
        sup.push(0);
        sup.extend(path.bytes());
        sup.extend(unicode_string("Persons"));
        record(&mut links, 0x01AE, &sup);
        let mut xct = (external.len() as u16).to_le_bytes().to_vec();
        xct.extend_from_slice(&0u16.to_le_bytes());
        record(&mut links, 0x0059, &xct);
        for (row, first, values) in external {
            let mut crn = vec![(*first as usize + values.len() - 1) as u8, *first as u8];
            crn.extend_from_slice(&row.to_le_bytes());
            for v in values {
                match v {
                    Cell::N(x) => {
                        crn.push(0x01);
                        crn.extend_from_slice(&x.to_le_bytes());
                    }
                    Cell::S(t) => {
                        crn.push(0x02);
                        crn.extend(unicode_string(t));
                    }
                }
            }
            record(&mut links, 0x005A, &crn);
        }
    }
    let globals_len =
        4 + 16 + sheets.iter().map(|s| 4 + bound(s, 0).len()).sum::<usize>() + links.len() + 4;
    let mut out = Vec::new();
    record(&mut out, 0x0809, &bof(0x0005));
    let mut at = globals_len;
    for (s, body) in sheets.iter().zip(&bodies) {
        record(&mut out, 0x0085, &bound(s, at as u32));
        at += body.len();
    }
    out.extend(links);
    record(&mut out, 0x000A, &[]);
    assert_eq!(out.len(), globals_len);
    for body in bodies {
        out.extend(body);
    }
    out
}

const END: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

/// Append a chain of `n` sectors to an allocation table, each pointing at the next and the
/// last ending it; gives the first.
fn push_chain(table: &mut Vec<u32>, n: usize) -> u32 {
    let first = table.len() as u32;
    for i in 0..n {
        table.push(if i + 1 == n {
            END
        } else {
            first + i as u32 + 1
        });
    }
    first
}

/// A compound file of streams by path (`Workbook`, `MBD0001/Package`). Streams under 4 KiB go to the
/// mini stream, as Office writes them; larger ones take regular sectors.
pub fn compound_file(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    // The mini stream and its FAT.
    let mut mini = Vec::new();
    let mut mini_fat: Vec<u32> = Vec::new();
    let mut starts = Vec::new();
    for (_, bytes) in streams {
        if bytes.len() < 4096 {
            let first = push_chain(&mut mini_fat, bytes.len().div_ceil(64).max(1));
            mini.extend_from_slice(bytes);
            mini.resize(mini_fat.len() * 64, 0);
            starts.push(first);
        } else {
            starts.push(FREE);
        }
    }
    let sectors = |len: usize| len.div_ceil(512);
    let dir_sectors = sectors((2 * streams.len() + 1) * 128);
    let mini_fat_sectors = sectors(mini_fat.len() * 4);
    let mini_sectors = sectors(mini.len());
    let big: usize = streams
        .iter()
        .filter(|(_, b)| b.len() >= 4096)
        .map(|(_, b)| sectors(b.len()))
        .sum();
    let rest = dir_sectors + mini_fat_sectors + mini_sectors + big;
    // The FAT's own sectors, and past the 109 the header lists, DIFAT sectors of 127 more each.
    let difat_of = |fat: usize| fat.saturating_sub(109).div_ceil(127);
    let mut fat_sectors = 1;
    while fat_sectors * 128 < fat_sectors + difat_of(fat_sectors) + rest {
        fat_sectors += 1;
    }
    let difat_sectors = difat_of(fat_sectors);
    let reserved = fat_sectors + difat_sectors;
    let mut fat = vec![FAT_SECTOR; fat_sectors];
    fat.extend(vec![DIFAT_SECTOR; difat_sectors]);
    let mut body: Vec<u8> = Vec::new();
    // Append a chain of whole sectors holding `bytes`; gives its first sector.
    let chain = |fat: &mut Vec<u32>, body: &mut Vec<u8>, bytes: &[u8]| -> u32 {
        let first = push_chain(fat, sectors(bytes.len()).max(1));
        body.extend_from_slice(bytes);
        body.resize((fat.len() - reserved) * 512, 0);
        first
    };
    // Directory: the root, then each stream as the right sibling of the one before.
    let mut dir = Vec::new();
    let entry = |name: &str, kind: u8, child: u32, right: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = kind;
        e[67] = 1;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&right.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let dir_start = reserved as u32;
    let dir_len = dir_sectors * 512;
    // Sectors are laid out: FAT, directory, mini FAT, mini stream, large streams.
    chain(&mut fat, &mut body, &vec![0u8; dir_len]);
    let mini_fat_bytes: Vec<u8> = mini_fat.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mini_fat_start = if mini_fat.is_empty() {
        END
    } else {
        chain(&mut fat, &mut body, &mini_fat_bytes)
    };
    let mini_start = if mini.is_empty() {
        END
    } else {
        chain(&mut fat, &mut body, &mini)
    };
    for (i, (_, bytes)) in streams.iter().enumerate() {
        if bytes.len() >= 4096 {
            starts[i] = chain(&mut fat, &mut body, bytes);
        }
    }
    // Entries: the root, each storage a path names (`MBD0001/Package` names `MBD0001`), each
    // stream; the entries of a storage are chained as right siblings under its child link.
    let mut nodes: Vec<(String, u8, usize, u32, u32)> = vec![("Root Entry".into(), 5, 0, 0, 0)];
    for (i, (path, bytes)) in streams.iter().enumerate() {
        let mut parent = 0;
        let parts: Vec<&str> = path.split('/').collect();
        for (k, part) in parts.iter().enumerate() {
            let leaf = k + 1 == parts.len();
            let found = nodes
                .iter()
                .position(|n| n.0 == *part && n.2 == parent && n.1 == 1 && !leaf);
            parent = match found {
                Some(at) => at,
                None => {
                    let (kind, start, size) = if leaf {
                        (2, starts[i], bytes.len() as u32)
                    } else {
                        (1, 0, 0)
                    };
                    nodes.push((part.to_string(), kind, parent, start, size));
                    nodes.len() - 1
                }
            };
        }
    }
    for (id, (name, kind, _, start, size)) in nodes.iter().enumerate() {
        let first_child = (1..nodes.len())
            .find(|&c| nodes[c].2 == id && *kind != 2)
            .map_or(FREE, |c| c as u32);
        let right = (id + 1..nodes.len())
            .find(|&c| id != 0 && nodes[c].2 == nodes[id].2)
            .map_or(FREE, |c| c as u32);
        let (start, size) = if *kind == 5 {
            (mini_start, mini.len() as u32)
        } else {
            (*start, *size)
        };
        dir.extend(entry(name, *kind, first_child, right, start, size));
    }
    dir.resize(dir_len, 0);
    body[..dir_len].copy_from_slice(&dir);
    assert!(fat.len() <= fat_sectors * 128);
    fat.resize(fat_sectors * 128, FREE);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    header[48..52].copy_from_slice(&dir_start.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&mini_fat_start.to_le_bytes());
    header[64..68].copy_from_slice(&(mini_fat_sectors as u32).to_le_bytes());
    let first_difat = if difat_sectors > 0 {
        fat_sectors as u32
    } else {
        END
    };
    header[68..72].copy_from_slice(&first_difat.to_le_bytes());
    header[72..76].copy_from_slice(&(difat_sectors as u32).to_le_bytes());
    for i in 0..109 {
        let v = if i < fat_sectors { i as u32 } else { FREE };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut out = header;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    for k in 0..difat_sectors {
        for i in 0..127 {
            let at = 109 + 127 * k + i;
            let v = if at < fat_sectors { at as u32 } else { FREE };
            out.extend_from_slice(&v.to_le_bytes());
        }
        let next = if k + 1 < difat_sectors {
            (fat_sectors + k + 1) as u32
        } else {
            END
        };
        out.extend_from_slice(&next.to_le_bytes());
    }
    out.extend(body);
    out
}

/// A legacy workbook of `sheets`, its `Workbook` stream padded to `min_len` bytes with blank
/// records when asked (Office pads it past the mini stream's cutoff).
pub fn xls(sheets: &[BiffSheet], min_len: usize) -> Vec<u8> {
    let mut stream = workbook_stream(sheets);
    if stream.len() < min_len {
        stream.resize(min_len, 0);
    }
    compound_file(&[("Workbook", stream)])
}

/// The payload of an `XLUnicodeString`: 16-bit count, flag byte, characters (wide when any
/// character is past Latin-1).
fn xl_string(s: &str) -> Vec<u8> {
    let wide = s.chars().any(|c| c as u32 > 0xFF);
    let mut b = (s.chars().count() as u16).to_le_bytes().to_vec();
    b.push(u8::from(wide));
    for c in s.chars() {
        if wide {
            b.extend_from_slice(&(c as u16).to_le_bytes());
        } else {
            b.push(c as u8);
        }
    }
    b
}

fn cell_head(row: u16, col: u16, xf: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&xf.to_le_bytes());
    d
}

fn rk_int(v: i32, cents: bool) -> [u8; 4] {
    ((v << 2) as u32 | 0x02 | u32::from(cents)).to_le_bytes()
}

/// A `FORMULA` record with its cached value (eight bytes) and a one-token formula.
fn formula(out: &mut Vec<u8>, row: u16, col: u16, value: [u8; 8]) {
    let mut d = cell_head(row, col, 15);
    d.extend_from_slice(&value);
    d.extend_from_slice(&[0; 6]);
    d.extend_from_slice(&3u16.to_le_bytes());
    d.extend_from_slice(&[0x1E, 1, 0]);
    record(out, 0x0006, &d);
}

/// A legacy workbook written with the cell records Excel writes rather than the plain ones of
/// [`BiffSheet`]: shared strings (`SST` cut across `CONTINUE` records mid-string, with a wide
/// string, a rich one and one with phonetic data), `RK` and `MULRK` numbers (whole, in
/// hundredths, doubles), `FORMULA` results (number, text in a `STRING` record, error,
/// boolean), `BOOLERR`, dates and a duration by their number formats (`FORMAT`, `XF`), a chart
/// substream nested in the sheet, and a second, hidden sheet. Sheet "Admissions" is a table of
/// admissions by region whose total row adds up, with a count of 3 at `B4`.
pub fn cell_records_workbook() -> Vec<u8> {
    let mut g = Vec::new();
    record(&mut g, 0x0809, &bof(0x0005));
    record(&mut g, 0x0042, &1200u16.to_le_bytes());
    let mut fmt = 164u16.to_le_bytes().to_vec();
    fmt.extend(xl_string("dd/mm/yyyy"));
    record(&mut g, 0x041E, &fmt);
    for ifmt in std::iter::repeat_n(0u16, 16).chain([164, 14, 46]) {
        let mut xf = vec![0u8; 20];
        xf[2..4].copy_from_slice(&ifmt.to_le_bytes());
        record(&mut g, 0x00E0, &xf);
    }
    let mut sheet_at = Vec::new();
    for (name, state) in [("Admissions", 0u8), ("Codes", 1)] {
        sheet_at.push(g.len() + 4);
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend([state, 0, name.len() as u8, 0]);
        d.extend(name.bytes());
        record(&mut g, 0x0085, &d);
    }
    // SST: Region, Admissions, North, Søndre, then "Østre Vest" wide, cut after "Øs" with
    // the rest narrow after a new flag byte; "Total" rich with two runs, cut between them;
    // "Note" with six bytes of phonetic data; "lbnr".
    let mut sst = 8u32.to_le_bytes().to_vec();
    sst.extend_from_slice(&8u32.to_le_bytes());
    for s in ["Region", "Admissions", "North", "Søndre"] {
        sst.extend(xl_string(s));
    }
    sst.extend([10, 0, 1]);
    for c in "Øs".chars() {
        sst.extend_from_slice(&(c as u16).to_le_bytes());
    }
    record(&mut g, 0x00FC, &sst);
    let mut more = vec![0u8];
    more.extend(b"tre Vest");
    more.extend([5, 0, 0x08, 2, 0]);
    more.extend(b"Total");
    more.extend([0, 0, 1, 0]);
    record(&mut g, 0x003C, &more);
    let mut last = vec![5u8, 0, 2, 0];
    last.extend([4, 0, 0x04, 6, 0, 0, 0]);
    last.extend(b"Note");
    last.extend([0; 6]);
    last.extend(xl_string("lbnr"));
    record(&mut g, 0x003C, &last);
    record(&mut g, 0x000A, &[]);

    let mut s1 = Vec::new();
    record(&mut s1, 0x0809, &bof(0x0010));
    let sst_cell = |out: &mut Vec<u8>, row: u16, col: u16, i: u32| {
        let mut d = cell_head(row, col, 15);
        d.extend_from_slice(&i.to_le_bytes());
        record(out, 0x00FD, &d);
    };
    let label = |out: &mut Vec<u8>, row: u16, col: u16, s: &str| {
        let mut d = cell_head(row, col, 15);
        d.extend(xl_string(s));
        record(out, 0x0204, &d);
    };
    let number = |out: &mut Vec<u8>, row: u16, col: u16, xf: u16, v: f64| {
        let mut d = cell_head(row, col, xf);
        d.extend_from_slice(&v.to_le_bytes());
        record(out, 0x0203, &d);
    };
    let rk = |out: &mut Vec<u8>, row: u16, col: u16, xf: u16, v: [u8; 4]| {
        let mut d = cell_head(row, col, xf);
        d.extend_from_slice(&v);
        record(out, 0x027E, &d);
    };
    sst_cell(&mut s1, 0, 0, 0);
    sst_cell(&mut s1, 0, 1, 1);
    label(&mut s1, 0, 2, "Share");
    label(&mut s1, 0, 3, "First seen");
    sst_cell(&mut s1, 1, 0, 2);
    rk(&mut s1, 1, 1, 15, rk_int(120, false));
    number(&mut s1, 1, 2, 15, 0.25);
    number(&mut s1, 1, 3, 16, 44_197.0);
    sst_cell(&mut s1, 2, 0, 3);
    let mut mul = cell_head(2, 1, 15)[..4].to_vec();
    mul.extend_from_slice(&15u16.to_le_bytes());
    mul.extend_from_slice(&rk_int(87, false));
    mul.extend_from_slice(&15u16.to_le_bytes());
    mul.extend_from_slice(&((0.5f64.to_bits() >> 32) as u32).to_le_bytes());
    mul.extend_from_slice(&17u16.to_le_bytes());
    mul.extend_from_slice(&rk_int(44_562, false));
    mul.extend_from_slice(&3u16.to_le_bytes());
    record(&mut s1, 0x00BD, &mul);
    sst_cell(&mut s1, 3, 0, 4);
    formula(&mut s1, 3, 1, 3.0f64.to_le_bytes());
    formula(&mut s1, 3, 2, [0x02, 0, 0x07, 0, 0, 0, 0xFF, 0xFF]);
    formula(&mut s1, 3, 3, [0x01, 0, 1, 0, 0, 0, 0xFF, 0xFF]);
    // A chart drawn on the sheet: its records are not the sheet's cells.
    record(&mut s1, 0x0809, &bof(0x0020));
    number(&mut s1, 9, 0, 15, 999.0);
    record(&mut s1, 0x000A, &[]);
    sst_cell(&mut s1, 4, 0, 5);
    formula(&mut s1, 4, 1, 210.0f64.to_le_bytes());
    let mut err = cell_head(4, 2, 15);
    err.extend([0x2A, 1]);
    record(&mut s1, 0x0205, &err);
    number(&mut s1, 4, 3, 18, 1.5);
    sst_cell(&mut s1, 5, 0, 6);
    formula(&mut s1, 5, 1, [0x00, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
    record(&mut s1, 0x0207, &xl_string("see text"));
    let mut yes = cell_head(5, 2, 15);
    yes.extend([1, 0]);
    record(&mut s1, 0x0205, &yes);
    label(&mut s1, 6, 0, "Rate");
    rk(&mut s1, 6, 1, 15, rk_int(1234, true));
    record(&mut s1, 0x000A, &[]);

    let mut s2 = Vec::new();
    record(&mut s2, 0x0809, &bof(0x0010));
    sst_cell(&mut s2, 0, 0, 7);
    label(&mut s2, 0, 1, "code");
    rk(&mut s2, 1, 0, 15, rk_int(17, false));
    label(&mut s2, 1, 1, "A04");
    record(&mut s2, 0x000A, &[]);

    let first = g.len() as u32;
    let second = first + s1.len() as u32;
    g[sheet_at[0]..sheet_at[0] + 4].copy_from_slice(&first.to_le_bytes());
    g[sheet_at[1]..sheet_at[1] + 4].copy_from_slice(&second.to_le_bytes());
    let mut stream = g;
    stream.extend(s1);
    stream.extend(s2);
    stream.resize(stream.len().max(4096), 0);
    compound_file(&[("Workbook", stream)])
}
