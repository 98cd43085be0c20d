//! PDF files with a text layer: glyphs (decoded through the fonts' ToUnicode maps by
//! `pdf-extract`) are laid out in reading order by [`super::pdf_layout`]; the title comes from
//! the document information (when it is a real title) or the first line, the date from a
//! visible `发布时间：` line or the creation date.
//!
//! Before the PDF library sees a file, its compressed streams are inflated into nothing with a
//! byte budget (deflate bombs) and its form XObjects are checked for cycles (which would
//! recurse without end). A PDF without extractable text (a scan) or with a password is refused.

use std::collections::HashSet;
use std::io::Read;

use pdf_extract::{Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};

use super::dates::{find_labelled_date, parse_date};
use super::extract::{check_text_size, Extracted, MAX_EXTRACTED_TEXT_BYTES, MAX_INFLATED_BYTES};
use super::pdf_layout::{join_pages, page_paragraphs, Glyph};

/// Most pages read.
const MAX_PAGES: usize = 5_000;
/// Most glyphs kept from one page (a page drawing more is reported).
const MAX_GLYPHS_PER_PAGE: usize = 200_000;
/// Deepest nesting of form XObjects.
const MAX_FORM_DEPTH: usize = 24;
/// Most form XObject visits while checking the nesting.
const MAX_FORM_VISITS: usize = 200_000;
/// Share of unreadable characters (private use, replacement, control) above which the text
/// layer is taken for garbage.
const MAX_UNREADABLE_SHARE: f64 = 0.3;

/// Extracts the text, title and date of a PDF.
pub fn extract_pdf(bytes: &[u8]) -> Result<Extracted, String> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("not a PDF file (no %PDF- header); not indexed".to_string());
    }
    check_inflated_sizes(bytes)?;
    let document =
        Document::load_mem(bytes).map_err(|e| format!("broken PDF ({e}); not indexed"))?;
    if document.trailer.get(b"Encrypt").is_ok() && document.encryption_state.is_none() {
        return Err("encrypted PDF (password required); not indexed".to_string());
    }
    let pages = document.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(format!(
            "{} pages (at most {MAX_PAGES}); not indexed",
            pages.len()
        ));
    }
    check_stream_sizes(&document)?;
    check_form_nesting(&document)?;
    let mut collector = GlyphCollector::default();
    for &page_number in pages.keys() {
        // One page at a time: a page the library cannot read is skipped, not the document.
        if let Err(e) = pdf_extract::output_doc_page(&document, &mut collector, page_number) {
            if collector.error.is_some() {
                break;
            }
            collector
                .failed_pages
                .push(format!("page {page_number}: {e}"));
        }
        collector.end_page_if_open();
        if collector.error.is_some() {
            break;
        }
    }
    if let Some(error) = collector.error {
        return Err(error);
    }
    let body = join_pages(collector.pages);
    check_text_size(body.len())?;
    check_readable(&body, &collector.failed_pages)?;
    let info = info_dictionary(&document);
    let title = info
        .as_ref()
        .and_then(|info| info_string(&document, info, b"Title"))
        .filter(|title| is_real_title(title));
    let date = find_labelled_date(&body, 30).or_else(|| {
        info.as_ref()
            .and_then(|info| info_string(&document, info, b"CreationDate"))
            .and_then(|value| parse_date(&value))
    });
    Ok(Extracted { title, body, date })
}

/// Receives the glyphs `pdf-extract` draws, page by page.
#[derive(Default)]
struct GlyphCollector {
    pages: Vec<Vec<String>>,
    current: Option<Vec<Glyph>>,
    bytes: usize,
    failed_pages: Vec<String>,
    error: Option<String>,
}

impl GlyphCollector {
    fn end_page_if_open(&mut self) {
        if let Some(glyphs) = self.current.take() {
            let paragraphs = page_paragraphs(&glyphs);
            self.bytes += paragraphs.iter().map(|p| p.len() + 1).sum::<usize>();
            self.pages.push(paragraphs);
            if self.bytes > MAX_EXTRACTED_TEXT_BYTES {
                self.error = Some(format!(
                    "extracted text longer than {MAX_EXTRACTED_TEXT_BYTES} bytes (the body \
                     limit); not indexed"
                ));
            }
        }
    }

    fn stop(&mut self, message: String) -> OutputError {
        self.error = Some(message);
        OutputError::FormatError(std::fmt::Error)
    }
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        _page_number: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.end_page_if_open();
        self.current = Some(Vec::new());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.end_page_if_open();
        if self.error.is_some() {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let scale_x = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let scale_y = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt();
        let size = font_size.abs() * scale_y.max(scale_x);
        let glyph = Glyph {
            x: trm.m31,
            y: trm.m32,
            size,
            width: width * font_size.abs() * scale_x,
            text: text.to_string(),
        };
        let current = self.current.get_or_insert_with(Vec::new);
        if current.len() >= MAX_GLYPHS_PER_PAGE {
            return Err(self.stop(format!(
                "a page draws more than {MAX_GLYPHS_PER_PAGE} characters; not indexed"
            )));
        }
        current.push(glyph);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Refuses a text layer that is empty or mostly unreadable.
fn check_readable(body: &str, failed_pages: &[String]) -> Result<(), String> {
    let mut total = 0usize;
    let mut unreadable = 0usize;
    for c in body.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if c == '\u{FFFD}' || c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            unreadable += 1;
        }
    }
    if total == 0 {
        let detail = failed_pages
            .first()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        return Err(format!("no text layer (scanned PDF?){detail}; not indexed"));
    }
    if unreadable as f64 > MAX_UNREADABLE_SHARE * total as f64 {
        return Err(
            "text layer unreadable (fonts without a Unicode map?); not indexed".to_string(),
        );
    }
    Ok(())
}

/// Inflates every deflate stream in the raw file into nothing, within [`MAX_INFLATED_BYTES`]
/// in all, so a deflate bomb is refused before the PDF library inflates it into memory.
fn check_inflated_sizes(bytes: &[u8]) -> Result<(), String> {
    let mut budget = MAX_INFLATED_BYTES;
    let mut from = 0;
    while let Some(position) = find(&bytes[from..], b"stream") {
        let keyword = from + position;
        from = keyword + b"stream".len();
        if keyword >= 3 && &bytes[keyword - 3..keyword] == b"end" {
            continue;
        }
        let mut start = from;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) != Some(&b'\n') {
            continue;
        }
        start += 1;
        let inflated = inflated_size(&bytes[start..], budget + 1);
        if inflated > budget {
            return Err(format!(
                "compressed streams inflate past {MAX_INFLATED_BYTES} bytes; not indexed"
            ));
        }
        budget -= inflated;
    }
    Ok(())
}

/// How many bytes a zlib stream at the start of `data` inflates to, reading at most `limit`
/// (0 for data that is not zlib).
fn inflated_size(data: &[u8], limit: u64) -> u64 {
    let decoder = flate2::read::ZlibDecoder::new(data);
    let mut limited = decoder.take(limit);
    let mut buffer = [0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match limited.read(&mut buffer) {
            Ok(0) | Err(_) => return total,
            Ok(n) => total += n as u64,
        }
    }
}

/// Checks the streams as loaded (decrypted, if the PDF was), within [`MAX_INFLATED_BYTES`].
fn check_stream_sizes(document: &Document) -> Result<(), String> {
    let mut budget = MAX_INFLATED_BYTES;
    for object in document.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let deflated = match stream.dict.get(b"Filter") {
            Ok(Object::Name(name)) => name == b"FlateDecode",
            Ok(Object::Array(filters)) => filters
                .iter()
                .any(|f| matches!(f, Object::Name(n) if n == b"FlateDecode")),
            _ => false,
        };
        if !deflated {
            continue;
        }
        let inflated = inflated_size(&stream.content, budget + 1);
        if inflated > budget {
            return Err(format!(
                "compressed streams inflate past {MAX_INFLATED_BYTES} bytes; not indexed"
            ));
        }
        budget -= inflated;
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Follows references (a few hops at most).
fn resolve<'a>(document: &'a Document, mut object: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match object {
            Object::Reference(id) => object = document.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}

/// Refuses form XObjects that invoke themselves (directly or not) or nest too deeply: the
/// extractor would recurse without end.
fn check_form_nesting(document: &Document) -> Result<(), String> {
    let mut visits = 0usize;
    for (_, page_id) in document.get_pages() {
        let Some(page) = document
            .get_object(page_id)
            .ok()
            .and_then(|o| o.as_dict().ok())
        else {
            continue;
        };
        let resources = inherited_resources(document, page);
        let content = document.get_page_content(page_id).unwrap_or_default();
        let mut path = Vec::new();
        visit_forms(document, &content, resources, &mut path, &mut visits)?;
    }
    Ok(())
}

fn inherited_resources<'a>(
    document: &'a Document,
    mut node: &'a pdf_extract::Dictionary,
) -> Option<&'a pdf_extract::Dictionary> {
    for _ in 0..32 {
        if let Some(resources) = node
            .get(b"Resources")
            .ok()
            .and_then(|o| resolve(document, o))
            .and_then(|o| o.as_dict().ok())
        {
            return Some(resources);
        }
        node = node
            .get(b"Parent")
            .ok()
            .and_then(|o| resolve(document, o))
            .and_then(|o| o.as_dict().ok())?;
    }
    None
}

fn visit_forms(
    document: &Document,
    content: &[u8],
    resources: Option<&pdf_extract::Dictionary>,
    path: &mut Vec<ObjectId>,
    visits: &mut usize,
) -> Result<(), String> {
    *visits += 1;
    if *visits > MAX_FORM_VISITS {
        return Err("too many nested forms to read; not indexed".to_string());
    }
    let Ok(operations) = pdf_extract::content::Content::decode(content) else {
        return Ok(());
    };
    let names: HashSet<Vec<u8>> = operations
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|o| resolve(document, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return Ok(());
    };
    for name in names {
        let Ok(Object::Reference(id)) = xobjects.get(&name) else {
            continue;
        };
        if path.contains(id) {
            return Err("form XObjects invoke themselves in a cycle; not indexed".to_string());
        }
        if path.len() >= MAX_FORM_DEPTH {
            return Err(format!(
                "form XObjects nested more than {MAX_FORM_DEPTH} deep; not indexed"
            ));
        }
        let Some(stream) = document
            .get_object(*id)
            .ok()
            .and_then(|o| o.as_stream().ok())
        else {
            continue;
        };
        let is_form = matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form");
        if !is_form {
            continue;
        }
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| resolve(document, o))
            .and_then(|o| o.as_dict().ok());
        let inner = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        path.push(*id);
        visit_forms(document, &inner, own.or(resources), path, visits)?;
        path.pop();
    }
    Ok(())
}

fn info_dictionary(document: &Document) -> Option<pdf_extract::Dictionary> {
    let info = document.trailer.get(b"Info").ok()?;
    resolve(document, info)?.as_dict().ok().cloned()
}

/// A text string of the document information, decoded (UTF-16 with BOM, UTF-8, or
/// PDFDocEncoding read as Latin-1).
fn info_string(document: &Document, info: &pdf_extract::Dictionary, key: &[u8]) -> Option<String> {
    let Object::String(bytes, _) = resolve(document, info.get(key).ok()?)? else {
        return None;
    };
    let text = if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(utf16);
        text.into_owned()
    } else if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(utf8).into_owned()
    } else if let Ok(utf8) = std::str::from_utf8(bytes) {
        utf8.to_string()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    };
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Document-information titles are often a file name or the producer's placeholder.
fn is_real_title(title: &str) -> bool {
    let lower = title.to_ascii_lowercase();
    let file_like = [
        ".doc", ".docx", ".pdf", ".wps", ".txt", ".indd", ".xls", ".ppt", ".tmp",
    ]
    .iter()
    .any(|suffix| lower.ends_with(suffix));
    let placeholder = lower.starts_with("microsoft word")
        || lower.starts_with("untitled")
        || lower == "title"
        || title == "无标题"
        || title == "标题";
    let readable = title
        .chars()
        .any(|c| c.is_alphabetic() && !('\u{E000}'..='\u{F8FF}').contains(&c))
        && !title.contains('\u{FFFD}');
    !file_like && !placeholder && readable && title.chars().count() <= 300
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_pdfs_and_truncated_pdfs_are_refused() {
        assert!(extract_pdf(b"hello").is_err());
        let message = extract_pdf(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog").expect_err("refused");
        assert!(message.contains("broken PDF"), "{message}");
    }

    #[test]
    fn deflate_bombs_are_refused_before_inflating() {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..300 {
            encoder.write_all(&zeros).expect("compresses");
        }
        let bomb = encoder.finish().expect("compresses");
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&bomb);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        let message = check_inflated_sizes(&pdf).expect_err("refused");
        assert!(message.contains("inflate past"), "{message}");
    }

    /// A minimal PDF around `objects` (numbered from 1; object 1 is the catalog).
    fn pdf_with(objects: &[String]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (index, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn self_invoking_forms_are_refused() {
        let content = "/Fm1 Do";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
            format!("<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length {} >>\nstream\n{content}\nendstream", content.len()),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        ];
        let message = extract_pdf(&pdf_with(&objects)).expect_err("refused");
        assert!(message.contains("cycle"), "{message}");
    }

    #[test]
    fn deeply_nested_objects_do_not_overflow() {
        for (open, close) in [("<<", ">>"), ("[", "]")] {
            let deep = format!("{}{}", open.repeat(100_000), close.repeat(100_000));
            let objects = [
                "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
                "<< /Type /Pages /Kids [] /Count 0 >>".to_string(),
                deep,
            ];
            let result = crate::corpus::extract::run_guarded({
                let bytes = pdf_with(&objects);
                move || extract_pdf(&bytes)
            });
            assert!(result.is_err());
        }
    }

    #[test]
    fn placeholder_titles_are_not_titles() {
        assert!(!is_real_title("Microsoft Word - 报告.doc"));
        assert!(!is_real_title("报告.pdf"));
        assert!(is_real_title("中缅禁毒合作会议纪要"));
    }
}
