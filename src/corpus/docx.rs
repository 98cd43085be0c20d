//! Word `.docx` files: paragraphs in order, tables as rows of text (cells joined by ` | `), the
//! title from `docProps/core.xml` (`dc:title`), the date from its `dcterms:created` (else
//! `dcterms:modified`).
//!
//! A `.docx` is a zip of XML parts; only `word/document.xml` and `docProps/core.xml` are read,
//! each bounded by [`MAX_INFLATED_BYTES`] whatever the zip's headers claim. A password-protected
//! Word file is not a zip but an OLE compound file, and is reported as such.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::dates::parse_date;
use super::extract::{check_text_size, Extracted, MAX_EXTRACTED_TEXT_BYTES, MAX_INFLATED_BYTES};

/// Most members a `.docx` may have.
const MAX_ZIP_ENTRIES: usize = 10_000;
/// The magic number of OLE compound files (encrypted Office files, legacy `.doc`).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Extracts the text, title and date of a `.docx` file.
pub fn extract_docx(bytes: &[u8]) -> Result<Extracted, String> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(
            "encrypted (password-protected) or legacy binary Word file, not a .docx \
                    zip; not indexed: save it as .docx without a password"
                .to_string(),
        );
    }
    if !bytes.starts_with(b"PK") {
        return Err("not a .docx file (no zip header); not indexed".to_string());
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("broken .docx (bad zip: {e}); not indexed"))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(format!(
            "broken .docx: {} zip members (at most {MAX_ZIP_ENTRIES}); not indexed",
            archive.len()
        ));
    }
    let mut budget = MAX_INFLATED_BYTES;
    let document =
        read_member(&mut archive, "word/document.xml", &mut budget)?.ok_or_else(|| {
            "not a Word document (the zip has no word/document.xml); not indexed".to_string()
        })?;
    let body = document_text(&document)?;
    let properties = read_member(&mut archive, "docProps/core.xml", &mut budget)
        .ok()
        .flatten()
        .map(|xml| core_properties(&xml))
        .unwrap_or_default();
    Ok(Extracted {
        title: properties.title,
        body,
        date: properties.created.or(properties.modified),
    })
}

/// Reads one zip member as text, at most `budget` bytes; `None` if it is absent.
fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<String>, String> {
    let member = match archive.by_name(name) {
        Ok(member) => member,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::InvalidPassword) => {
            return Err("encrypted .docx (password required); not indexed".to_string())
        }
        Err(zip::result::ZipError::UnsupportedArchive(message))
            if message.to_ascii_lowercase().contains("password")
                || message.to_ascii_lowercase().contains("encrypt") =>
        {
            return Err("encrypted .docx (password required); not indexed".to_string())
        }
        Err(e) => return Err(format!("broken .docx ({name}: {e}); not indexed")),
    };
    if member.encrypted() {
        return Err("encrypted .docx (password required); not indexed".to_string());
    }
    if member.size() > *budget {
        return Err(format!(
            "{name} would inflate to {} bytes (at most {MAX_INFLATED_BYTES}); not indexed",
            member.size()
        ));
    }
    let mut content = Vec::new();
    // Bounded whatever the header says: a lying header cannot make this read grow past it.
    member
        .take(*budget + 1)
        .read_to_end(&mut content)
        .map_err(|e| format!("broken .docx ({name}: {e}); not indexed"))?;
    if content.len() as u64 > *budget {
        return Err(format!(
            "{name} inflates past {MAX_INFLATED_BYTES} bytes; not indexed"
        ));
    }
    *budget -= content.len() as u64;
    Ok(Some(String::from_utf8_lossy(&content).into_owned()))
}

/// A table being read: the rows done, the current row's cells, the current cell's text.
#[derive(Default)]
struct Table {
    rows: Vec<String>,
    cells: Vec<String>,
    cell: String,
}

/// The text of `word/document.xml`: one line per paragraph or table row.
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut bytes = 0usize;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    let mut fallback_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("broken .docx (word/document.xml: {e}); not indexed"))?;
        match event {
            Event::Eof => break,
            Event::Start(element) => match element.local_name().as_ref() {
                "Fallback" => fallback_depth += 1,
                _ if fallback_depth > 0 => {}
                "p" => paragraphs.push(String::new()),
                "t" => in_text = true,
                "tbl" => tables.push(Table::default()),
                "tr" => {
                    if let Some(table) = tables.last_mut() {
                        table.cells.clear();
                    }
                }
                "tc" => {
                    if let Some(table) = tables.last_mut() {
                        table.cell.clear();
                    }
                }
                _ => {}
            },
            Event::Empty(element) if fallback_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    match element.local_name().as_ref() {
                        "tab" => paragraph.push(' '),
                        "br" | "cr" => paragraph.push('\n'),
                        _ => {}
                    }
                }
            }
            Event::End(element) => match element.local_name().as_ref() {
                "Fallback" => fallback_depth = fallback_depth.saturating_sub(1),
                _ if fallback_depth > 0 => {}
                "t" => in_text = false,
                "p" => {
                    let paragraph = paragraphs.pop().unwrap_or_default();
                    let paragraph = paragraph.trim();
                    if paragraph.is_empty() {
                        continue;
                    }
                    if let Some(table) = tables.last_mut() {
                        if !table.cell.is_empty() {
                            table.cell.push(' ');
                        }
                        table.cell.push_str(&paragraph.replace('\n', " "));
                    } else {
                        bytes += paragraph.len() + 1;
                        lines.push(paragraph.to_string());
                    }
                }
                "tc" => {
                    if let Some(table) = tables.last_mut() {
                        let cell = std::mem::take(&mut table.cell);
                        table.cells.push(cell.trim().to_string());
                    }
                }
                "tr" => {
                    if let Some(table) = tables.last_mut() {
                        let cells = std::mem::take(&mut table.cells);
                        let row: Vec<String> =
                            cells.into_iter().filter(|c| !c.is_empty()).collect();
                        if !row.is_empty() {
                            table.rows.push(row.join(" | "));
                        }
                    }
                }
                "tbl" => {
                    let Some(table) = tables.pop() else { continue };
                    match tables.last_mut() {
                        // A table inside a cell becomes that cell's text.
                        Some(outer) => {
                            for row in table.rows {
                                if !outer.cell.is_empty() {
                                    outer.cell.push(' ');
                                }
                                outer.cell.push_str(&row);
                            }
                        }
                        None => {
                            for row in table.rows {
                                bytes += row.len() + 1;
                                lines.push(row);
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Text(text) if in_text && fallback_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.push_str(&text.xml10_content());
                }
            }
            Event::CData(text) if in_text && fallback_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) if in_text && fallback_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    if let Some(c) = resolve_reference(&reference) {
                        paragraph.push(c);
                    }
                }
            }
            _ => {}
        }
        if bytes > MAX_EXTRACTED_TEXT_BYTES {
            break;
        }
    }
    check_text_size(bytes)?;
    Ok(lines.join("\n"))
}

fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c);
    }
    match reference.xml10_content().as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// What `docProps/core.xml` says.
#[derive(Debug, Default)]
struct CoreProperties {
    title: Option<String>,
    created: Option<String>,
    modified: Option<String>,
}

fn core_properties(xml: &str) -> CoreProperties {
    let mut reader = Reader::from_str(xml);
    let mut properties = CoreProperties::default();
    let mut current: Option<String> = None;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Err(_) | Ok(Event::Eof) => break,
            Ok(Event::Start(element)) => {
                current = Some(element.local_name().as_ref().to_string());
                value.clear();
            }
            Ok(Event::Text(text)) if current.is_some() => value.push_str(&text.xml10_content()),
            Ok(Event::GeneralRef(reference)) if current.is_some() => {
                if let Some(c) = resolve_reference(&reference) {
                    value.push(c);
                }
            }
            Ok(Event::End(_)) => {
                let text = value.trim().to_string();
                match current.take().as_deref() {
                    Some("title") if !text.is_empty() => properties.title = Some(text),
                    Some("created") => properties.created = parse_date(&text),
                    Some("modified") => properties.modified = parse_date(&text),
                    _ => {}
                }
                value.clear();
            }
            Ok(_) => {}
        }
    }
    properties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_and_text_boxes() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:r><w:t>中老缅泰</w:t></w:r><w:r><w:t xml:space="preserve">湄公河 &amp; 联合巡逻</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>删掉的字</w:delText></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>国家</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>缴获</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>缅甸</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>冰毒</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><mc:AlternateContent><mc:Choice><w:t>框内</w:t></mc:Choice><mc:Fallback><w:t>框内</w:t></mc:Fallback></mc:AlternateContent></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            document_text(xml).expect("reads"),
            "中老缅泰湄公河 & 联合巡逻\n国家 | 缴获\n缅甸 | 冰毒\n框内"
        );
    }

    #[test]
    fn broken_and_encrypted_files_are_refused() {
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 512]);
        let message = extract_docx(&ole).expect_err("refused");
        assert!(message.contains("encrypted"), "{message}");
        let message = extract_docx(b"PK\x03\x04 truncated").expect_err("refused");
        assert!(message.contains("broken .docx"), "{message}");
        assert!(extract_docx(b"plain text").is_err());
    }
}
