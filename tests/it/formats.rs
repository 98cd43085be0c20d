//! Documents as users have them (issue 9): HTML pages, Word files, PDFs, GBK and UTF-16 text,
//! sidecar metadata, and broken, encrypted or scanned files named in the report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use jindu::corpus::{read_corpus, DocType, Document, ReadOptions, ReadSummary};
use jindu::index::IndexHandle;
use jindu::search::{SearchRequest, SearchResult};

use crate::common::{build, q, root, temp_dir};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/formats").join(name)
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, content).expect("write");
    path
}

fn read(paths: &[PathBuf]) -> (Vec<Document>, ReadSummary) {
    let mut documents = Vec::new();
    let summary = read_corpus(paths, &ReadOptions::default(), &mut |d| documents.push(d))
        .expect("corpus lists");
    (documents, summary)
}

fn read_one(path: &Path) -> Document {
    let (mut documents, summary) = read(&[path.to_path_buf()]);
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(documents.len(), 1);
    documents.remove(0)
}

fn errors_of(path: &Path) -> Vec<String> {
    let (documents, summary) = read(&[path.to_path_buf()]);
    assert!(documents.is_empty(), "{documents:?}");
    summary.errors.iter().map(|e| e.to_string()).collect()
}

/// A news page as saved from a government site: navigation, breadcrumbs, a side bar, related
/// links and a footer around the article.
const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>中缅开展湄公河联合执法行动 - 中国禁毒网</title>
<meta name="keywords" content="禁毒,国际合作">
<script>window.analytics = "<div>不是正文</div>";</script>
<style>.nav { color: #c00 }</style>
</head><body>
<div class="top-bar"><a href="/login">登录</a> <a href="/en">English</a></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/news">禁毒要闻</a></li>
<li><a href="/intl">国际合作</a></li><li><a href="/law">法律法规</a></li></ul></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/intl">国际合作</a></div>
<div class="container">
  <div class="article-box">
    <h1>中缅开展湄公河联合执法行动</h1>
    <div class="info">来源：国家禁毒办&nbsp;&nbsp;发布时间：2015-06-26 09:30</div>
    <div id="zoom">
      <p>　　6月中旬，中缅两国禁毒执法部门在湄公河流域开展联合执法行动，
      共同打击跨国贩毒犯罪，破获海洛因走私案件五起。</p>
      <p>　　双方还就建立边境联络官机制、交换毒品情报达成共识，将继续深化禁毒执法合作。</p>
    </div>
    <div class="related"><h3>相关新闻</h3><ul><li><a href="/1">禁毒宣传进校园</a></li>
    <li><a href="/2">全国禁毒工作会议召开</a></li></ul></div>
  </div>
  <aside><h3>热点排行</h3><a href="/3">某地破获制毒案</a></aside>
</div>
<div class="footer"><p>版权所有：中国禁毒网 京ICP备00000000号</p></div>
</body></html>"#;

#[test]
fn an_html_page_gives_its_article_title_and_date() {
    let dir = temp_dir("formats-html");
    let path = write(&dir, "news/mekong.html", NEWS_PAGE.as_bytes());
    let document = read_one(&path);
    assert_eq!(document.id, "mekong.html");
    assert_eq!(document.title, "中缅开展湄公河联合执法行动");
    assert_eq!(document.date.as_deref(), Some("2015-06-26"));
    assert_eq!(document.doc_type, DocType::Policy);
    assert_eq!(
        document.source.as_deref(),
        Some(path.to_str().unwrap_or(""))
    );
    assert_eq!(document.countries, None, "facets are left to the tagger");
    assert!(
        document
            .body
            .contains("中缅两国禁毒执法部门在湄公河流域开展联合执法行动，共同打击跨国贩毒犯罪"),
        "a source line break between hanzi leaves no space: {}",
        document.body
    );
    for boilerplate in [
        "首页",
        "禁毒要闻",
        "登录",
        "不是正文",
        "color",
        "相关新闻",
        "禁毒宣传进校园",
        "热点排行",
        "版权所有",
    ] {
        assert!(
            !document.body.contains(boilerplate),
            "{boilerplate:?} in {}",
            document.body
        );
    }
}

#[test]
fn a_gbk_page_is_decoded_from_its_meta_charset() {
    let dir = temp_dir("formats-html-gbk");
    let page = NEWS_PAGE
        .replace("charset=\"utf-8\"", "charset=\"gbk\"")
        .replace(
            "<meta charset=\"gbk\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
    let (bytes, _, _) = encoding_rs::GBK.encode(&page);
    let path = write(&dir, "mekong.htm", &bytes);
    let document = read_one(&path);
    assert_eq!(document.title, "中缅开展湄公河联合执法行动");
    assert!(
        document.body.contains("破获海洛因走私案件五起"),
        "{}",
        document.body
    );
}

/// A `.docx` built the way Word lays it out: content types, the document, core properties.
fn docx(paragraphs: &[&str], table: &[&[&str]], title: &str, created: &str) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        body.push_str(&format!(
            "<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{paragraph}</w:t></w:r></w:p>"
        ));
    }
    body.push_str("<w:tbl><w:tblPr/>");
    for row in table {
        body.push_str("<w:tr>");
        for cell in *row {
            body.push_str(&format!(
                "<w:tc><w:tcPr/><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>"
            ));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl><w:sectPr/>");
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{title}</dc:title><dc:creator>jindu</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created></cp:coreProperties>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
        ("word/document.xml", document),
        ("docProps/core.xml", core),
    ] {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

fn precursor_docx() -> Vec<u8> {
    docx(
        &[
            "中老缅泰四国易制毒化学品管控合作报告",
            "2017年，中国与老挝、缅甸、泰国在湄公河流域联合开展易制毒化学品管控行动，查获麻黄碱和冰毒。",
            "各方同意加强情报交流与联合调查。",
        ],
        &[&["国家", "缴获冰毒（公斤）"], &["缅甸", "1200"], &["老挝", "300"]],
        "四国易制毒化学品管控合作报告",
        "2017-09-12T08:00:00Z",
    )
}

#[test]
fn a_docx_gives_paragraphs_and_table_rows() {
    let dir = temp_dir("formats-docx");
    let path = write(&dir, "precursors.docx", &precursor_docx());
    let document = read_one(&path);
    assert_eq!(document.title, "四国易制毒化学品管控合作报告");
    assert_eq!(document.date.as_deref(), Some("2017-09-12"));
    let lines: Vec<&str> = document.body.lines().collect();
    assert_eq!(lines[0], "中老缅泰四国易制毒化学品管控合作报告");
    assert!(lines.contains(&"国家 | 缴获冰毒（公斤）"), "{lines:?}");
    assert!(lines.contains(&"缅甸 | 1200"), "{lines:?}");
    assert!(lines.contains(&"老挝 | 300"), "{lines:?}");
}

#[test]
fn a_two_column_pdf_reads_in_order_with_lines_joined() {
    let document = read_one(&fixture("two-columns.pdf"));
    assert_eq!(document.title, "中缅湄公河联合执法合作纪要");
    assert_eq!(document.date.as_deref(), Some("2016-03-15"));
    let body = &document.body;
    for joined in [
        // A sentence wrapped over three lines of the left column.
        "二〇一六年三月，中缅两国禁毒执法部门在湄公河流域开展联合执法行动，共同打击跨国贩毒犯罪，破获冰毒走私案件十二起。",
        // Wrapped in the right column, with a comma opening the second line.
        "老挝和泰国执法部门派员参加了联合巡逻，四国执法船艇在金三角水域开展查缉。",
        // Continued on the next page.
        "各方将继续深化执法安全合作，维护流域航运安全。",
    ] {
        assert!(body.contains(joined), "missing {joined:?} in {body}");
    }
    let left_end = body.find("替代种植项目").unwrap_or(usize::MAX);
    let right_start = body.find("老挝和泰国").unwrap_or(0);
    assert!(left_end < right_start, "left column first: {body}");
    assert!(!body.contains("- 1 -"), "page numbers dropped: {body}");
    let paragraphs: Vec<&str> = body.lines().collect();
    assert_eq!(
        paragraphs.len(),
        6,
        "title and five paragraphs: {paragraphs:?}"
    );
}

#[test]
fn gbk_and_utf16_text_files_are_detected() {
    let dir = temp_dir("formats-text");
    let text = "# 中泰禁毒合作备忘录\n\n中国和泰国签署禁毒合作谅解备忘录，加强边境执法合作。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let gbk_path = write(&dir, "gbk.txt", &gbk);
    let mut utf16 = vec![0xFF, 0xFE];
    let with_front_matter = format!("---\ndoc_type: case\nyear: 2013\n---\n{text}");
    for unit in with_front_matter.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let utf16_path = write(&dir, "utf16.md", &utf16);
    let gbk_document = read_one(&gbk_path);
    assert_eq!(gbk_document.title, "中泰禁毒合作备忘录");
    assert!(gbk_document.body.contains("加强边境执法合作"));
    let utf16_document = read_one(&utf16_path);
    assert_eq!(utf16_document.title, "中泰禁毒合作备忘录");
    assert_eq!(
        utf16_document.doc_type,
        DocType::Case,
        "front matter after decoding"
    );
    assert_eq!(utf16_document.year, Some(2013));

    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let bad = write(&dir, "binary.txt", &binary);
    let errors = errors_of(&bad);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("binary.txt:") && e.contains("not text in UTF-8, UTF-16")),
        "{errors:?}"
    );
}

#[test]
fn broken_encrypted_and_scanned_files_are_reported_by_path() {
    let dir = temp_dir("formats-broken");
    let pdf = std::fs::read(fixture("two-columns.pdf")).expect("fixture");
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write(&dir, "bad-zip.docx", b"PK\x03\x04 this is not a zip"),
            "broken .docx",
        ),
        (
            write(&dir, "not-word.docx", &{
                let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                    .expect("entry");
                zip.write_all(b"hello").expect("write");
                zip.finish().expect("zip").into_inner()
            }),
            "no word/document.xml",
        ),
        (
            write(&dir, "protected.docx", &{
                let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
                ole.resize(4096, 0);
                ole
            }),
            "encrypted (password-protected)",
        ),
        (write(&dir, "truncated.pdf", &pdf[..pdf.len() / 3]), "PDF"),
        (fixture("encrypted.pdf"), "encrypted PDF"),
        (fixture("scanned.pdf"), "no text layer (scanned PDF?)"),
        (
            write(
                &dir,
                "empty.html",
                "<html><body><nav><a href='/'>首页</a></nav></body></html>".as_bytes(),
            ),
            "no text found",
        ),
    ];
    for (path, expected) in cases {
        let errors = errors_of(&path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(
            errors
                .iter()
                .any(|e| e.contains(name) && e.contains(expected)),
            "{name}: expected {expected:?} in {errors:?}"
        );
    }
}

#[test]
fn huge_files_are_refused_unread() {
    let dir = temp_dir("formats-huge");
    // Sparse: the size check comes before any read.
    let path = dir.join("huge.pdf");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(jindu::corpus::MAX_EXTRACTED_FILE_BYTES + 1)
        .expect("sparse file");
    let errors = errors_of(&path);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("huge.pdf:0: file too large")),
        "{errors:?}"
    );
}

#[test]
fn garbage_never_panics_the_reader() {
    let dir = temp_dir("formats-garbage");
    let pdf = std::fs::read(fixture("two-columns.pdf")).expect("fixture");
    let docx = precursor_docx();
    // Flip bytes all over valid files: every outcome is a document or a reported error.
    for (name, original) in [("x.pdf", &pdf), ("x.docx", &docx)] {
        for step in [7usize, 13, 31, 97] {
            let mut mutated = original.clone();
            for i in (step..mutated.len()).step_by(step * 11) {
                mutated[i] ^= 0x5A;
            }
            let path = write(&dir, &format!("{step}-{name}"), &mutated);
            let (documents, summary) = read(std::slice::from_ref(&path));
            assert_eq!(documents.len() + summary.errors.len().min(1), 1, "{path:?}");
        }
    }
}

#[test]
fn sidecars_give_and_override_fields() {
    let dir = temp_dir("formats-sidecar");
    std::fs::copy(fixture("two-columns.pdf"), dir.join("minutes.pdf")).expect("copy");
    write(
        &dir,
        "minutes.pdf.meta.json",
        r#"{"id": "mekong-minutes", "doc_type": "case", "countries": ["缅甸", "老挝", "泰国"], "url": "https://example.org/m"}"#.as_bytes(),
    );
    write(&dir, "page.html", NEWS_PAGE.as_bytes());
    write(
        &dir,
        "page.meta.json",
        r#"{"title": "湄公河行动（改）", "date": "2015-07-01"}"#.as_bytes(),
    );
    let (documents, summary) = read(std::slice::from_ref(&dir));
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert!(
        summary.skipped_files.is_empty(),
        "sidecars are not ignored files: {:?}",
        summary.skipped_files
    );
    assert_eq!(documents.len(), 2, "sidecars are not documents");
    let minutes = documents
        .iter()
        .find(|d| d.id == "mekong-minutes")
        .expect("minutes");
    assert_eq!(minutes.doc_type, DocType::Case);
    assert_eq!(
        minutes.title, "中缅湄公河联合执法合作纪要",
        "kept from the file"
    );
    assert_eq!(minutes.countries.as_ref().map(Vec::len), Some(3));
    assert_eq!(minutes.url.as_deref(), Some("https://example.org/m"));
    let page = documents
        .iter()
        .find(|d| d.id == "page.html")
        .expect("page");
    assert_eq!(page.title, "湄公河行动（改）");
    assert_eq!(page.date.as_deref(), Some("2015-07-01"));

    write(&dir, "page.meta.json", r#"{"titel": "typo"}"#.as_bytes());
    write(&dir, "orphan.pdf.meta.json", b"{}");
    let (_, summary) = read(std::slice::from_ref(&dir));
    let errors: Vec<String> = summary.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("page.meta.json") && e.contains("unknown field `titel`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("orphan.pdf.meta.json") && e.contains("matches no document")),
        "{errors:?}"
    );
}

#[test]
fn doc_type_option_applies_to_extracted_files() {
    let dir = temp_dir("formats-doc-type");
    let path = write(&dir, "p.html", NEWS_PAGE.as_bytes());
    let mut documents = Vec::new();
    let options = ReadOptions {
        default_doc_type: Some(DocType::Case),
    };
    read_corpus(&[path], &options, &mut |d| documents.push(d)).expect("reads");
    assert_eq!(documents[0].doc_type, DocType::Case);
}

/// A folder mixing every format, as a user would point `jindu index` at.
fn mixed_folder(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    write(&dir, "web/mekong.html", NEWS_PAGE.as_bytes());
    write(&dir, "word/precursors.docx", &precursor_docx());
    std::fs::create_dir_all(dir.join("pdf")).expect("mkdir");
    std::fs::copy(fixture("two-columns.pdf"), dir.join("pdf/minutes.pdf")).expect("copy");
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "中俄禁毒合作会谈纪要\n\n中国和俄罗斯禁毒部门举行会谈，双方同意加强打击网络贩毒的合作。\n",
    );
    write(&dir, "text/russia.txt", &gbk);
    write(
        &dir,
        "jsonl/one.jsonl",
        r#"{"id": "j1", "title": "中美禁毒合作", "body": "中美两国执法部门联合调查芬太尼案件。", "doc_type": "case"}"#.as_bytes(),
    );
    dir
}

fn search(handle: &IndexHandle, query: &str) -> SearchResult {
    q(handle, query)
}

#[test]
fn a_mixed_folder_indexes_and_every_document_is_found() {
    let corpus = mixed_folder("formats-mixed");
    let index = build("formats-mixed-index", &[corpus]);
    let handle = IndexHandle::open(&index).expect("opens");
    let cases = [
        (
            "边境联络官机制",
            "web/mekong.html",
            "中缅开展湄公河联合执法行动",
            Some("2015-06-26"),
            "缅甸",
        ),
        (
            "易制毒化学品",
            "word/precursors.docx",
            "四国易制毒化学品管控合作报告",
            Some("2017-09-12"),
            "老挝",
        ),
        (
            "金三角水域",
            "pdf/minutes.pdf",
            "中缅湄公河联合执法合作纪要",
            Some("2016-03-15"),
            "泰国",
        ),
        (
            "网络贩毒",
            "text/russia.txt",
            "中俄禁毒合作会谈纪要",
            None,
            "俄罗斯",
        ),
    ];
    for (words, id, title, date, country) in cases {
        let result = search(&handle, words);
        let hit = result
            .hits
            .iter()
            .find(|h| h.id == id)
            .unwrap_or_else(|| panic!("{words}: {id} not found in {:?}", result.hits));
        assert_eq!(hit.title, title);
        assert_eq!(hit.date.as_deref(), date, "{id}");
        assert!(
            hit.countries.iter().any(|c| c == country),
            "{id}: {:?}",
            hit.countries
        );
        assert!(
            hit.snippet_text.contains(words),
            "{id}: {}",
            hit.snippet_text
        );
        assert!(
            !hit.snippet_text.contains("首页"),
            "{id}: {}",
            hit.snippet_text
        );
    }
    // Derived facets count the new formats like any document.
    let mut request = SearchRequest::query("");
    request.limit = 20;
    let all = crate::common::run(&handle, request);
    let myanmar = all
        .facets
        .country
        .iter()
        .find(|v| v.value == "缅甸")
        .map(|v| v.count)
        .unwrap_or(0);
    assert!(myanmar >= 3, "{:?}", all.facets.country);
}

#[test]
fn one_index_call_reads_the_mixed_folder_and_names_broken_files() {
    let corpus = mixed_folder("formats-cli");
    let index = temp_dir("formats-cli-index");
    let jindu = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_jindu"))
            .args(args)
            .current_dir(root())
            .output()
            .expect("jindu runs")
    };
    let corpus_arg = corpus.to_str().expect("utf-8");
    let index_arg = index.to_str().expect("utf-8");
    let ok = jindu(&["index", "--corpus", corpus_arg, "--index", index_arg]);
    let stdout = String::from_utf8_lossy(&ok.stdout).to_string();
    let stderr = String::from_utf8_lossy(&ok.stderr).to_string();
    assert_eq!(ok.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("indexed 5 documents"), "{stdout}");

    let found = jindu(&[
        "search",
        "金三角水域",
        "--index",
        index_arg,
        "--format",
        "json",
    ]);
    let result: serde_json::Value =
        serde_json::from_slice(&found.stdout).expect("search prints JSON");
    assert_eq!(result["hits"][0]["id"], "pdf/minutes.pdf");
    assert_eq!(result["hits"][0]["title"], "中缅湄公河联合执法合作纪要");

    write(&corpus, "broken/bad.docx", b"PK\x03\x04 not a zip");
    std::fs::copy(fixture("scanned.pdf"), corpus.join("broken/scan.pdf")).expect("copy");
    let failed = jindu(&["index", "--corpus", corpus_arg, "--index", index_arg]);
    let stderr = String::from_utf8_lossy(&failed.stderr).to_string();
    assert_eq!(failed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bad.docx") && stderr.contains("scan.pdf"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was indexed"), "{stderr}");

    let skipped = jindu(&[
        "index",
        "--corpus",
        corpus_arg,
        "--index",
        index_arg,
        "--skip-invalid",
    ]);
    let stderr = String::from_utf8_lossy(&skipped.stderr).to_string();
    let stdout = String::from_utf8_lossy(&skipped.stdout).to_string();
    assert_eq!(skipped.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("skipped: ") && stderr.contains("bad.docx"),
        "{stderr}"
    );
    assert!(
        stderr.contains("scan.pdf") && stderr.contains("no text layer"),
        "{stderr}"
    );
    assert!(
        stdout.contains("indexed 5 documents") && stdout.contains("2 skipped"),
        "{stdout}"
    );
}
