//! HTML pages: the main text without navigation, headers, footers, scripts, styles and forms; a
//! title from `<title>` or the first heading; a date from `<meta>` or a visible `发布时间：` line.
//!
//! A small tolerant parser (no dependency): a tokenizer builds an element tree with the usual
//! implied end tags; then a readability-style heuristic picks the main block (`<article>`,
//! `<main>`, else the element whose paragraphs hold the most non-link text) and drops
//! boilerplate and link-dense blocks inside it. The charset comes from a byte-order mark,
//! `<meta charset>`, or detection (GBK pages are common).

use super::dates::{find_labelled_date, parse_date};
use super::encoding::{decode_declared, decode_lossy_detected};
use super::extract::{check_text_size, is_cjk, Extracted};

/// Deepest element nesting kept; deeper elements are attached to the element at this depth.
const MAX_DEPTH: usize = 256;
/// How far into the file a `<meta charset>` is looked for.
const CHARSET_PRESCAN_BYTES: usize = 4096;
/// Smallest text, in characters, an `<article>` or `<main>` needs to be taken as the content.
const MIN_CONTENT_CHARS: usize = 40;

/// Elements whose whole subtree is never content.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "select", "button",
    "iframe", "svg", "head", "object", "embed", "canvas", "audio", "video", "input", "textarea",
    "menu", "dialog", "map",
];
/// Elements dropped when outside `<article>`/`<main>` (inside they hold the headline).
const PAGE_CHROME_TAGS: &[&str] = &["header", "footer"];
/// `id`/`class` words that mark boilerplate blocks.
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "footer",
    "foot",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "copyright",
    "related",
    "recommend",
    "ad",
    "ads",
    "advert",
    "banner",
    "toolbar",
    "login",
    "search",
    "skip",
    "pagination",
    "pager",
    "topbar",
    "header",
    "masthead",
    "friendlink",
    "links",
    "qrcode",
];
/// Elements that start a new line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "hr",
    "center",
    "body",
    "html",
    "header",
    "footer",
    "details",
    "summary",
    "fieldset",
    "legend",
];
/// Elements without content.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements whose content is raw text up to their end tag.
const RAW_TEXT_TAGS: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];
/// Elements that close an open `<p>` when they start.
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "figure",
    "address",
    "hr",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "fieldset",
    "details",
    "menu",
];
/// `<meta>` names and properties that carry the publication date, best first.
const DATE_META_NAMES: &[&str] = &[
    "article:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publication_date",
    "firstpublishedtime",
    "og:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "datepublished",
    "article:modified_time",
];
/// Separators between a page's own title and its site's name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" - ", " – ", " — ", " | ", "_", "|", "－", "——", " :: "];

/// Extracts the main text, title and date of an HTML page.
pub fn extract_html(bytes: &[u8]) -> Result<Extracted, String> {
    let html = decode_html(bytes);
    let page = Page::parse(&html);
    let analysis = Analysis::new(&page);
    let root = analysis.content_root(&page);
    let body = analysis.render(&page, root, true);
    check_text_size(body.len())?;
    let title = analysis.title(&page, root);
    let date = page
        .date_from_meta()
        .or_else(|| find_labelled_date(&body, 20))
        .or_else(|| find_labelled_date(&analysis.render(&page, 0, false), 60));
    Ok(Extracted { title, body, date })
}

/// Decodes the page: BOM, then `<meta charset>`, then detection.
fn decode_html(bytes: &[u8]) -> String {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return decode_lossy_detected(bytes);
    }
    let declared = declared_charset(&bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)]);
    match declared {
        // A page saved as UTF-8 often keeps its old `gb2312` declaration: valid UTF-8 with
        // non-ASCII text is far more likely UTF-8 than GBK.
        Some(_) if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        Some(encoding) if encoding == encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err() => {
            decode_lossy_detected(bytes)
        }
        Some(encoding) => decode_declared(bytes, encoding),
        None => decode_lossy_detected(bytes),
    }
}

/// The encoding named by `<meta charset=…>` or `<meta http-equiv … content="…charset=…">`.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(position) = find_bytes(&lower[from..], b"<meta") {
        let start = from + position;
        let end = find_bytes(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(at) = find_bytes(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = trim_ascii_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_ascii_start(rest);
                let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
                let rest = rest.strip_prefix(b"'").unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
                    .unwrap_or(rest.len());
                if let Some(encoding) = encoding_rs::Encoding::for_label(&rest[..label_end]) {
                    return Some(encoding);
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// One node of the element tree. Children always come after their parent in `Page::nodes`.
#[derive(Debug)]
enum Node {
    Element {
        tag: String,
        attributes: Vec<(String, String)>,
        parent: usize,
        children: Vec<usize>,
    },
    Text {
        text: String,
        parent: usize,
    },
}

impl Node {
    fn tag(&self) -> Option<&str> {
        match self {
            Node::Element { tag, .. } => Some(tag),
            Node::Text { .. } => None,
        }
    }

    fn parent(&self) -> usize {
        match self {
            Node::Element { parent, .. } | Node::Text { parent, .. } => *parent,
        }
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        match self {
            Node::Element { attributes, .. } => attributes
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str()),
            Node::Text { .. } => None,
        }
    }
}

/// A parsed page: the tree (node 0 is the document), the `<title>` and the `<meta>` tags.
struct Page {
    nodes: Vec<Node>,
    title: Option<String>,
    metas: Vec<Vec<(String, String)>>,
}

impl Page {
    fn parse(html: &str) -> Page {
        let mut builder = TreeBuilder::new();
        let lower = html.to_ascii_lowercase();
        let bytes = html.as_bytes();
        let mut position = 0;
        while position < html.len() {
            let Some(offset) = html[position..].find('<') else {
                builder.text(&decode_entities(&html[position..]));
                break;
            };
            let lt = position + offset;
            if lt > position {
                builder.text(&decode_entities(&html[position..lt]));
            }
            let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
            if html[lt..].starts_with("<!--") {
                position = html[lt + 4..]
                    .find("-->")
                    .map_or(html.len(), |e| lt + 4 + e + 3);
            } else if next == b'!' || next == b'?' {
                position = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
            } else if next == b'/' && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
                let (name, end) = tag_name(&lower, lt + 2);
                builder.end(&name);
                position = html[end..].find('>').map_or(html.len(), |e| end + e + 1);
            } else if next.is_ascii_alphabetic() {
                let (name, after_name) = tag_name(&lower, lt + 1);
                let (attributes, self_closing, end) = parse_attributes(html, &lower, after_name);
                position = end;
                if name == "meta" {
                    builder.page_metas.push(attributes.clone());
                }
                if RAW_TEXT_TAGS.contains(&name.as_str()) && !self_closing {
                    let close = format!("</{name}");
                    let content_end = lower[end..].find(&close).map_or(html.len(), |e| end + e);
                    if name == "title" && builder.title.is_none() {
                        builder.title = Some(collapse_whitespace(&decode_entities(
                            &html[end..content_end],
                        )));
                    }
                    builder.start(&name, attributes, false);
                    if name == "textarea" || name == "xmp" || name == "plaintext" {
                        builder.text(&html[end..content_end]);
                    }
                    builder.end(&name);
                    position = html[content_end..]
                        .find('>')
                        .map_or(html.len(), |e| content_end + e + 1);
                } else {
                    builder.start(&name, attributes, self_closing);
                }
            } else {
                builder.text("<");
                position = lt + 1;
            }
        }
        Page {
            nodes: builder.nodes,
            title: builder.title.filter(|t| !t.is_empty()),
            metas: builder.page_metas,
        }
    }

    fn date_from_meta(&self) -> Option<String> {
        for wanted in DATE_META_NAMES {
            for attributes in &self.metas {
                let get = |name: &str| {
                    attributes
                        .iter()
                        .find(|(key, _)| key == name)
                        .map(|(_, value)| value.as_str())
                };
                let key = get("name")
                    .or_else(|| get("property"))
                    .or_else(|| get("itemprop"))
                    .or_else(|| get("http-equiv"));
                if key.is_some_and(|key| key.eq_ignore_ascii_case(wanted)) {
                    if let Some(date) = get("content").and_then(parse_date) {
                        return Some(date);
                    }
                }
            }
        }
        None
    }
}

/// Reads a tag name (already lower-cased in `lower`) starting at `start`.
fn tag_name(lower: &str, start: usize) -> (String, usize) {
    let rest = &lower[start..];
    let length = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    (rest[..length].to_string(), start + length)
}

/// Reads attributes up to the end of the tag; returns them, whether the tag closes itself, and
/// the position after `>`.
fn parse_attributes(html: &str, lower: &str, start: usize) -> (Vec<(String, String)>, bool, usize) {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    let mut position = start;
    let mut self_closing = false;
    loop {
        while position < bytes.len() && bytes[position].is_ascii_whitespace() {
            position += 1;
        }
        match bytes.get(position) {
            None => return (attributes, self_closing, html.len()),
            Some(b'>') => return (attributes, self_closing, position + 1),
            Some(b'/') => {
                self_closing = bytes.get(position + 1) == Some(&b'>');
                position += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_end = lower[position..]
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .map_or(html.len(), |e| position + e);
        let name_end = if name_end == position {
            position + lower[position..].chars().next().map_or(1, char::len_utf8)
        } else {
            name_end
        };
        let name = lower[position..name_end].to_string();
        position = name_end;
        while position < bytes.len() && bytes[position].is_ascii_whitespace() {
            position += 1;
        }
        let mut value = String::new();
        if bytes.get(position) == Some(&b'=') {
            position += 1;
            while position < bytes.len() && bytes[position].is_ascii_whitespace() {
                position += 1;
            }
            match bytes.get(position) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    let value_start = position + 1;
                    let value_end = html[value_start..]
                        .find(quote as char)
                        .map_or(html.len(), |e| value_start + e);
                    value = decode_entities(&html[value_start..value_end]);
                    position = (value_end + 1).min(html.len());
                }
                _ => {
                    let value_end = html[position..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |e| position + e);
                    value = decode_entities(&html[position..value_end]);
                    position = value_end;
                }
            }
        }
        if !name.is_empty() && attributes.len() < 64 {
            attributes.push((name, value));
        }
    }
}

/// Builds the tree with the usual implied end tags.
struct TreeBuilder {
    nodes: Vec<Node>,
    open: Vec<usize>,
    title: Option<String>,
    page_metas: Vec<Vec<(String, String)>>,
}

impl TreeBuilder {
    fn new() -> TreeBuilder {
        TreeBuilder {
            nodes: vec![Node::Element {
                tag: "#document".to_string(),
                attributes: Vec::new(),
                parent: 0,
                children: Vec::new(),
            }],
            open: vec![0],
            title: None,
            page_metas: Vec::new(),
        }
    }

    fn current(&self) -> usize {
        self.open.last().copied().unwrap_or(0)
    }

    fn tag_at(&self, depth: usize) -> &str {
        self.open
            .get(depth)
            .and_then(|&n| self.nodes.get(n))
            .and_then(Node::tag)
            .unwrap_or("")
    }

    /// Closes the innermost open `target` unless a `boundary` element is open inside it.
    fn close_within(&mut self, targets: &[&str], boundaries: &[&str]) {
        for depth in (1..self.open.len()).rev() {
            let tag = self.tag_at(depth);
            if targets.contains(&tag) {
                self.open.truncate(depth);
                return;
            }
            if boundaries.contains(&tag) {
                return;
            }
        }
    }

    fn start(&mut self, tag: &str, attributes: Vec<(String, String)>, self_closing: bool) {
        if CLOSES_P.contains(&tag) {
            self.close_within(
                &["p"],
                &["table", "td", "th", "li", "div", "article", "section"],
            );
        }
        match tag {
            "li" => self.close_within(&["li"], &["ul", "ol", "table"]),
            "dt" | "dd" => self.close_within(&["dt", "dd"], &["dl", "table"]),
            "tr" => self.close_within(&["tr"], &["table"]),
            "td" | "th" => self.close_within(&["td", "th"], &["tr", "table"]),
            "option" => self.close_within(&["option"], &["select"]),
            _ => {}
        }
        let parent = self.current();
        let index = self.nodes.len();
        self.nodes.push(Node::Element {
            tag: tag.to_string(),
            attributes,
            parent,
            children: Vec::new(),
        });
        if let Some(Node::Element { children, .. }) = self.nodes.get_mut(parent) {
            children.push(index);
        }
        if !VOID_TAGS.contains(&tag) && !self_closing && self.open.len() < MAX_DEPTH {
            self.open.push(index);
        }
    }

    fn end(&mut self, tag: &str) {
        if tag == "br" {
            self.start("br", Vec::new(), true);
            return;
        }
        for depth in (1..self.open.len()).rev() {
            if self.tag_at(depth) == tag {
                self.open.truncate(depth);
                return;
            }
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let parent = self.current();
        let last_child = match self.nodes.get(parent) {
            Some(Node::Element { children, .. }) => children.last().copied(),
            _ => None,
        };
        if let Some(Node::Text { text: existing, .. }) =
            last_child.and_then(|c| self.nodes.get_mut(c))
        {
            existing.push_str(text);
            return;
        }
        let index = self.nodes.len();
        self.nodes.push(Node::Text {
            text: text.to_string(),
            parent,
        });
        if let Some(Node::Element { children, .. }) = self.nodes.get_mut(parent) {
            children.push(index);
        }
    }
}

/// Per-node facts used to find and clean the main text.
struct Analysis {
    dropped: Vec<bool>,
    in_article: Vec<bool>,
    text_chars: Vec<usize>,
    link_chars: Vec<usize>,
}

impl Analysis {
    fn new(page: &Page) -> Analysis {
        let count = page.nodes.len();
        let mut in_article = vec![false; count];
        let mut dropped = vec![false; count];
        let (raw_text, raw_links) = Self::counts(page, &dropped);
        for (index, node) in page.nodes.iter().enumerate().skip(1) {
            let parent = node.parent();
            let Node::Element { tag, .. } = node else {
                dropped[index] = dropped[parent];
                in_article[index] = in_article[parent];
                continue;
            };
            let tag = tag.as_str();
            in_article[index] = in_article[parent]
                || tag == "article"
                || tag == "main"
                || node.attribute("role") == Some("main");
            dropped[index] = dropped[parent]
                || DROPPED_TAGS.contains(&tag)
                || (PAGE_CHROME_TAGS.contains(&tag) && !in_article[parent])
                || node.attribute("hidden").is_some()
                || node.attribute("aria-hidden") == Some("true")
                || node.attribute("style").is_some_and(|style| {
                    let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
                    style.to_ascii_lowercase().contains("display:none")
                })
                || (has_boilerplate_name(node)
                    && tag != "article"
                    && tag != "main"
                    && tag != "body"
                    && (raw_text[index] < 300 || raw_links[index] * 10 > raw_text[index] * 4));
        }
        let (text_chars, link_chars) = Self::counts(page, &dropped);
        Analysis {
            dropped,
            in_article,
            text_chars,
            link_chars,
        }
    }

    /// Non-space characters of text, and of link text, under each node (children come after
    /// parents, so one backward pass adds them up).
    fn counts(page: &Page, dropped: &[bool]) -> (Vec<usize>, Vec<usize>) {
        let count = page.nodes.len();
        let mut text = vec![0usize; count];
        let mut links = vec![0usize; count];
        for index in (0..count).rev() {
            if dropped[index] {
                continue;
            }
            match &page.nodes[index] {
                Node::Text { text: t, .. } => {
                    text[index] = t.chars().filter(|c| !c.is_whitespace()).count();
                }
                Node::Element { tag, children, .. } => {
                    text[index] = children.iter().map(|&c| text[c]).sum();
                    links[index] = if tag == "a" {
                        text[index]
                    } else {
                        children.iter().map(|&c| links[c]).sum()
                    };
                }
            }
        }
        (text, links)
    }

    /// The element holding the main text.
    fn content_root(&self, page: &Page) -> usize {
        let best_of = |wanted: &dyn Fn(&Node) -> bool| -> Option<usize> {
            page.nodes
                .iter()
                .enumerate()
                .filter(|(index, node)| !self.dropped[*index] && wanted(node))
                .max_by_key(|(index, _)| self.text_chars[*index])
                .map(|(index, _)| index)
                .filter(|&index| self.text_chars[index] >= MIN_CONTENT_CHARS)
        };
        if let Some(article) = best_of(&|node| node.tag() == Some("article")) {
            return article;
        }
        if let Some(main) =
            best_of(&|node| node.tag() == Some("main") || node.attribute("role") == Some("main"))
        {
            return main;
        }
        // Readability-style scoring: each paragraph's non-link text counts for its parent and
        // half for its grandparent; the best-scoring element holds the article.
        let mut scores = vec![0usize; page.nodes.len()];
        for (index, node) in page.nodes.iter().enumerate() {
            if self.dropped[index] {
                continue;
            }
            let paragraph_like = match node {
                Node::Element { tag, children, .. } => {
                    matches!(tag.as_str(), "p" | "pre" | "blockquote" | "td" | "li")
                        || (matches!(tag.as_str(), "div" | "section" | "font" | "span")
                            && children.iter().any(|&c| match &page.nodes[c] {
                                Node::Text { text, .. } => text.trim().chars().count() >= 20,
                                _ => false,
                            }))
                }
                Node::Text { .. } => false,
            };
            if !paragraph_like {
                continue;
            }
            let own = self.text_chars[index].saturating_sub(self.link_chars[index]);
            if own < 10 {
                continue;
            }
            let parent = node.parent();
            scores[parent] += own;
            let grandparent = page.nodes[parent].parent();
            if grandparent != parent {
                scores[grandparent] += own / 2;
            }
        }
        scores
            .iter()
            .enumerate()
            .max_by_key(|(_, &score)| score)
            .filter(|(_, &score)| score > 0)
            .map(|(index, _)| index)
            .unwrap_or(0)
    }

    /// The text under `root`, one block a line. With `clean`, link-dense blocks are left out.
    fn render(&self, page: &Page, root: usize, clean: bool) -> String {
        let mut renderer = Renderer::default();
        self.render_node(page, root, root, clean, &mut renderer);
        renderer.finish()
    }

    fn render_node(&self, page: &Page, index: usize, root: usize, clean: bool, out: &mut Renderer) {
        if self.dropped[index] || out.full {
            return;
        }
        match &page.nodes[index] {
            Node::Text { text, .. } => out.text(text),
            Node::Element { tag, children, .. } => {
                let tag = tag.as_str();
                let block = BLOCK_TAGS.contains(&tag);
                if clean
                    && index != root
                    && block
                    && self.text_chars[index] > 0
                    && self.link_chars[index] * 2 > self.text_chars[index]
                {
                    return;
                }
                match tag {
                    "br" => out.line_break(),
                    "td" | "th" => out.cell(),
                    _ if block => out.line_break(),
                    _ => {}
                }
                for &child in children {
                    self.render_node(page, child, root, clean, out);
                }
                if block {
                    out.line_break();
                }
            }
        }
    }

    /// The page's own title: a heading that `<title>` contains, else `<title>` without its site
    /// suffix, else the first heading.
    fn title(&self, page: &Page, root: usize) -> Option<String> {
        let mut headings = Vec::new();
        for level in ["h1", "h2", "h3"] {
            for (index, node) in page.nodes.iter().enumerate() {
                if self.dropped[index] || node.tag() != Some(level) {
                    continue;
                }
                let text = collapse_whitespace(&self.render(page, index, false));
                if !text.is_empty() && text.chars().count() <= 200 {
                    let inside = self.in_article[index] || is_ancestor(page, root, index);
                    headings.push((inside, text));
                }
            }
        }
        // Headings inside the content first, then the others, each in level order.
        headings.sort_by_key(|(inside, _)| !inside);
        let Some(title) = &page.title else {
            return headings.into_iter().next().map(|(_, text)| text);
        };
        if let Some((_, heading)) = headings
            .iter()
            .find(|(_, heading)| heading.chars().count() >= 4 && title.contains(heading.as_str()))
        {
            return Some(heading.clone());
        }
        let mut parts = vec![title.as_str()];
        for separator in TITLE_SEPARATORS {
            parts = parts
                .into_iter()
                .flat_map(|part| part.split(separator))
                .collect();
        }
        let longest = parts
            .into_iter()
            .map(str::trim)
            .max_by_key(|part| part.chars().count())
            .unwrap_or(title.as_str());
        if let Some((_, heading)) = headings
            .iter()
            .find(|(_, heading)| heading.contains(longest) && heading.chars().count() <= 120)
        {
            return Some(heading.clone());
        }
        Some(longest.to_string())
    }
}

fn is_ancestor(page: &Page, ancestor: usize, mut node: usize) -> bool {
    for _ in 0..=MAX_DEPTH + 1 {
        if node == ancestor {
            return true;
        }
        let parent = page.nodes[node].parent();
        if parent == node {
            return false;
        }
        node = parent;
    }
    false
}

fn has_boilerplate_name(node: &Node) -> bool {
    ["id", "class"].iter().any(|attribute| {
        node.attribute(attribute).is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| BOILERPLATE_WORDS.contains(&word))
        })
    })
}

/// Turns text nodes and block boundaries into lines, collapsing whitespace (none between
/// CJK characters, where a source line break is no word boundary).
#[derive(Default)]
struct Renderer {
    lines: Vec<String>,
    line: String,
    pending_space: bool,
    bytes: usize,
    full: bool,
}

impl Renderer {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space {
                if let Some(last) = self.line.chars().next_back() {
                    if !(is_cjk(last) && is_cjk(c)) && last != ' ' {
                        self.line.push(' ');
                    }
                }
                self.pending_space = false;
            }
            self.line.push(c);
        }
    }

    fn cell(&mut self) {
        if !self.line.trim().is_empty() {
            self.line.push_str(" | ");
        }
        self.pending_space = false;
    }

    fn line_break(&mut self) {
        let line = self.line.trim().trim_end_matches(" |").trim();
        if !line.is_empty() {
            self.bytes += line.len() + 1;
            self.lines.push(line.to_string());
            if self.bytes > super::extract::MAX_EXTRACTED_TEXT_BYTES {
                self.full = true;
            }
        }
        self.line.clear();
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.line_break();
        self.lines.join("\n")
    }
}

/// Collapses runs of whitespace to one space (none between CJK characters) and trims.
fn collapse_whitespace(text: &str) -> String {
    let mut renderer = Renderer::default();
    renderer.text(text);
    renderer.line.trim().to_string()
}

/// Decodes character references: `&amp;`, `&#20013;`, `&#x4E2D;` and the common named ones.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find('&') {
        out.push_str(&rest[..position]);
        rest = &rest[position..];
        let candidate = &rest[1..];
        let end = candidate
            .char_indices()
            .take(33)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .map(|(i, _)| i)
            .unwrap_or(candidate.len().min(33));
        let name = &candidate[..end];
        let has_semicolon = candidate[end..].starts_with(';');
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse::<u32>().ok(),
            };
            value.map(|v| match char::from_u32(v) {
                Some(c) if v != 0 => c,
                _ => '\u{FFFD}',
            })
        } else {
            named_entity(name).filter(|_| has_semicolon || LEGACY_ENTITIES.contains(&name))
        };
        match decoded {
            Some(c) if !name.is_empty() => {
                out.push(c);
                rest = &candidate[end + usize::from(has_semicolon)..];
            }
            _ => {
                out.push('&');
                rest = candidate;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Named references browsers also accept without `;`.
const LEGACY_ENTITIES: &[&str] = &["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"];

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "middot" => '·',
        "bull" => '•',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "sect" => '§',
        "para" => '¶',
        "yen" => '¥',
        "euro" => '€',
        "pound" => '£',
        "cent" => '¢',
        "permil" => '‰',
        "prime" => '′',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "shy" => '\u{AD}',
        "zwsp" => '\u{200B}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "iexcl" => '¡',
        "iquest" => '¿',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b &#20013;&#x56FD; &nbsp;&lt;x&gt; &unknown; &"),
            "a&b 中国 \u{A0}<x> &unknown; &"
        );
    }

    #[test]
    fn navigation_and_footer_are_left_out() {
        let html = r#"<!doctype html><html><head><meta charset="utf-8">
            <title>中缅联合执法取得成效 - 中国禁毒网</title>
            <meta name="pubdate" content="2015-06-26 09:00">
            <script>var x = "<p>不是正文</p>";</script><style>p { color: red }</style></head>
            <body><header><a href="/">首页</a></header>
            <nav><ul><li><a href="/a">禁毒要闻</a></li><li><a href="/b">国际合作</a></li></ul></nav>
            <div class="main"><h1>中缅联合执法取得成效</h1>
            <div class="info">来源：国家禁毒办</div>
            <p>中缅两国禁毒部门在边境地区开展联合执法行动，
               破获跨国贩毒案件多起。</p>
            <p>双方表示将继续深化执法合作。</p>
            <ul class="related"><li><a href="/1">相关新闻一</a></li><li><a href="/2">相关新闻二</a></li></ul>
            </div><div id="footer">版权所有 中国禁毒网</div></body></html>"#;
        let extracted = extract_html(html.as_bytes()).expect("extracts");
        assert_eq!(extracted.title.as_deref(), Some("中缅联合执法取得成效"));
        assert_eq!(extracted.date.as_deref(), Some("2015-06-26"));
        assert!(
            extracted
                .body
                .contains("中缅两国禁毒部门在边境地区开展联合执法行动，破获跨国贩毒案件多起。"),
            "{}",
            extracted.body
        );
        for boilerplate in [
            "首页",
            "禁毒要闻",
            "不是正文",
            "color",
            "相关新闻",
            "版权所有",
        ] {
            assert!(
                !extracted.body.contains(boilerplate),
                "{boilerplate}: {}",
                extracted.body
            );
        }
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for html in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "<!--",
            "</",
            "</div>",
            "<p>未闭合<div>",
            "&#xFFFFFFFF; &#0; &#",
            "<title>标题",
            "<script>",
            "<meta charset=\"gbk",
        ] {
            let _ = extract_html(html.as_bytes());
        }
        let deep = "<div>".repeat(10_000) + "深层正文" + &"</div>".repeat(10_000);
        let extracted = extract_html(deep.as_bytes()).expect("extracts");
        assert!(extracted.body.contains("深层正文"));
    }

    #[test]
    fn gbk_pages_are_decoded_from_their_meta_charset() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>禁毒合作</title></head><body><p>发布时间：2016年3月1日</p><p>中老两国签署禁毒合作备忘录。</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let extracted = extract_html(&bytes).expect("extracts");
        assert_eq!(extracted.title.as_deref(), Some("禁毒合作"));
        assert_eq!(extracted.date.as_deref(), Some("2016-03-01"));
        assert!(extracted.body.contains("中老两国签署禁毒合作备忘录。"));
    }
}
