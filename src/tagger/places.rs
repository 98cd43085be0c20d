//! Countries, regions and organisations from the gazetteer: names, aliases, ISO codes and
//! places found anywhere (longest match first, look-alike strings such as 香港路 ignored), and
//! one-character abbreviations found only where they are used as such: in a 、-enumeration
//! (美、俄、老), in a bilateral compound or run (中美, 中老缅泰), or before 方/籍 (美方, 缅籍).
//! Whether a character stands alone is decided by jieba, so 其中老人, 中老年 and 途中越过 give
//! nothing. A shared abbreviation (新, 巴, 阿 …) is resolved only when exactly one of its
//! candidates is named in full in the same text; otherwise it is dropped, never guessed.

use std::collections::{HashMap, HashSet};

use super::explanation::{
    order_by_first_mention, push_trigger, Explained, Rejected, Rule, Trigger,
};
use super::phrases::{Overlaps, PhraseSet};
use super::text::Text;
use super::TaggerError;
use crate::analysis::{is_han, normalize_str, Analyzer, Side};
use crate::knowledge::Gazetteer;

/// The character that stands for China in compounds and enumerations (中美, 中、老); it joins
/// them but is never a value.
const CHINA: char = '中';

/// Words made of 中 and abbreviations that are ordinary words, not bilateral compounds.
const ORDINARY_COMPOUNDS: &[&str] = &[
    "中文",
    "中英文",
    "中意",
    "中西",
    "中南",
    "中古",
    "中波",
    "中土",
    "中巴",
];

/// Words of an abbreviation and 方/籍 that are ordinary words, not a party (南方, 比方).
const ORDINARY_PARTIES: &[&str] = &[
    "南方", "西方", "比方", "秘方", "古方", "土方", "白方", "古籍", "以方",
];

/// First characters of the word after a run of abbreviations that show the run is a list of
/// countries (老缅泰三国, 美俄两国, 中老缅泰边境, 美日等国).
const RUN_FOLLOWERS: &[char] = &[
    '两', '三', '四', '五', '六', '七', '双', '各', '边', '之', '间', '等',
];

/// What may follow a bilateral compound (中美禁毒, 中缅边境) or the last item of a
/// 、-enumeration (美、俄等国) when a word follows at once. In domestic texts the same
/// characters are parts of names (中美村, 中港宾馆, 珠中法刑一终字, 2台、南天牌), which are
/// followed by other words.
const COMPOUND_FOLLOWERS: &[&str] = &[
    "两国",
    "双方",
    "双边",
    "各方",
    "三国",
    "四国",
    "五国",
    "六国",
    "三方",
    "四方",
    "边境",
    "边界",
    "界",
    "禁毒",
    "执法",
    "合作",
    "联合",
    "联手",
    "关系",
    "友好",
    "之间",
    "间",
    "警方",
    "警务",
    "签署",
    "签订",
    "会晤",
    "会谈",
    "在",
    "就",
    "于",
    "共同",
    "高层",
    "元首",
    "总理",
    "外长",
    "政府",
    "公安",
    "司法",
    "战略",
    "经济",
    "铁路",
    "油气",
    "等",
    "开展",
    "建立",
    "举行",
    "达成",
    "领导",
    "首脑",
    "部长",
    "对话",
    "磋商",
    "协议",
    "情报",
    "缉毒",
    "湄公河",
    "务实",
    "跨境",
    "交流",
    "海关",
    "贸易",
    "外交",
    "边防",
    "毒品",
    "打击",
    "专家",
    "地区",
    "的",
    "和",
    "及",
    "与",
    "各国",
    "国家",
    "人员",
    "代表",
    "官员",
    "部门",
    "机构",
    "工作组",
    "联络",
];

/// Function words that jieba may glue to the first abbreviation of an enumeration (同美、俄).
const ENUMERATION_OPENERS: &[&str] = &[
    "与", "和", "同", "及", "对", "在", "向", "由", "是", "为", "跟", "经", "赴", "包括", "如",
];

/// Words right after a place name that make it the name of a street, building or business in
/// China (柏林宾馆, 台北路, 加州阳光小区, 迪拜假日酒店, 旺角楼), not the place.
const FACILITY_SUFFIXES: &[&str] = &[
    "路",
    "街",
    "大道",
    "巷",
    "小区",
    "小镇",
    "花园",
    "公寓",
    "大厦",
    "广场",
    "宾馆",
    "酒店",
    "大酒店",
    "饭店",
    "旅馆",
    "旅社",
    "招待所",
    "会所",
    "酒吧",
    "网吧",
    "商场",
    "商城",
    "商厦",
    "超市",
    "加油站",
    "综合区",
    "公学",
    "幼儿园",
    "名店",
    "餐厅",
    "发廊",
    "足浴",
    "洗浴",
    "ktv",
    "山庄",
    "阳光",
    "春天",
    "假日",
    "风情",
    "楼",
    "苑",
    "公馆",
    "会馆",
    "大药房",
    "诊所",
    "茶楼",
];

/// Words right after a city or other place inside a country that make it a Chinese place or
/// business name (普吉大村, 基隆开发区, 万柏林分局, 大马市场); country names are not checked
/// against these (老挝村民 is Laos).
const PLACE_ONLY_SUFFIXES: &[&str] = &[
    "村",
    "大村",
    "镇",
    "乡",
    "开发区",
    "分局",
    "市场",
    "派出所",
    "社区",
    "工业区",
    "园区",
    "大桥",
];

/// What after 路 or 街 still means a country (美国路线, 缅甸街头).
const STREET_EXCEPTIONS: &[&str] = &["路线", "路段", "路上", "路途", "路径", "路过", "街头"];

/// Words right after an ISO code that make it a model number or a marking (TR-9600, TL字样).
const CODE_SUFFIXES: &[&str] = &["字样", "型", "牌", "号", "款", "码", "系列", "公寓"];

/// What a gazetteer word means.
#[derive(Debug, Clone)]
enum Target {
    /// A place, by index, and how it was named.
    Place(usize, Rule),
    /// A look-alike string of a place (香港路): the place is not meant.
    Not(usize),
    /// An organisation, by index.
    Org(usize),
    /// A fixed compound of regions (港澳, 港澳台).
    Compound(Vec<usize>),
}

/// What [`Places::find`] found.
#[derive(Debug, Default)]
pub(crate) struct PlaceFindings {
    /// Countries and regions.
    pub countries: Vec<Explained>,
    /// Organisations.
    pub organizations: Vec<Explained>,
    /// Seen but not used.
    pub rejected: Vec<Rejected>,
}

/// jieba's words of the Han runs of a text, segmented on demand (most texts need none).
struct Segments<'t, 'a> {
    text: &'t Text<'a>,
    analyzer: &'t Analyzer,
    /// Han runs segmented so far, by start: (end, words).
    runs: HashMap<usize, (usize, Vec<(usize, usize)>)>,
}

impl<'t, 'a> Segments<'t, 'a> {
    fn new(text: &'t Text<'a>, analyzer: &'t Analyzer) -> Segments<'t, 'a> {
        Segments {
            text,
            analyzer,
            runs: HashMap::new(),
        }
    }

    /// The Han run around char `position`.
    fn run_of(&self, position: usize) -> (usize, usize) {
        let chars = &self.text.chars;
        let mut start = position;
        while start > 0 && is_han(chars[start - 1]) {
            start -= 1;
        }
        let mut end = position;
        while end < chars.len() && is_han(chars[end]) {
            end += 1;
        }
        (start, end)
    }

    /// The words of the Han run around `position` (absolute char offsets).
    fn words_around(&mut self, position: usize) -> &[(usize, usize)] {
        let (start, end) = self.run_of(position);
        let (text, analyzer) = (self.text, self.analyzer);
        let entry = self.runs.entry(start).or_insert_with(|| {
            let words = analyzer
                .words_of(text.norm_slice(start, end), Side::Query)
                .into_iter()
                .map(|t| (start + t.start, start + t.end))
                .collect();
            (end, words)
        });
        &entry.1
    }

    /// Whether a word begins at Han char `start` (true for other chars).
    fn starts_a_word(&mut self, start: usize) -> bool {
        if !self.text.char_at(start).is_some_and(is_han) {
            return true;
        }
        self.words_around(start).iter().any(|w| w.0 == start)
    }

    /// Whether chars `start..end` (all Han) begin and end at word boundaries.
    fn on_boundaries(&mut self, start: usize, end: usize) -> bool {
        if !(start..end).all(|i| is_han(self.text.chars[i])) || start == end {
            return true;
        }
        let words = self.words_around(start);
        let starts = words.iter().any(|w| w.0 == start);
        let ends = words.iter().any(|w| w.1 == end);
        starts && ends
    }
}

/// Whether the normalized text at `position` starts with one of `words`.
fn starts_with_any(text: &Text, position: usize, words: &[&str]) -> bool {
    if position >= text.len() {
        return false;
    }
    let rest = text.norm_slice(position, text.len().min(position + 6));
    words.iter().any(|w| rest.starts_with(w))
}

/// Whether a bilateral compound or enumeration ending at `end` is followed by what such lists
/// are followed by: nothing, punctuation, another abbreviation, or a word of
/// [`COMPOUND_FOLLOWERS`].
fn followed_as_list(text: &Text, end: usize) -> bool {
    match text.char_at(end) {
        None => true,
        Some(c) if !is_han(c) && !c.is_ascii_alphanumeric() => true,
        Some(_) => starts_with_any(text, end, COMPOUND_FOLLOWERS),
    }
}

/// Whether the word ending at `end` is followed by a closing quote or a facility word, as the
/// names of housing estates and businesses are (“和融国际”小区, 国际广场).
pub(crate) fn names_a_facility(text: &Text, end: usize) -> bool {
    matches!(text.char_at(end), Some('”' | '"' | '」' | '』'))
        || starts_with_any(text, end, FACILITY_SUFFIXES)
}

/// Why a place match is not the place, if it is not.
fn place_misread(
    text: &Text,
    start: usize,
    end: usize,
    rule: Rule,
    segments: &mut Segments,
) -> Option<String> {
    let word = text.word(start, end);
    let facility = starts_with_any(text, end, FACILITY_SUFFIXES)
        && (rule == Rule::Place || !starts_with_any(text, end, STREET_EXCEPTIONS));
    if facility || (rule == Rule::Place && starts_with_any(text, end, PLACE_ONLY_SUFFIXES)) {
        return Some(format!("{word} names a street, building or business here"));
    }
    match rule {
        Rule::Place if !segments.on_boundaries(start, end) => {
            Some(format!("{word} is part of a longer word here"))
        }
        Rule::Code => {
            let before = start.checked_sub(1).and_then(|i| text.char_at(i));
            let after = text.char_at(end);
            let han = |c: Option<char>| c.is_some_and(is_han);
            let joined = |c: Option<char>| matches!(c, Some('-' | '_' | '/' | '.'));
            let next_alnum = text
                .char_at(end + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let prev_alnum = start
                .checked_sub(2)
                .and_then(|i| text.char_at(i))
                .is_some_and(|c| c.is_ascii_alphanumeric());
            // A code between two Han characters is a masked name (武MM) unless a function
            // word joins it (CN与TH将, 来自MM、LA和KH的).
            let joined_by_word = matches!(
                before,
                Some(
                    '与' | '和'
                        | '及'
                        | '同'
                        | '对'
                        | '向'
                        | '在'
                        | '为'
                        | '是'
                        | '从'
                        | '由'
                        | '至'
                        | '到'
                        | '自'
                )
            );
            if (han(before) && han(after) && !joined_by_word)
                || (joined(after) && next_alnum)
                || (joined(before) && prev_alnum)
                || after == Some('$')
                || starts_with_any(text, end, CODE_SUFFIXES)
            {
                Some(format!(
                    "{word} is a model number, marking or name part here, not a code"
                ))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The compiled gazetteer.
#[derive(Debug)]
pub(crate) struct Places {
    names: Vec<String>,
    org_names: Vec<String>,
    words: PhraseSet<Target>,
    /// Normalized abbreviation char → the places that use it.
    abbrevs: HashMap<char, Vec<usize>>,
    /// 澳门's index: 澳 means 澳门 in an enumeration that also has 港 or 台 (港、澳、台).
    macau: Option<usize>,
}

impl Places {
    /// Compiles the gazetteer.
    pub fn new(gazetteer: &Gazetteer) -> Result<Places, TaggerError> {
        let mut entries: Vec<(String, Target, bool)> = Vec::new();
        let mut abbrevs: HashMap<char, Vec<usize>> = HashMap::new();
        for (index, place) in gazetteer.places.iter().enumerate() {
            entries.push((place.name.clone(), Target::Place(index, Rule::Name), false));
            for alias in &place.aliases {
                entries.push((alias.clone(), Target::Place(index, Rule::Alias), false));
            }
            for code in &place.codes {
                entries.push((code.clone(), Target::Place(index, Rule::Code), true));
            }
            for inner in &place.places {
                entries.push((inner.clone(), Target::Place(index, Rule::Place), false));
            }
            for not in &place.not {
                entries.push((not.clone(), Target::Not(index), false));
            }
            if let Some(abbrev) = &place.abbrev {
                if let Some(c) = normalize_str(abbrev).chars().next() {
                    abbrevs.entry(c).or_default().push(index);
                }
            }
        }
        let find = |name: &str| gazetteer.places.iter().position(|p| p.name == name);
        let (hong_kong, macau, taiwan) = (find("香港"), find("澳门"), find("台湾"));
        if let (Some(hk), Some(mo)) = (hong_kong, macau) {
            entries.push(("港澳".to_string(), Target::Compound(vec![hk, mo]), false));
            if let Some(tw) = taiwan {
                entries.push((
                    "港澳台".to_string(),
                    Target::Compound(vec![hk, mo, tw]),
                    false,
                ));
            }
        }
        for (index, org) in gazetteer.organizations.iter().enumerate() {
            entries.push((org.name.clone(), Target::Org(index), false));
            for alias in &org.aliases {
                entries.push((alias.clone(), Target::Org(index), false));
            }
        }
        Ok(Places {
            names: gazetteer.places.iter().map(|p| p.name.clone()).collect(),
            org_names: gazetteer
                .organizations
                .iter()
                .map(|o| o.name.clone())
                .collect(),
            words: PhraseSet::new(entries, Overlaps::Longest)?,
            abbrevs,
            macau,
        })
    }

    /// Finds the countries, regions and organisations of `text`.
    pub fn find(&self, text: &Text, analyzer: &Analyzer) -> PlaceFindings {
        let mut findings = PlaceFindings::default();
        let mut segments = Segments::new(text, analyzer);
        let mut covered = vec![false; text.len()];
        let mut named_in_full: HashSet<usize> = HashSet::new();
        for occurrence in self.words.find(text) {
            covered[occurrence.start..occurrence.end]
                .iter_mut()
                .for_each(|c| *c = true);
            let targets = self.words.targets(occurrence.word);
            let word = text.word(occurrence.start, occurrence.end);
            let trigger = |rule| Trigger {
                word: word.clone(),
                start: occurrence.start,
                end: occurrence.end,
                rule,
            };
            let not_meant: Vec<usize> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Not(place) => Some(*place),
                    _ => None,
                })
                .collect();
            let mut meant_something = false;
            let mut seen_places: Vec<usize> = Vec::new();
            for target in targets {
                match target {
                    Target::Place(place, _) if seen_places.contains(place) => {}
                    Target::Place(place, rule) if !not_meant.contains(place) => {
                        seen_places.push(*place);
                        if let Some(reason) = place_misread(
                            text,
                            occurrence.start,
                            occurrence.end,
                            *rule,
                            &mut segments,
                        ) {
                            findings.rejected.push(Rejected {
                                field: "countries",
                                word: word.clone(),
                                start: occurrence.start,
                                end: occurrence.end,
                                reason,
                            });
                            meant_something = true;
                            continue;
                        }
                        if matches!(rule, Rule::Name | Rule::Alias) {
                            named_in_full.insert(*place);
                        }
                        push_trigger(&mut findings.countries, &self.names[*place], trigger(*rule));
                        meant_something = true;
                    }
                    Target::Org(_)
                        if occurrence.end - occurrence.start == 2
                            && !segments.starts_a_word(occurrence.start) =>
                    {
                        // A two-character name inside another word (股东协议 is not 东协).
                        findings.rejected.push(Rejected {
                            field: "organizations",
                            word: word.clone(),
                            start: occurrence.start,
                            end: occurrence.end,
                            reason: format!("{word} is part of a longer word here"),
                        });
                        meant_something = true;
                    }
                    Target::Org(org) => {
                        push_trigger(
                            &mut findings.organizations,
                            &self.org_names[*org],
                            trigger(Rule::Name),
                        );
                        meant_something = true;
                    }
                    Target::Compound(places) => {
                        for place in places {
                            push_trigger(
                                &mut findings.countries,
                                &self.names[*place],
                                trigger(Rule::Compound),
                            );
                        }
                        meant_something = true;
                    }
                    Target::Place(..) | Target::Not(_) => {}
                }
            }
            if !meant_something {
                let places: Vec<&str> = not_meant.iter().map(|p| self.names[*p].as_str()).collect();
                findings.rejected.push(Rejected {
                    field: "countries",
                    word,
                    start: occurrence.start,
                    end: occurrence.end,
                    reason: format!("look-alike string, does not mean {}", places.join("/")),
                });
            }
        }
        for (position, rule) in self.abbreviations(text, &covered, &mut segments) {
            let c = text.chars[position];
            let mut candidates = self.abbrevs.get(&c).cloned().unwrap_or_default();
            if let (Rule::Enumeration, Some(macau)) = (rule, self.macau) {
                if c == '澳' && enumeration_has(text, position, &['港', '台']) {
                    candidates = vec![macau];
                }
            }
            let word = text.word(position, position + 1);
            let chosen = if candidates.len() == 1 {
                Some(candidates[0])
            } else {
                let named: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|p| named_in_full.contains(p))
                    .collect();
                if named.len() == 1 {
                    Some(named[0])
                } else {
                    let names: Vec<&str> =
                        candidates.iter().map(|p| self.names[*p].as_str()).collect();
                    findings.rejected.push(Rejected {
                        field: "countries",
                        word: word.clone(),
                        start: position,
                        end: position + 1,
                        reason: format!(
                            "shared abbreviation of {}: {} named in full",
                            names.join("/"),
                            if named.is_empty() {
                                "none"
                            } else {
                                "more than one"
                            }
                        ),
                    });
                    None
                }
            };
            if let Some(place) = chosen {
                push_trigger(
                    &mut findings.countries,
                    &self.names[place],
                    Trigger {
                        word,
                        start: position,
                        end: position + 1,
                        rule,
                    },
                );
            }
        }
        order_by_first_mention(&mut findings.countries);
        order_by_first_mention(&mut findings.organizations);
        findings
    }

    /// Whether `c` can join an abbreviation context (an abbreviation or 中).
    fn joins(&self, c: char) -> bool {
        c == CHINA || self.abbrevs.contains_key(&c)
    }

    /// The char positions used as abbreviations, with the rule that applies.
    fn abbreviations(
        &self,
        text: &Text,
        covered: &[bool],
        segments: &mut Segments,
    ) -> Vec<(usize, Rule)> {
        let chars = &text.chars;
        let free = |i: usize| !covered[i] && self.joins(chars[i]);
        // Cheap look-around first: most texts have no candidate and are never segmented.
        let mut tokens: Vec<(usize, usize)> = Vec::new();
        let mut segmented: HashSet<usize> = HashSet::new();
        for i in 0..chars.len() {
            if !free(i) || chars[i] == CHINA {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let context = prev == Some('、')
                || next == Some('、')
                || matches!(next, Some('方' | '籍'))
                || i.checked_sub(1).is_some_and(free)
                || (i + 1 < chars.len() && free(i + 1));
            if !context {
                continue;
            }
            // The whole 、-separated stretch around it, so that every item of an enumeration
            // is looked at (东、西、南、北 is no enumeration of countries).
            let in_stretch = |c: char| is_han(c) || c == '、';
            let mut start = i;
            while start > 0 && in_stretch(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && in_stretch(chars[end]) {
                end += 1;
            }
            for (p, c) in chars.iter().enumerate().take(end).skip(start) {
                if *c != '、' && segmented.insert(segments.run_of(p).0) {
                    tokens.extend_from_slice(segments.words_around(p));
                }
            }
        }
        if tokens.is_empty() {
            return Vec::new();
        }
        tokens.sort_unstable();
        tokens.dedup();
        // jieba may glue an enumeration's first or last abbreviation to the next word (韩三国,
        // 同美): split it off when the rest is a function word or a list follower.
        let mut split = Vec::with_capacity(tokens.len());
        for &(start, end) in &tokens {
            if end - start >= 2
                && chars.get(end) == Some(&'、')
                && free(end - 1)
                && ENUMERATION_OPENERS.contains(&text.norm_slice(start, end - 1))
            {
                split.push((start, end - 1));
                split.push((end - 1, end));
                continue;
            }
            if end - start >= 2
                && start > 0
                && chars[start - 1] == '、'
                && free(start)
                && followed_as_list(text, start + 1)
            {
                split.push((start, start + 1));
                split.push((start + 1, end));
                continue;
            }
            split.push((start, end));
        }
        let tokens = split;
        // An abbreviation right after a number is a measure word or a date (2台, 1日).
        let after_number = |t: (usize, usize)| {
            t.0.checked_sub(1)
                .and_then(|i| text.char_at(i))
                .is_some_and(|c| c.is_ascii_alphanumeric())
        };

        let single = |t: (usize, usize)| t.1 == t.0 + 1 && free(t.0);
        let abbrev = |t: (usize, usize)| single(t) && chars[t.0] != CHINA;
        let entity = |t: (usize, usize)| covered[t.0..t.1].iter().all(|c| *c);
        let adjacent = |a: (usize, usize), b: (usize, usize)| a.1 == b.0;
        let word = |t: (usize, usize)| text.norm_slice(t.0, t.1);
        let mut found: Vec<(usize, Rule)> = Vec::new();

        // 、-enumerations: every item an abbreviation, 中 or a full name; at least two items
        // and at least one abbreviation.
        let mut i = 0;
        while i < tokens.len() {
            let mut j = i;
            while j + 1 < tokens.len()
                && tokens[j + 1].0 == tokens[j].1 + 1
                && chars[tokens[j].1] == '、'
            {
                j += 1;
            }
            let chain = &tokens[i..=j];
            if chain.len() >= 2
                && chain.iter().all(|&t| single(t) || entity(t))
                && chain.iter().any(|&t| abbrev(t))
                && !after_number(chain[0])
                && followed_as_list(text, chain[chain.len() - 1].1)
            {
                found.extend(
                    chain
                        .iter()
                        .filter(|&&t| abbrev(t))
                        .map(|t| (t.0, Rule::Enumeration)),
                );
            }
            i = j + 1;
        }

        for (k, &token) in tokens.iter().enumerate() {
            let next = tokens.get(k + 1).copied().filter(|&n| adjacent(token, n));
            // 中 followed by abbreviations: 中美, 中老缅泰.
            if single(token) && chars[token.0] == CHINA {
                let mut m = k + 1;
                while m < tokens.len() && adjacent(tokens[m - 1], tokens[m]) && abbrev(tokens[m]) {
                    m += 1;
                }
                if m > k + 1 && followed_as_list(text, tokens[m - 1].1) {
                    found.extend(tokens[k + 1..m].iter().map(|t| (t.0, Rule::Bilateral)));
                }
            }
            // One jieba word of 中 and abbreviations (中美, 中俄), unless an ordinary word.
            let w = word(token);
            if token.1 - token.0 >= 2
                && w.starts_with(CHINA)
                && (token.0 + 1..token.1).all(|p| free(p) && chars[p] != CHINA)
                && !ORDINARY_COMPOUNDS.contains(&w)
                && followed_as_list(text, token.1)
            {
                found.extend((token.0 + 1..token.1).map(|p| (p, Rule::Bilateral)));
            }
            // A run of two or more abbreviations followed by 两国, 三国, 边境, 等国 …
            if abbrev(token)
                && (k == 0 || !(adjacent(tokens[k - 1], token) && single(tokens[k - 1])))
            {
                let mut m = k;
                while m + 1 < tokens.len()
                    && adjacent(tokens[m], tokens[m + 1])
                    && abbrev(tokens[m + 1])
                {
                    m += 1;
                }
                let follower = tokens.get(m + 1).filter(|&&n| adjacent(tokens[m], n));
                let listed = follower
                    .is_some_and(|&n| chars.get(n.0).is_some_and(|c| RUN_FOLLOWERS.contains(c)));
                if m > k && listed {
                    found.extend(tokens[k..=m].iter().map(|t| (t.0, Rule::Bilateral)));
                }
            }
            // Before 方 or 籍: 美方, 缅/方, 缅籍.
            let after_next = next.and_then(|n| tokens.get(k + 2).filter(|&&m| adjacent(n, m)));
            // jieba reads 哈方向中方 as 哈/方向/中方: a party all the same.
            let party_then_towards = next.is_some_and(|n| word(n) == "方向")
                && after_next.is_some_and(|&m| {
                    let w = word(m);
                    w.starts_with('中') || w.starts_with('我')
                });
            if abbrev(token)
                && !after_number(token)
                && (party_then_towards || next.is_some_and(|n| matches!(word(n), "方" | "籍")))
                && !after_next.is_some_and(|&m| word(m).starts_with('某'))
            {
                found.push((token.0, Rule::Party));
            }
            if token.1 == token.0 + 2
                && free(token.0)
                && chars[token.0] != CHINA
                && matches!(chars[token.0 + 1], '方' | '籍')
                && !ORDINARY_PARTIES.contains(&w)
                && !after_number(token)
            {
                found.push((token.0, Rule::Party));
            }
        }
        found.sort_by_key(|(p, _)| *p);
        found.dedup_by_key(|(p, _)| *p);
        found
    }
}

/// Whether the 、-enumeration around `position` also lists one of `chars` as an item.
fn enumeration_has(text: &Text, position: usize, chars: &[char]) -> bool {
    let mut start = position;
    while start >= 2 && text.chars[start - 1] == '、' {
        start -= 2;
    }
    let mut end = position;
    while end + 2 < text.len() && text.chars[end + 1] == '、' {
        end += 2;
    }
    (start..=end)
        .step_by(2)
        .any(|p| chars.contains(&text.chars[p]))
}
