//! Figures under `fixtures/cases/figures/` through the whole pipeline: SVG drawings, PDF pages
//! and raster images. Each fixture is built by a function below (hand-written SVG text, PDFs
//! written object by object with their cross-reference table, PNGs chunk by chunk with their
//! CRCs, WebPs chunk by chunk) and committed; `EXPORT_CHECK_REGENERATE=1 cargo test --test figures` rewrites them.
//! A scatter of individuals fails, a bar chart and a monthly line pass, text drawn in a figure
//! (an at-risk table, a flowchart box, a table on a PDF page) goes through the table rules,
//! and an image's metadata through the text and table rules.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;

use export_check::finding::{Severity, Verdict};

// ---------------------------------------------------------------------------------------------
// Generators

/// A small deterministic sequence in 0..1 (no randomness in fixtures).
fn jitter(i: u32, salt: u32) -> f64 {
    let mut x = i
        .wrapping_mul(2_654_435_761)
        .wrapping_add(salt.wrapping_mul(40_503));
    x ^= x >> 13;
    x = x.wrapping_mul(1_274_126_177);
    x ^= x >> 16;
    f64::from(x % 10_000) / 10_000.0
}

fn svg(body: &str) -> Vec<u8> {
    format!(
        "<?xml version='1.0' encoding='UTF-8' ?>\n<svg xmlns='http://www.w3.org/2000/svg' \
         xmlns:xlink='http://www.w3.org/1999/xlink' width='504pt' height='360pt' \
         viewBox='0 0 504 360'>\n<rect width='100%' height='100%' style='fill: #FFFFFF;'/>\n\
         {body}</svg>\n"
    )
    .into_bytes()
}

/// Axis labels as svglite draws them.
fn axis_labels() -> String {
    let mut s = String::new();
    for (k, v) in ["0", "25", "50", "75", "100"].iter().enumerate() {
        let x = 60.0 + 100.0 * k as f64;
        writeln!(s, "<text x='{x:.2}' y='340.00' text-anchor='middle' style='font-size: 8.80px;'>{v}</text>").unwrap();
    }
    s
}

/// An svglite scatter plot: one circle per person.
fn svg_scatter() -> Vec<u8> {
    let mut body = String::from("<g clip-path='url(#cpMC4wMHw1MDQuMDB8MC4wMHwzNjAuMDA=)'>\n");
    for i in 0..150 {
        let x = 60.0 + 400.0 * jitter(i, 1);
        let y = 20.0 + 300.0 * jitter(i, 2);
        writeln!(body, "<circle cx='{x:.2}' cy='{y:.2}' r='1.95' style='stroke-width: 0.71; fill: #000000;' />").unwrap();
    }
    body.push_str("</g>\n");
    body.push_str(&axis_labels());
    svg(&body)
}

/// A Kaplan-Meier curve as R's `plot.survfit` draws it: a step line, and a short vertical
/// tick on the curve at each of 60 censoring times (one per individual who left follow-up).
fn svg_censor_ticks() -> Vec<u8> {
    let mut times: Vec<f64> = (0..60).map(|i| 400.0 * jitter(i, 6)).collect();
    times.sort_by(f64::total_cmp);
    let height = |t: f64| 40.0 + 250.0 * (t / 400.0).powf(0.7);
    let mut steps = String::from("60.00,40.00");
    for k in 1..=40 {
        let t = 10.0 * f64::from(k);
        write!(
            steps,
            " {:.2},{:.2} {:.2},{:.2}",
            60.0 + t,
            height(t - 10.0),
            60.0 + t,
            height(t)
        )
        .unwrap();
    }
    let mut body = format!(
        "<polyline points='{steps}' style='stroke-width: 0.75; stroke: #000000; fill: none;' />\n"
    );
    for t in times {
        let (x, y) = (60.0 + t, height((t / 10.0).floor() * 10.0));
        writeln!(body, "<line x1='{x:.2}' y1='{:.2}' x2='{x:.2}' y2='{:.2}' style='stroke-width: 0.75; stroke: #000000;' />", y - 3.0, y + 3.0).unwrap();
    }
    body.push_str(&axis_labels());
    svg(&body)
}

/// ggplot's way over a grid: 80 points whose heights are whole values (an age in years, a
/// score) each on one of 8 horizontal gridlines that span the panel.
fn svg_scatter_gridlines() -> Vec<u8> {
    let mut body = String::new();
    for k in 0..8 {
        let y = 20.0 + 40.0 * f64::from(k);
        writeln!(
            body,
            "<line x1='40.00' y1='{y:.2}' x2='480.00' y2='{y:.2}' style='stroke: #EBEBEB;' />"
        )
        .unwrap();
    }
    for i in 0..80 {
        let x = 60.0 + 400.0 * jitter(i, 5);
        let y = 20.0 + 40.0 * (i % 8) as f64;
        writeln!(
            body,
            "<circle cx='{x:.2}' cy='{y:.2}' r='1.95' style='fill: #000000;' />"
        )
        .unwrap();
    }
    body.push_str(&axis_labels());
    svg(&body)
}

/// matplotlib's way: a marker path defined once, one `use` per point.
fn svg_matplotlib_scatter() -> Vec<u8> {
    let mut body = String::from(
        "<!-- Created with matplotlib (https://matplotlib.org/) -->\n<g id=\"figure_1\">\
         <g id=\"axes_1\"><g id=\"PathCollection_1\">\n<defs>\n<path id=\"m5c8d1e2f3a\" \
         d=\"M 0 3 C 0.795609 3 1.55874 2.683901 2.12132 2.12132 C 2.683901 1.55874 3 0.795609 \
         3 0 C 3 -0.795609 2.683901 -1.55874 2.12132 -2.12132 z\" style=\"stroke: #1f77b4\"/>\n\
         </defs>\n<g clip-path=\"url(#p1a2b3c4d5e)\">\n",
    );
    for i in 0..120 {
        let x = 80.0 + 300.0 * jitter(i, 3);
        let y = 30.0 + 250.0 * jitter(i, 4);
        writeln!(body, "<use xlink:href=\"#m5c8d1e2f3a\" x=\"{x:.6}\" y=\"{y:.6}\" style=\"fill: #1f77b4; stroke: #1f77b4\"/>").unwrap();
    }
    body.push_str("</g>\n</g></g></g>\n");
    svg(&body)
}

/// A bar chart of six aggregates with value labels above the bars.
fn svg_bar_chart() -> Vec<u8> {
    let mut body = String::from("<g clip-path='url(#cpbars)'>\n");
    let heights = [120.0, 180.0, 95.0, 240.0, 160.0, 210.0];
    for (k, h) in heights.iter().enumerate() {
        let x = 70.0 + 70.0 * k as f64;
        let y = 320.0 - h;
        writeln!(
            body,
            "<rect x='{x:.2}' y='{y:.2}' width='50.00' height='{h:.2}' style='fill: #595959;' />"
        )
        .unwrap();
    }
    body.push_str("</g>\n");
    for (k, l) in ["North", "South", "East", "West", "Central", "Islands"]
        .iter()
        .enumerate()
    {
        let x = 95.0 + 70.0 * k as f64;
        writeln!(
            body,
            "<text x='{x:.2}' y='335.00' text-anchor='middle'>{l}</text>"
        )
        .unwrap();
    }
    body.push_str(
        "<text x='252.00' y='14.00' text-anchor='middle'>Admissions per 100,000 by region</text>\n",
    );
    svg(&body)
}

/// A line of 36 monthly values.
fn svg_monthly_line() -> Vec<u8> {
    let mut points = String::new();
    for m in 0..36 {
        let x = 60.0 + 12.0 * f64::from(m);
        let y = 200.0 - 60.0 * (f64::from(m) / 5.0).sin();
        write!(points, "{x:.2},{y:.2} ").unwrap();
    }
    let mut body = format!(
        "<g clip-path='url(#cpline)'>\n<polyline points='{}' style='stroke-width: 1.07; \
         stroke: #000000; fill: none;' />\n</g>\n",
        points.trim_end()
    );
    for (k, y) in ["2021", "2022", "2023"].iter().enumerate() {
        let x = 60.0 + 144.0 * k as f64;
        writeln!(
            body,
            "<text x='{x:.2}' y='340.00' text-anchor='middle'>{y}</text>"
        )
        .unwrap();
    }
    svg(&body)
}

/// A Kaplan-Meier plot with its number-at-risk table drawn as text below it: one count is 4.
fn svg_at_risk() -> Vec<u8> {
    let mut body = String::from("<g clip-path='url(#cpkm)'>\n");
    for (arm, drop) in [(0, 0.9), (1, 0.8)] {
        let mut pts = String::new();
        let mut y = 20.0;
        for k in 0..30 {
            let x = 60.0 + 13.0 * f64::from(k);
            write!(pts, "{x:.2},{y:.2} ").unwrap();
            y += drop * (1.0 + jitter(k, arm + 7) * 4.0);
            write!(pts, "{x:.2},{y:.2} ").unwrap();
        }
        writeln!(
            body,
            "<polyline points='{}' style='fill: none;' />",
            pts.trim_end()
        )
        .unwrap();
    }
    body.push_str("</g>\n");
    for (k, t) in ["0", "12", "24", "36", "48", "60"].iter().enumerate() {
        let x = 60.0 + 78.0 * k as f64;
        writeln!(
            body,
            "<text x='{x:.2}' y='250.00' text-anchor='middle'>{t}</text>"
        )
        .unwrap();
    }
    body.push_str("<text x='240.00' y='262.00' text-anchor='middle'>Months</text>\n");
    body.push_str("<text x='10.00' y='290.00'>Number at risk</text>\n");
    for (row, (arm, counts)) in [
        ("Treatment", ["84", "48", "31", "14", "7", "4"]),
        ("Control", ["80", "52", "35", "20", "11", "6"]),
    ]
    .iter()
    .enumerate()
    {
        let y = 304.0 + 12.0 * row as f64;
        writeln!(body, "<text x='10.00' y='{y:.2}'>{arm}</text>").unwrap();
        for (k, c) in counts.iter().enumerate() {
            let x = 60.0 + 78.0 * k as f64;
            writeln!(
                body,
                "<text x='{x:.2}' y='{y:.2}' text-anchor='middle'>{c}</text>"
            )
            .unwrap();
        }
    }
    svg(&body)
}

/// A CONSORT-style flowchart: boxes with their group sizes, one of them 1.
fn svg_flowchart() -> Vec<u8> {
    let mut body = String::new();
    for (k, label) in [
        "Assessed for eligibility (n = 412)",
        "Excluded (n = 1)",
        "Randomised (n = 411)",
    ]
    .iter()
    .enumerate()
    {
        let y = 40.0 + 90.0 * k as f64;
        writeln!(
            body,
            "<rect x='150' y='{y}' width='200' height='40' style='fill: none; stroke: #000;'/>"
        )
        .unwrap();
        writeln!(
            body,
            "<text x='250' y='{}' text-anchor='middle'>{label}</text>",
            y + 24.0
        )
        .unwrap();
    }
    svg(&body)
}

/// A DOCTYPE that declares an entity: read as text, never expanded, and not passed.
fn svg_entities() -> Vec<u8> {
    b"<?xml version='1.0'?>\n<!DOCTYPE svg [<!ENTITY big 'lots of text'>]>\n<svg \
      xmlns='http://www.w3.org/2000/svg'><text x='1' y='1'>&big;</text></svg>\n"
        .to_vec()
}

/// A PDF of the given pages (content streams, uncompressed) and embedded files, written
/// object by object with a cross-reference table.
fn pdf(pages: &[String], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 font, then per page: page, content; then per file: spec, stream.
    let n = pages.len();
    let first_file = 4 + 2 * n;
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let names: Vec<String> = files
        .iter()
        .enumerate()
        .map(|(i, (name, _))| format!("({name}) {} 0 R", first_file + 2 * i))
        .collect();
    let catalog = if files.is_empty() {
        "<< /Type /Catalog /Pages 2 0 R >>".to_string()
    } else {
        format!(
            "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [{}] >> >> >>",
            names.join(" ")
        )
    };
    objects.push(catalog);
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    for (i, content) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ));
    }
    let mut streams: Vec<&[u8]> = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F {} 0 R >> >>",
            first_file + 2 * i + 1
        ));
        objects.push(String::new());
        streams.push(bytes);
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let mut file_k = 0;
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        if body.is_empty() {
            let data = streams[file_k];
            file_k += 1;
            write!(
                out,
                "<< /Type /EmbeddedFile /Length {} >>\nstream\n",
                data.len()
            )
            .unwrap();
            out.extend_from_slice(data);
            out.extend_from_slice(b"\nendstream");
        } else {
            out.extend_from_slice(body.as_bytes());
        }
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// A text line at a position on a PDF page.
fn pdf_text(x: f64, y: f64, s: &str) -> String {
    format!("BT /F1 10 Tf 1 0 0 1 {x:.1} {y:.1} Tm ({s}) Tj ET\n")
}

/// A PDF page with a table of counts, one of them 3.
fn pdf_table() -> Vec<u8> {
    let mut c = pdf_text(72.0, 760.0, "Table 2. Admissions by region");
    let rows = [
        ["Region", "Admissions", "Deaths"],
        ["North", "1204", "88"],
        ["South", "986", "3"],
        ["East", "1530", "102"],
    ];
    for (r, row) in rows.iter().enumerate() {
        let y = 730.0 - 14.0 * r as f64;
        for (k, cell) in row.iter().enumerate() {
            c.push_str(&pdf_text(72.0 + 110.0 * k as f64, y, cell));
        }
    }
    pdf(&[c], &[])
}

/// A PDF page with a vector scatter plot: 2,000 tiny filled squares, one per person.
fn pdf_scatter() -> Vec<u8> {
    let mut c = String::from("0.12 0.47 0.71 rg\n");
    for i in 0..2000 {
        let x = 80.0 + 400.0 * jitter(i, 11);
        let y = 300.0 + 400.0 * jitter(i, 12);
        writeln!(c, "{x:.2} {y:.2} 2 2 re f").unwrap();
    }
    c.push_str(&pdf_text(260.0, 280.0, "Age at diagnosis"));
    pdf(&[c], &[])
}

/// A PDF report with a CSV of persons attached.
fn pdf_attachment() -> Vec<u8> {
    let c = pdf_text(72.0, 760.0, "Results are in the appendix.");
    let csv = b"patient_id,age,sex,diagnosis_date\n100234,54,F,2019-03-02\n100871,61,M,2019-04-17\n101002,47,F,2019-05-09\n101345,70,M,2019-06-21\n";
    pdf(&[c], &[("cohort.csv", csv)])
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A 1×1 grey PNG with the given text chunks (`tEXt` or compressed `zTXt`).
fn png(texts: &[(&[u8; 4], &str, &str)]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    for (kind, key, text) in texts {
        let mut data = key.as_bytes().to_vec();
        data.push(0);
        if *kind == b"zTXt" {
            data.push(0);
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(text.as_bytes()).unwrap();
            data.extend(z.finish().unwrap());
        } else {
            data.extend_from_slice(text.as_bytes());
        }
        chunk(&mut out, kind, &data);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&[0, 128]).unwrap();
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

const COHORT_CSV: &str = "patient_id,age,sex,event_date\n100234,54,F,2019-03-02\n100871,61,M,2019-04-17\n101002,47,F,2019-05-09\n101345,70,M,2019-06-21\n101777,38,F,2019-07-30\n";

/// A 1×1 lossless WebP (`VP8X` first, as the format asks when metadata follows) with an `XMP `
/// packet whose description is `xmp`, if any.
fn webp(xmp: Option<&str>) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(kind);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
    }
    let mut body = b"WEBP".to_vec();
    let flags = if xmp.is_some() { 0x04 } else { 0 };
    chunk(&mut body, b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    chunk(
        &mut body,
        b"VP8L",
        &[
            0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07,
        ],
    );
    if let Some(text) = xmp {
        let packet = format!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:description>\n{text}</dc:description>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        );
        chunk(&mut body, b"XMP ", packet.as_bytes());
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

/// An ICC profile of text tags: `desc` typed (v2) for the description, `mluc` (v4, UTF-16BE)
/// for the others.
fn icc_profile(tags: &[(&[u8; 4], &str)]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut table = Vec::new();
    let first = 128 + 4 + 12 * tags.len();
    for (sig, text) in tags {
        let mut tag = Vec::new();
        if *sig == b"desc" {
            tag.extend_from_slice(b"desc\0\0\0\0");
            tag.extend_from_slice(&(text.len() as u32 + 1).to_be_bytes());
            tag.extend_from_slice(text.as_bytes());
            tag.push(0);
        } else {
            let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            tag.extend_from_slice(b"mluc\0\0\0\0");
            for v in [1u32, 12] {
                tag.extend_from_slice(&v.to_be_bytes());
            }
            tag.extend_from_slice(b"enUS");
            tag.extend_from_slice(&(units.len() as u32).to_be_bytes());
            tag.extend_from_slice(&28u32.to_be_bytes());
            tag.extend(units);
        }
        table.extend_from_slice(*sig);
        table.extend_from_slice(&((first + data.len()) as u32).to_be_bytes());
        table.extend_from_slice(&(tag.len() as u32).to_be_bytes());
        data.extend(tag);
        while data.len() % 4 != 0 {
            data.push(0);
        }
    }
    let mut out = vec![0u8; 128];
    let size = (first + data.len()) as u32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    out[36..40].copy_from_slice(b"acsp");
    out.extend_from_slice(&(tags.len() as u32).to_be_bytes());
    out.extend(table);
    out.extend(data);
    out
}

/// A 1×1 grey PNG with an `iCCP` chunk holding `profile`.
fn png_with_icc(profile: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    let mut data = b"ICC profile\0\0".to_vec();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(profile).unwrap();
    data.extend(z.finish().unwrap());
    chunk(&mut out, b"iCCP", &data);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&[0, 128]).unwrap();
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A minimal JPEG with an APP13 Photoshop block of IPTC datasets (record 2) and an ICC profile
/// cut into two APP2 segments, written out of order.
fn jpeg_iptc_icc(datasets: &[(u8, &str)], profile: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let segment = |out: &mut Vec<u8>, marker: u8, data: &[u8]| {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(data);
    };
    let mut iim = Vec::new();
    for (dataset, text) in datasets {
        iim.extend_from_slice(&[0x1C, 2, *dataset]);
        iim.extend_from_slice(&(text.len() as u16).to_be_bytes());
        iim.extend_from_slice(text.as_bytes());
    }
    let mut block = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    block.extend_from_slice(&(iim.len() as u32).to_be_bytes());
    block.extend_from_slice(&iim);
    if iim.len() % 2 == 1 {
        block.push(0);
    }
    segment(&mut out, 0xED, &block);
    let half = profile.len() / 2;
    for (seq, part) in [(2u8, &profile[half..]), (1, &profile[..half])] {
        let mut d = b"ICC_PROFILE\0".to_vec();
        d.extend_from_slice(&[seq, 2]);
        d.extend_from_slice(part);
        segment(&mut out, 0xE2, &d);
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A minimal JPEG: start of image, a comment segment, end of image.
fn jpeg_comment(comment: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xFE];
    out.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(comment.as_bytes());
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A drawing as Stata writes it: thousands of units across, markers 40 units wide.
fn stata_svg(width: u32, height: u32, body: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg version=\"1.1\" \
         width=\"7.500in\" height=\"4.500in\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n{body}</svg>\n"
    )
    .into_bytes()
}

/// A Stata scatter of individuals: circles 43 units wide on a drawing 5,400 across, with a
/// count axis (`0 5 10 15`) up the side and an age axis along the bottom.
fn svg_stata_scatter() -> Vec<u8> {
    let mut body = String::new();
    for i in 0..200 {
        let x = 600.0 + 4500.0 * jitter(i, 3);
        let y = 320.0 + 2400.0 * jitter(i, 4);
        writeln!(
            body,
            "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"21.74\" style=\"fill:#1A85FF\"/>"
        )
        .unwrap();
    }
    for (k, v) in ["0", "5", "10", "15"].iter().enumerate() {
        let y = 2700.0 - 780.0 * k as f64;
        writeln!(
            body,
            "<text x=\"420.00\" y=\"{y:.2}\" style=\"font-size:99.99px\">{v}</text>"
        )
        .unwrap();
    }
    for (k, v) in ["20", "40", "60", "80"].iter().enumerate() {
        let x = 600.0 + 1500.0 * k as f64;
        writeln!(
            body,
            "<text x=\"{x:.2}\" y=\"2900.00\" style=\"font-size:99.99px\">{v}</text>"
        )
        .unwrap();
    }
    stata_svg(5400, 3240, &body)
}

/// A Stata forest plot of odds ratios by deprivation quintile in two panels: one marker per
/// row (rows evenly spaced), each interval a line with caps, a dashed reference line at 1, a
/// log axis `.5 1 2 4` under each panel, and the quintiles named `5 (most deprived)` … `1 (least
/// deprived, reference)` beside their numbers.
fn svg_forest_plot() -> Vec<u8> {
    let mut body = String::new();
    let groups = ["White", "Mixed", "Asian", "Black"];
    let row = |g: usize, q: usize| 400.0 + 300.0 * g as f64 + 50.4 * q as f64;
    for (g, name) in groups.iter().enumerate() {
        writeln!(
            body,
            "<text x=\"300.00\" y=\"{:.2}\">{name}</text>",
            row(g, 0) - 50.4
        )
        .unwrap();
        for q in 0..5 {
            let label = match q {
                0 => "5 (most deprived)".to_string(),
                4 => "1 (least deprived, reference)".to_string(),
                _ => (5 - q).to_string(),
            };
            writeln!(
                body,
                "<text x=\"360.00\" y=\"{:.2}\">{label}</text>",
                row(g, q)
            )
            .unwrap();
            for panel in 0..2 {
                let off = 1893.0 * f64::from(panel);
                let est = 0.8 + 0.9 * jitter((g * 5 + q) as u32, panel + 5);
                let x = 995.0 + off + 210.0 * est.log2();
                let y = row(g, q);
                writeln!(body, "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"22.68\" style=\"fill:none;stroke:#000000\"/>").unwrap();
                writeln!(body, "<line x1=\"{:.2}\" y1=\"{y:.2}\" x2=\"{:.2}\" y2=\"{y:.2}\" style=\"stroke:#000000\"/>", x - 40.0, x + 40.0).unwrap();
                for cap in [x - 40.0, x + 40.0] {
                    writeln!(body, "<line x1=\"{cap:.2}\" y1=\"{:.2}\" x2=\"{cap:.2}\" y2=\"{:.2}\" style=\"stroke:#000000\"/>", y - 22.0, y + 22.0).unwrap();
                }
                writeln!(
                    body,
                    "<text x=\"{:.2}\" y=\"{y:.2}\">{est:.2} ({:.2}-{:.2})</text>",
                    1400.0 + off,
                    est * 0.7,
                    est * 1.4
                )
                .unwrap();
            }
        }
    }
    for panel in 0..2 {
        let off = 1893.0 * f64::from(panel);
        for k in 0..12 {
            let y = 350.0 + 118.8 * f64::from(k);
            writeln!(body, "<line x1=\"{:.2}\" y1=\"{y:.2}\" x2=\"{:.2}\" y2=\"{:.2}\" style=\"stroke:#C10534\"/>", 995.0 + off, 995.0 + off, y + 79.2).unwrap();
        }
        for (k, v) in [".5", "1", "2", "4"].iter().enumerate() {
            let x = 785.0 + off + 210.0 * k as f64;
            writeln!(body, "<text x=\"{x:.2}\" y=\"1900.00\">{v}</text>").unwrap();
        }
    }
    stata_svg(3960, 2200, &body)
}

fn generated() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("cases/figures/svg_scatter.svg", svg_scatter()),
        (
            "cases/figures/svg_matplotlib_scatter.svg",
            svg_matplotlib_scatter(),
        ),
        ("cases/figures/svg_bar_chart.svg", svg_bar_chart()),
        ("cases/figures/svg_monthly_line.svg", svg_monthly_line()),
        ("cases/figures/svg_at_risk.svg", svg_at_risk()),
        ("cases/figures/svg_flowchart.svg", svg_flowchart()),
        ("cases/figures/svg_entities.svg", svg_entities()),
        ("cases/figures/svg_stata_scatter.svg", svg_stata_scatter()),
        ("cases/figures/svg_forest_plot.svg", svg_forest_plot()),
        (
            "cases/figures/svg_scatter_gridlines.svg",
            svg_scatter_gridlines(),
        ),
        ("cases/figures/svg_censor_ticks.svg", svg_censor_ticks()),
        ("cases/figures/pdf_table.pdf", pdf_table()),
        ("cases/figures/pdf_scatter.pdf", pdf_scatter()),
        ("cases/figures/pdf_attachment.pdf", pdf_attachment()),
        (
            "cases/figures/png_csv_text.png",
            png(&[(b"tEXt", "Comment", COHORT_CSV)]),
        ),
        (
            "cases/figures/png_csv_ztxt.png",
            png(&[(b"zTXt", "Description", COHORT_CSV)]),
        ),
        (
            "cases/figures/png_plain.png",
            png(&[(
                b"tEXt",
                "Software",
                "Matplotlib version3.8.2, https://matplotlib.org/",
            )]),
        ),
        ("cases/figures/webp_csv_xmp.webp", webp(Some(COHORT_CSV))),
        (
            "cases/figures/webp_plain.webp",
            webp(Some("Figure 2: incidence by region, 2019-2023\n")),
        ),
        (
            "cases/figures/jpeg_comment.jpg",
            jpeg_comment("Figure 3: incidence by month, 2019-2023"),
        ),
        (
            "cases/figures/png_icc_standard.png",
            png_with_icc(&icc_profile(&[
                (b"desc", "sRGB IEC61966-2.1"),
                (b"cprt", "Copyright International Color Consortium, 2015"),
            ])),
        ),
        (
            "cases/figures/png_icc_csv.png",
            png_with_icc(&icc_profile(&[
                (b"desc", COHORT_CSV),
                (b"cprt", "No copyright"),
            ])),
        ),
        (
            "cases/figures/jpeg_iptc_icc.jpg",
            jpeg_iptc_icc(
                &[
                    (5, "Figure 4"),
                    (120, "Patient CPR 161124-3533, seen 2019-03-02"),
                ],
                &icc_profile(&[(b"desc", "Display P3"), (b"dmdd", COHORT_CSV)]),
            ),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn fixtures_are_current() {
    common::assert_fixtures_current(&generated());
}

/// The verdict and `(rule, severity, member)` of every finding of one fixture.
fn findings(name: &str) -> (Verdict, Vec<(String, Severity, Option<String>)>) {
    let r = common::report(&format!("figures/{name}"));
    assert_eq!(r.files.len(), 1);
    let mut f: Vec<_> = r.files[0]
        .findings
        .iter()
        // Info findings other than this family's (back-calculation's "no totals detected").
        .filter(|f| f.severity != Severity::Info || f.rule == "embedded-data")
        .map(|f| (f.rule.to_string(), f.severity, f.location.member.clone()))
        .collect();
    f.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    f.dedup();
    (r.verdict, f)
}

fn rules_of(f: &[(String, Severity, Option<String>)]) -> Vec<&str> {
    let mut v: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    v.dedup();
    v
}

#[test]
fn svg_scatter_plots_are_embedded_data() {
    for name in ["svg_scatter.svg", "svg_matplotlib_scatter.svg"] {
        let (verdict, f) = findings(name);
        assert_eq!(verdict, Verdict::Fail, "{name}: {f:?}");
        assert_eq!(
            f,
            vec![("embedded-data".into(), Severity::Error, None)],
            "{name}"
        );
    }
    let r = common::report("figures/svg_scatter.svg");
    let msg = &r.files[0].findings[0].message;
    assert!(msg.contains("150 markers"), "{msg}");
}

/// Markers are judged by the drawing's size: Stata draws 5,400 units across and its circles
/// 43 wide. The numbers up its count axis (`0 5 10 15`) are tick labels, not counts.
#[test]
fn a_stata_scatter_is_embedded_data_and_its_axes_are_not_counts() {
    let (verdict, f) = findings("svg_stata_scatter.svg");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert_eq!(f, vec![("embedded-data".into(), Severity::Error, None)]);
}

/// A forest plot of estimates by quintile: markers one per row, each on its interval, are
/// estimates (an info finding), the dashes of the reference line and the caps of the intervals
/// are no individuals, the log axes of its two panels are tick labels, and the quintiles
/// numbered `5 (most deprived)` … `1` are levels, not counts.
#[test]
fn a_stata_forest_plot_of_estimates_on_their_intervals_passes() {
    let (verdict, f) = findings("svg_forest_plot.svg");
    assert_eq!(verdict, Verdict::Pass, "{f:?}");
    assert_eq!(f, vec![("embedded-data".into(), Severity::Info, None)]);
}

/// Censor ticks on a survival curve are one mark per individual: an error, while the step
/// line itself is an aggregate.
#[test]
fn censor_ticks_on_a_survival_curve_are_individuals() {
    let (verdict, f) = findings("svg_censor_ticks.svg");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert_eq!(f, vec![("embedded-data".into(), Severity::Error, None)]);
}

/// Points of a scatter whose heights are whole values fall on the horizontal gridlines; each
/// gridline holds many of them, so none is an estimate on its own interval: one marker per
/// individual, an error.
#[test]
fn a_scatter_over_gridlines_is_no_forest_plot() {
    let (verdict, f) = findings("svg_scatter_gridlines.svg");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert_eq!(f, vec![("embedded-data".into(), Severity::Error, None)]);
}

#[test]
fn aggregate_svg_figures_pass() {
    for name in ["svg_bar_chart.svg", "svg_monthly_line.svg"] {
        let (verdict, f) = findings(name);
        assert_eq!(verdict, Verdict::Pass, "{name}: {f:?}");
        assert!(f.is_empty(), "{name}: {f:?}");
    }
}

#[test]
fn text_drawn_in_an_svg_goes_through_the_table_rules() {
    for name in ["svg_at_risk.svg", "svg_flowchart.svg"] {
        let (verdict, f) = findings(name);
        assert_eq!(verdict, Verdict::Fail, "{name}: {f:?}");
        assert_eq!(rules_of(&f), vec!["small-count"], "{name}: {f:?}");
    }
    let r = common::report("figures/svg_at_risk.svg");
    let lines: Vec<u32> = r.files[0]
        .findings
        .iter()
        .filter_map(|f| f.location.line)
        .collect();
    // The `Treatment` row of the at-risk table: the fourth text line of the figure.
    assert_eq!(lines, vec![4], "{:?}", r.files[0].findings);
}

#[test]
fn svg_entities_are_never_expanded() {
    let (verdict, f) = findings("svg_entities.svg");
    assert_ne!(verdict, Verdict::Pass, "{f:?}");
    assert_eq!(rules_of(&f), vec!["unreadable"], "{f:?}");
}

#[test]
fn pdf_pages_give_tables_and_scatter_plots() {
    let (verdict, f) = findings("pdf_table.pdf");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert_eq!(
        f,
        vec![("small-count".into(), Severity::Error, Some("page 1".into()))]
    );
    let (verdict, f) = findings("pdf_scatter.pdf");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert_eq!(
        f,
        vec![(
            "embedded-data".into(),
            Severity::Error,
            Some("page 1".into())
        )]
    );
}

#[test]
fn pdf_attachments_are_hidden_and_checked_as_files() {
    let (verdict, f) = findings("pdf_attachment.pdf");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    let rules = rules_of(&f);
    assert!(rules.contains(&"hidden-content"), "{f:?}");
    assert!(
        f.iter()
            .any(|x| x.2.as_deref() == Some("cohort.csv") && x.0 != "hidden-content"),
        "{f:?}"
    );
}

#[test]
fn png_text_chunks_go_through_the_rules() {
    for (name, member) in [
        ("png_csv_text.png", "tEXt Comment"),
        ("png_csv_ztxt.png", "zTXt Description"),
        ("webp_csv_xmp.webp", "XMP"),
    ] {
        let (verdict, f) = findings(name);
        assert_eq!(verdict, Verdict::Fail, "{name}: {f:?}");
        assert!(
            f.contains(&("embedded-data".into(), Severity::Error, Some(member.into()))),
            "{name}: {f:?}"
        );
        assert!(
            f.iter().all(|x| x.2.as_deref() == Some(member)),
            "{name}: {f:?}"
        );
    }
}

#[test]
fn raster_images_without_data_ask_for_a_look() {
    for name in ["png_plain.png", "jpeg_comment.jpg", "webp_plain.webp"] {
        let (verdict, f) = findings(name);
        assert_eq!(verdict, Verdict::Pass, "{name}: {f:?}");
        assert_eq!(
            f,
            vec![("embedded-data".into(), Severity::Info, None)],
            "{name}"
        );
        // The UK profile has every raster figure reviewed by a person.
        let uk = export_check::Rules::load("uk", None, None).expect("uk profile");
        let r = common::report_with(&format!("figures/{name}"), &uk);
        assert_eq!(r.verdict, Verdict::Review, "{name}");
        assert!(r.files[0]
            .findings
            .iter()
            .all(|f| f.rule == "embedded-data" && f.severity == Severity::Warning));
    }
}

#[test]
fn messages_never_carry_figure_text() {
    for (name, _) in generated() {
        let file = name.trim_start_matches("cases/");
        let r = common::report(file);
        for f in &r.files[0].findings {
            for secret in ["100234", "2019-03-02", "Matplotlib"] {
                assert!(!f.message.contains(secret), "{name}: {}", f.message);
            }
        }
    }
}

#[test]
fn icc_profiles_and_iptc_records_are_metadata_text() {
    // A standard profile says nothing beyond the look a raster figure always asks for.
    let (verdict, f) = findings("png_icc_standard.png");
    assert_eq!(verdict, Verdict::Pass, "{f:?}");
    assert_eq!(f, vec![("embedded-data".into(), Severity::Info, None)]);
    // A profile description that carries rows of data is data.
    let (verdict, f) = findings("png_icc_csv.png");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert!(
        f.contains(&(
            "embedded-data".into(),
            Severity::Error,
            Some("ICC tag desc".into())
        )),
        "{f:?}"
    );
    // JPEG: an IPTC caption with a person number, and a profile split over two segments.
    let (verdict, f) = findings("jpeg_iptc_icc.jpg");
    assert_eq!(verdict, Verdict::Fail, "{f:?}");
    assert!(
        f.contains(&(
            "person-id".into(),
            Severity::Error,
            Some("IPTC 2:120".into())
        )),
        "{f:?}"
    );
    assert!(
        f.contains(&(
            "embedded-data".into(),
            Severity::Error,
            Some("ICC tag dmdd".into())
        )),
        "{f:?}"
    );
}
