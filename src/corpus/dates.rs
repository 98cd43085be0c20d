//! Publication dates found in extracted files: metadata values (`2015-06-26T08:00:00Z`,
//! `D:20150626…`) and visible lines (`发布时间：2015-06-26`, `日期：2015年6月26日`), as
//! `YYYY-MM-DD`.

use super::validate::valid_date;

/// Labels that introduce a publication date on a visible line.
const DATE_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "印发日期",
    "公布日期",
    "发表时间",
    "更新时间",
    "时间",
    "日期",
];

/// A date at the start of `value`: `2015-06-26`, `2015/6/26`, `2015.06.26`, `2015年6月26日`,
/// `20150626` or PDF's `D:20150626…`, optionally followed by a time. `None` if there is none
/// or it is not a real calendar date.
pub fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    let value = value.strip_prefix("D:").unwrap_or(value);
    let chars: Vec<char> = value.chars().take(40).collect();
    let digits_at = |start: usize| -> usize {
        chars[start.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let number = |start: usize, len: usize| -> Option<u32> {
        chars
            .get(start..start + len)?
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    };
    let year_digits = digits_at(0);
    let (year, month, day) = if year_digits >= 8 {
        (number(0, 4)?, number(4, 2)?, number(6, 2)?)
    } else if year_digits == 4 {
        let separator = *chars.get(4)?;
        if !matches!(separator, '-' | '/' | '.' | '年') {
            return None;
        }
        let month_digits = digits_at(5);
        if !(1..=2).contains(&month_digits) {
            return None;
        }
        let month = number(5, month_digits)?;
        let after_month = 5 + month_digits;
        let expected = if separator == '年' { '月' } else { separator };
        if chars.get(after_month) != Some(&expected) {
            return None;
        }
        let day_digits = digits_at(after_month + 1);
        if !(1..=2).contains(&day_digits) {
            return None;
        }
        let day = number(after_month + 1, day_digits)?;
        (number(0, 4)?, month, day)
    } else {
        return None;
    };
    let date = format!("{year:04}-{month:02}-{day:02}");
    valid_date(&date).then_some(date)
}

/// The first date introduced by a label such as `发布时间：` in `text`, looking at most at its
/// first `max_lines` non-empty lines.
pub fn find_labelled_date(text: &str, max_lines: usize) -> Option<String> {
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(max_lines)
    {
        for label in DATE_LABELS {
            let mut rest = line;
            while let Some(position) = rest.find(label) {
                let after = rest[position + label.len()..].trim_start();
                let after = after
                    .strip_prefix(['：', ':'])
                    .map(str::trim_start)
                    .unwrap_or(after);
                if let Some(date) = parse_date(after) {
                    return Some(date);
                }
                rest = &rest[position + label.len()..];
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_spellings() {
        for value in [
            "2015-06-26",
            "2015-6-26 10:00",
            "2015/06/26",
            "2015.6.26",
            "2015年6月26日",
            "2015-06-26T08:00:00Z",
            "D:20150626083000+08'00'",
            "20150626",
        ] {
            assert_eq!(parse_date(value).as_deref(), Some("2015-06-26"), "{value}");
        }
        for value in [
            "2015-13-01",
            "2015年6月",
            "15-06-26",
            "2015-06",
            "",
            "二〇一五年",
        ] {
            assert_eq!(parse_date(value), None, "{value}");
        }
    }

    #[test]
    fn labelled_dates_on_visible_lines() {
        let text = "首页 > 新闻\n来源：国家禁毒办  发布时间：2015-06-26 09:30\n正文";
        assert_eq!(find_labelled_date(text, 10).as_deref(), Some("2015-06-26"));
        assert_eq!(
            find_labelled_date("日期：2015年6月26日", 10).as_deref(),
            Some("2015-06-26")
        );
        assert_eq!(find_labelled_date("时间紧迫，日期未定", 10), None);
    }
}
