//! The year of the document's own event, from its text.
//!
//! The rule (eval/tagging/README.md): the latest year that dates a concrete event or figure
//! the text reports. A year counts when written `2014年`, `二〇一四年`, as a date
//! (`2014-06-26`) or as the start of a range (`2016-2017年`). It does not count when it
//! - only starts a continuing period: `自2002年以来`, `2002年起`, `2002年至今`, `2002年以后`,
//!   or opens a clause that ends in 以来 (`自1985年加入公约以来`, `1999年生效以来`);
//! - is inside a name: `《1961年麻醉品单一公约》`, `1988年联合国…公约` (no verb between the
//!   year and 公约/条约/议定书), or an operation name without 年 (`合力-2012`, never read);
//! - is a future or target year: `到2025年`, `将于2025年`, `力争2025年`, `2030年前实现`,
//!   `2030年议程`;
//! - is a decade: `1990年代`.
//!
//! Relative times (今年, 近年来) and dates without a year (`10·5`) have no year to read.

use super::explanation::{ExplainedYear, Rejected, Rule, Trigger};
use super::text::Text;

/// Years outside this range are not read as years.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2099;

/// Words before a year that make it a future or target year.
const FUTURE_BEFORE: &[&str] = &[
    "将于",
    "将在",
    "计划于",
    "计划在",
    "计划到",
    "预计于",
    "预计到",
    "预计在",
    "预计",
    "力争",
    "争取",
    "拟于",
    "拟在",
    "有望在",
    "有望于",
    "有望",
    "展望",
];

/// Words right after `年` (and any month or day) that make the year the start of a period.
const PERIOD_AFTER: &[&str] = &["以来", "至今", "起", "以后", "之后", "开始"];

/// Words right after `年` that make it a target year.
const TARGET_AFTER: &[&str] = &["目标", "远景", "议程", "愿景"];

/// Verbs that make a year before 公约/条约 the date of an act, not part of the name.
const ACT_VERBS: &[&str] = &[
    "签署", "签订", "通过", "加入", "批准", "生效", "缔结", "修订", "制定", "颁布", "召开", "举行",
];

/// The most chars a year's clause or a treaty name is looked at after the year (text without
/// punctuation would otherwise make every year scan to the end).
const MAX_CLAUSE: usize = 200;

/// Words that end the name of a treaty.
const TREATY_WORDS: &[&str] = &["公约", "条约", "议定书"];

/// The year of `text`, with the expressions that qualified and those that did not.
pub(crate) fn find_year(text: &Text) -> (Option<ExplainedYear>, Vec<Rejected>) {
    let chars = &text.chars;
    let mut accepted: Vec<(i32, Trigger)> = Vec::new();
    let mut rejected = Vec::new();
    // Per char: whether it lies inside a 《…》 title (the last bracket before it opens one),
    // worked out in one pass so that texts with many years stay linear.
    let mut in_title = Vec::with_capacity(chars.len());
    let mut open = false;
    for c in chars {
        in_title.push(open);
        match c {
            '《' => open = true,
            '》' => open = false,
            _ => {}
        }
    }
    let mut i = 0;
    while i < chars.len() {
        let Some((value, end, after_nian)) = read_year(chars, i) else {
            i += 1;
            continue;
        };
        let trigger = Trigger {
            word: text.word(i, end),
            start: i,
            end,
            rule: Rule::Year,
        };
        match judge(chars, i, in_title[i], after_nian) {
            None => accepted.push((value, trigger)),
            Some(reason) => rejected.push(Rejected {
                field: "year",
                word: trigger.word,
                start: i,
                end,
                reason: reason.to_string(),
            }),
        }
        i = end.max(i + 1);
    }
    let year = accepted
        .iter()
        .map(|(v, _)| *v)
        .max()
        .map(|value| ExplainedYear {
            value,
            triggers: accepted
                .into_iter()
                .filter(|(v, _)| *v == value)
                .map(|(_, t)| t)
                .collect(),
        });
    (year, rejected)
}

/// A year starting at `i`: its value, the end of the expression, and the index right after
/// `年` when the year is written with it (None for dates and range starts).
fn read_year(chars: &[char], i: usize) -> Option<(i32, usize, Option<usize>)> {
    let digit = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_digit());
    let han_digit = |k: usize| chars.get(k).is_some_and(|c| han_digit_value(*c).is_some());
    if (0..4).all(|k| digit(i + k)) && !(i > 0 && digit(i - 1)) && !digit(i + 4) {
        let value: i32 = chars[i..i + 4].iter().collect::<String>().parse().ok()?;
        if !YEARS.contains(&value) {
            return None;
        }
        let next = chars.get(i + 4).copied();
        if next == Some('年') {
            return Some((value, i + 5, Some(i + 5)));
        }
        // A date: 2014-06-26, 2014/6/26, 2014.6.26.
        if let Some(sep @ ('-' | '/' | '.')) = next {
            let mut k = i + 5;
            let month_start = k;
            while digit(k) && k - month_start < 2 {
                k += 1;
            }
            if k > month_start && chars.get(k) == Some(&sep) {
                let day_start = k + 1;
                let mut d = day_start;
                while digit(d) && d - day_start < 2 {
                    d += 1;
                }
                if d > day_start && !digit(d) {
                    return Some((value, d, None));
                }
            }
        }
        // The start of a range: 2016-2017年, 2016至2017年.
        if let Some('-' | '–' | '—' | '~' | '至' | '到') = next {
            if (5..9).all(|k| digit(i + k)) && chars.get(i + 9) == Some(&'年') {
                return Some((value, i + 4, None));
            }
        }
        return None;
    }
    if (0..4).all(|k| han_digit(i + k))
        && !(i > 0 && han_digit(i - 1))
        && chars.get(i + 4) == Some(&'年')
    {
        let mut value = 0;
        for c in &chars[i..i + 4] {
            value = value * 10 + han_digit_value(*c)?;
        }
        if YEARS.contains(&value) {
            return Some((value, i + 5, Some(i + 5)));
        }
    }
    None
}

fn han_digit_value(c: char) -> Option<i32> {
    Some(match c {
        '〇' | '零' | '○' | 'ｏ' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Why the year at `start` does not count, or `None` when it does.
fn judge(
    chars: &[char],
    start: usize,
    in_title: bool,
    after_nian: Option<usize>,
) -> Option<&'static str> {
    if in_title {
        return Some("inside a title 《…》");
    }
    // Future or target: 到2025年, 将于2025年.
    let window: String = chars[start.saturating_sub(6)..start]
        .iter()
        .filter(|c| !c.is_whitespace())
        .collect();
    if FUTURE_BEFORE.iter().any(|w| window.ends_with(w)) {
        return Some("a future or target year");
    }
    if window.ends_with('到') || window.ends_with('至') {
        let mut head = window.chars().rev().skip(1);
        let range_or_cutoff = head
            .next()
            .is_some_and(|c| matches!(c, '截' | '直' | '年' | '月' | '日') || c.is_ascii_digit());
        if !range_or_cutoff {
            return Some("a future or target year");
        }
    }
    let after = after_nian?;
    if chars.get(after) == Some(&'代') {
        return Some("a decade");
    }
    let rest = skip_month_and_day(chars, after);
    let tail: String = chars[rest..chars.len().min(rest + 4)].iter().collect();
    if PERIOD_AFTER.iter().any(|w| tail.starts_with(w)) {
        let starts_period = !tail.starts_with("开始")
            || (start > 0 && matches!(chars[start - 1], '从' | '自'))
            || window.contains('从')
            || window.contains('自');
        if starts_period {
            return Some("only the start of a continuing period");
        }
    }
    // 自1985年加入公约以来, 1999年生效以来: the clause that the year opens ends in 以来.
    let clause_end = (start..chars.len().min(start + MAX_CLAUSE))
        .find(|&k| {
            matches!(
                chars[k],
                '，' | '。' | '；' | '！' | '？' | ',' | ';' | '\n'
            )
        })
        .unwrap_or(chars.len().min(start + MAX_CLAUSE));
    let clause: String = chars[after.min(clause_end)..clause_end].iter().collect();
    if clause.contains("以来") || clause.contains("至今") {
        return Some("only the start of a continuing period");
    }
    let right_after: String = chars[after..chars.len().min(after + 2)].iter().collect();
    if TARGET_AFTER.iter().any(|w| right_after.starts_with(w)) {
        return Some("a target year");
    }
    if right_after.starts_with('前')
        && !chars.get(after + 1).is_some_and(|c| {
            c.is_ascii_digit() || han_digit_value(*c).is_some() || matches!(c, '十' | '两' | '半')
        })
    {
        return Some("a deadline (…年前)");
    }
    if right_after.starts_with('后') {
        return Some("a time after the year, not an event in it");
    }
    // 1961年麻醉品单一公约: the year is part of a treaty's name.
    let name_end = (after..chars.len().min(after + MAX_CLAUSE))
        .find(|&k| !crate::analysis::is_han(chars[k]))
        .unwrap_or(chars.len().min(after + MAX_CLAUSE));
    let clause: String = chars[after..name_end].iter().collect();
    if !clause.starts_with(|c: char| c == '月' || c.is_ascii_digit())
        && TREATY_WORDS.iter().any(|w| clause.contains(w))
        && !ACT_VERBS.iter().any(|w| clause.contains(w))
    {
        return Some("part of a treaty's name");
    }
    None
}

/// The index after an optional month and day (`6月`, `6月26日`, `底`, `初`, `上半年`).
fn skip_month_and_day(chars: &[char], mut k: usize) -> usize {
    let is_num = |c: char| c.is_ascii_digit() || han_digit_value(c).is_some() || c == '十';
    let start = k;
    while chars.get(k).is_some_and(|c| is_num(*c)) && k - start < 3 {
        k += 1;
    }
    if k > start && chars.get(k) == Some(&'月') {
        k += 1;
        let day = k;
        while chars.get(k).is_some_and(|c| is_num(*c)) && k - day < 3 {
            k += 1;
        }
        if k > day && matches!(chars.get(k), Some('日' | '号')) {
            k += 1;
        }
        return k;
    }
    if matches!(chars.get(start), Some('底' | '初' | '末')) {
        return start + 1;
    }
    start
}
