//! From positioned glyphs to text in reading order: glyphs become lines, lines are split into
//! columns where a gutter runs down the page (lines that span it cut the page into bands), and
//! lines become paragraphs. Line breaks inside a paragraph are joined, with no space between
//! Chinese characters. Pure geometry, no PDF parsing.

use super::extract::{is_cjk, join_broken_line};

/// One glyph as the PDF draws it, in page space (y grows upwards).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Font size in page space.
    pub size: f64,
    /// Advance in page space.
    pub width: f64,
    /// The Unicode text it stands for.
    pub text: String,
}

/// A line of text on a page.
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Characters that end a sentence or a list item: after them a short line ends its paragraph.
fn ends_sentence(text: &str) -> bool {
    text.trim_end().chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '。' | '！'
                | '？'
                | '；'
                | '：'
                | '…'
                | '”'
                | '」'
                | '』'
                | '.'
                | '!'
                | '?'
                | ';'
                | ':'
        )
    })
}

/// The paragraphs of one page, in reading order.
pub fn page_paragraphs(glyphs: &[Glyph]) -> Vec<String> {
    let lines: Vec<Line> = build_lines(glyphs)
        .into_iter()
        .filter(|line| !is_page_number(&line.text))
        .collect();
    let ordered = reading_order(lines);
    paragraphs(&ordered)
}

/// Joins pages' paragraphs: a paragraph cut by a page break (no sentence end) continues.
pub fn join_pages(pages: Vec<Vec<String>>) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    for page in pages {
        for (index, paragraph) in page.into_iter().enumerate() {
            match paragraphs.last_mut() {
                Some(last) if index == 0 && !ends_sentence(last) => {
                    join_broken_line(last, &paragraph)
                }
                _ => paragraphs.push(paragraph),
            }
        }
    }
    paragraphs.join("\n")
}

/// Groups glyphs, in drawing order, into lines.
fn build_lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for glyph in glyphs {
        if glyph.text.is_empty() || !glyph.x.is_finite() || !glyph.y.is_finite() {
            continue;
        }
        let size = if glyph.size.is_finite() && glyph.size > 0.1 {
            glyph.size
        } else {
            10.0
        };
        let is_space = glyph.text.chars().all(char::is_whitespace);
        let continues = lines.last().is_some_and(|line| {
            let tolerance = 0.5 * size.max(line.size);
            (glyph.y - line.y).abs() <= tolerance
                && glyph.x >= line.x1 - 0.8 * size
                && glyph.x < line.x1 + 2.5 * size
        });
        if !continues {
            if is_space {
                continue;
            }
            lines.push(Line {
                x0: glyph.x,
                x1: glyph.x + glyph.width.max(0.0),
                y: glyph.y,
                size,
                text: glyph.text.clone(),
            });
            continue;
        }
        let Some(line) = lines.last_mut() else {
            continue;
        };
        if is_space {
            // A space does not extend the line: spaces must not bridge a column gutter.
            if !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            continue;
        } else {
            let gap = glyph.x - line.x1;
            let last = line.text.chars().next_back();
            let first = glyph.text.chars().next();
            let cjk_edge = last.is_some_and(is_cjk) || first.is_some_and(is_cjk);
            if gap > 0.25 * size && !cjk_edge && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            line.text.push_str(&glyph.text);
        }
        line.x1 = line.x1.max(glyph.x + glyph.width.max(0.0));
        line.size = line.size.max(size);
    }
    for line in &mut lines {
        line.text = clean_spaces(&line.text);
    }
    lines.retain(|line| !line.text.is_empty());
    lines
}

/// Collapses spaces and drops those between two CJK characters.
fn clean_spaces(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let previous = out.chars().next_back();
            let next = chars[index + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .copied();
            let between_cjk = previous.is_some_and(is_cjk) || next.is_some_and(is_cjk);
            if previous.is_some_and(|p| p != ' ') && !between_cjk {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// Page numbers such as `3`, `- 3 -`, `— 3 —`, `第3页`, `3/12`.
fn is_page_number(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '-' | '—' | '－' | '–' | '第' | '页' | '共' | '/' | '·'
            )
        })
        .collect();
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Orders lines for reading: top to bottom, and where a gutter splits the page into columns,
/// each band's left column before its right one. Lines spanning the gutter separate bands.
fn reading_order(mut lines: Vec<Line>) -> Vec<Vec<Line>> {
    lines.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let Some(gutter) = find_gutter(&lines) else {
        return vec![merge_same_baseline(lines)];
    };
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut left: Vec<Line> = Vec::new();
    let mut right: Vec<Line> = Vec::new();
    let flush = |left: &mut Vec<Line>, right: &mut Vec<Line>, blocks: &mut Vec<Vec<Line>>| {
        if !left.is_empty() {
            blocks.push(std::mem::take(left));
        }
        if !right.is_empty() {
            blocks.push(std::mem::take(right));
        }
    };
    for line in lines {
        if line.x1 <= gutter + 1.0 {
            left.push(line);
        } else if line.x0 >= gutter - 1.0 {
            right.push(line);
        } else {
            flush(&mut left, &mut right, &mut blocks);
            blocks.push(vec![line]);
        }
    }
    flush(&mut left, &mut right, &mut blocks);
    blocks
}

/// An x that few lines cross (headings spanning the columns), with enough lines entirely on
/// both sides. A single column has no such x: most of its lines cross any.
fn find_gutter(lines: &[Line]) -> Option<f64> {
    let min_x = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
    let max_x = lines.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max);
    let width = max_x - min_x;
    if !width.is_finite() || width <= 0.0 || lines.len() < 4 {
        return None;
    }
    let mut candidates: Vec<f64> = lines
        .iter()
        .map(|l| l.x0)
        .filter(|&x| x > min_x + 0.25 * width && x < min_x + 0.75 * width)
        .collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    let mut best: Option<(usize, usize, f64)> = None;
    for gutter in candidates {
        let crossing = lines
            .iter()
            .filter(|l| l.x0 < gutter - 1.0 && l.x1 > gutter + 1.0)
            .count();
        let left = lines.iter().filter(|l| l.x1 <= gutter + 1.0).count();
        let right = lines.iter().filter(|l| l.x0 >= gutter - 1.0).count();
        let acceptable =
            left >= 2 && right >= 2 && right * 5 >= lines.len() && crossing * 4 <= lines.len();
        if !acceptable {
            continue;
        }
        let balance = left.min(right);
        let better = match best {
            None => true,
            Some((best_crossing, best_balance, _)) => {
                crossing < best_crossing || (crossing == best_crossing && balance > best_balance)
            }
        };
        if better {
            best = Some((crossing, balance, gutter));
        }
    }
    best.map(|(_, _, gutter)| gutter)
}

/// In a single column, pieces of one baseline (table cells, tab stops) become one line.
fn merge_same_baseline(lines: Vec<Line>) -> Vec<Line> {
    let mut merged: Vec<Line> = Vec::new();
    for line in lines {
        match merged.last_mut() {
            Some(last) if (last.y - line.y).abs() <= 0.3 * last.size.max(line.size) => {
                last.text.push_str("  ");
                last.text.push_str(&line.text);
                last.x0 = last.x0.min(line.x0);
                last.x1 = last.x1.max(line.x1);
            }
            _ => merged.push(line),
        }
    }
    merged
}

/// Joins lines into paragraphs, block by block (a block is a column of one band).
fn paragraphs(blocks: &[Vec<Line>]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut previous: Option<(&Line, f64)> = None;
    for block in blocks {
        let left = block.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
        // The column's right margin: most lines reach it; a wider heading does not move it.
        let mut ends: Vec<f64> = block.iter().map(|l| l.x1).collect();
        ends.sort_by(f64::total_cmp);
        let right = ends
            .get(ends.len().saturating_sub(1) * 3 / 4)
            .copied()
            .unwrap_or(0.0);
        for (index, line) in block.iter().enumerate() {
            let new_paragraph = match previous {
                None => true,
                Some((last, last_right)) => {
                    let size = last.size.max(line.size);
                    let indented = line.x0 > left + 1.5 * size;
                    let short = last.x1 < last_right - 2.0 * size;
                    let very_short = last.x1 < last_right - 6.0 * size;
                    let resized = (last.size - line.size).abs() > 0.2 * size;
                    if index == 0 {
                        // A new column or band: only punctuation and indentation tell.
                        ends_sentence(&last.text) || indented || resized
                    } else {
                        let gap = last.y - line.y;
                        gap > 1.9 * size
                            || gap < 0.0
                            || indented
                            || resized
                            || very_short
                            || (short && ends_sentence(&last.text))
                    }
                }
            };
            if new_paragraph {
                paragraphs.push(line.text.clone());
            } else if let Some(last) = paragraphs.last_mut() {
                join_broken_line(last, &line.text);
            }
            previous = Some((line, right));
        }
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for `text` drawn from (x, y), one full-width character per `size`.
    fn run(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * size,
                y,
                size,
                width: if c.is_ascii() { size * 0.5 } else { size },
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn wrapped_chinese_lines_join_without_spaces() {
        let mut glyphs = run("　　中缅两国禁毒部门在边境地区开展", 50.0, 700.0, 10.0);
        glyphs.extend(run("联合执法行动，破获跨国贩毒案件。", 50.0, 686.0, 10.0));
        glyphs.extend(run("　　双方表示将继续合作。", 50.0, 672.0, 10.0));
        let text = join_pages(vec![page_paragraphs(&glyphs)]);
        assert_eq!(
            text,
            "中缅两国禁毒部门在边境地区开展联合执法行动，破获跨国贩毒案件。\n双方表示将继续合作。"
        );
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut glyphs = run("湄公河流域禁毒合作", 100.0, 760.0, 14.0);
        // Drawn row by row across both columns, as some producers do.
        let left = [
            "左栏第一行文字内容",
            "左栏第二行文字结束。",
            "左栏第三行另起一段",
        ];
        let right = [
            "右栏第一行文字内容",
            "右栏第二行文字结束。",
            "右栏第三行另起一段",
        ];
        for (row, (l, r)) in left.iter().zip(right.iter()).enumerate() {
            let y = 700.0 - row as f64 * 14.0;
            glyphs.extend(run(l, 50.0, y, 10.0));
            glyphs.extend(run(r, 300.0, y, 10.0));
        }
        let text = join_pages(vec![page_paragraphs(&glyphs)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "湄公河流域禁毒合作");
        assert!(
            text.contains("左栏第一行文字内容左栏第二行文字结束。"),
            "{text}"
        );
        let left_at = text.find("左栏第三行").unwrap_or(usize::MAX);
        let right_at = text.find("右栏第一行").unwrap_or(0);
        assert!(left_at < right_at, "{text}");
    }

    #[test]
    fn page_numbers_are_dropped_and_pages_continue() {
        let first = run("合作持续推进，", 50.0, 100.0, 10.0);
        let mut number = run("- 1 -", 280.0, 30.0, 10.0);
        number.extend(first);
        let second = run("成效显著。", 50.0, 700.0, 10.0);
        let text = join_pages(vec![page_paragraphs(&number), page_paragraphs(&second)]);
        assert_eq!(text, "合作持续推进，成效显著。");
    }

    #[test]
    fn spaces_between_hanzi_are_dropped_but_kept_in_latin() {
        assert_eq!(
            clean_spaces("中 国  禁毒 UNODC  office"),
            "中国禁毒UNODC office"
        );
    }
}
