//! The tagger (issue 4 items 5-7): countries, organisations, cooperation types, drug types and
//! the year derived from text, through the library (`Tagger`), the `jindu tag` and
//! `jindu eval tagging` commands, and an index built from documents without metadata.

use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use jindu::analysis::{normalize_str, Analyzer, Side};
use jindu::corpus::{DocType, Document};
use jindu::knowledge::Knowledge;
use jindu::search::{search, Filters, SearchRequest};
use jindu::tagger::eval::{read_set, scan_countries, score_cail_drugs, score_set};
use jindu::tagger::{Explanation, Rule, Tagger};

use crate::common::{build, knowledge, root, shared_dir, temp_dir};

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new(&knowledge()).expect("the bundled knowledge compiles"))
}

fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values
}

fn strings(values: &[&str]) -> Vec<String> {
    sorted(values.iter().map(|v| v.to_string()).collect())
}

fn countries(text: &str) -> Vec<String> {
    sorted(Explanation::values(&tagger().explain(text).countries))
}

fn organizations(text: &str) -> Vec<String> {
    sorted(Explanation::values(&tagger().explain(text).organizations))
}

fn coop_types(text: &str) -> Vec<String> {
    sorted(Explanation::values(&tagger().explain(text).coop_types))
}

fn drug_types(text: &str) -> Vec<String> {
    sorted(Explanation::values(&tagger().explain(text).drug_types))
}

fn year(text: &str) -> Option<i32> {
    tagger().explain(text).year.map(|y| y.value)
}

fn document(body: &str) -> Document {
    Document {
        id: "t".to_string(),
        title: String::new(),
        body: body.to_string(),
        doc_type: DocType::Case,
        countries: None,
        organizations: None,
        coop_types: None,
        drug_types: None,
        year: None,
        date: None,
        source: None,
        url: None,
    }
}

#[test]
fn names_aliases_traditional_english_and_agencies_give_countries() {
    assert_eq!(
        countries("寮國警方與緬甸警方會晤"),
        strings(&["老挝", "缅甸"])
    );
    assert_eq!(
        countries("Officials from Myanmar and Lao PDR met."),
        strings(&["缅甸", "老挝"])
    );
    assert_eq!(countries("美国缉毒署（DEA）驻华代表"), strings(&["美国"]));
    assert_eq!(
        countries("ＤＥＡ官员来访"),
        strings(&["美国"]),
        "full-width acronym"
    );
    assert_eq!(
        countries("澳联邦警察与加皇家骑警"),
        strings(&["澳大利亚", "加拿大"])
    );
    assert_eq!(
        countries("中国与白俄罗斯签署协议"),
        strings(&["白俄罗斯"]),
        "not also 俄罗斯"
    );
    assert_eq!(
        countries("印度尼西亚警方"),
        strings(&["印度尼西亚"]),
        "not also 印度"
    );
}

#[test]
fn iso_codes_count_only_as_whole_upper_case_words() {
    assert_eq!(
        countries("缅甸（MM）、老挝（LA）、柬埔寨（KH）"),
        strings(&["缅甸", "老挝", "柬埔寨"])
    );
    assert_eq!(
        countries("代码：MM、LA、TH"),
        strings(&["缅甸", "老挝", "泰国"])
    );
    for text in [
        "长度10mm",
        "10MM钢管",
        "TR-9600型闪光灯",
        "黑色片剂（TL字样）",
        "援助US$100万",
        "武MM贩卖毒品",
    ] {
        assert_eq!(countries(text), strings(&[]), "{text}");
    }
}

#[test]
fn places_inside_a_country_imply_it() {
    assert_eq!(countries("缅北地区罂粟种植"), strings(&["缅甸"]));
    assert_eq!(countries("老北地区的替代种植"), strings(&["老挝"]));
    assert_eq!(countries("琅南塔省警方"), strings(&["老挝"]));
    assert_eq!(countries("在杜尚别举行会议"), strings(&["塔吉克斯坦"]));
    assert_eq!(
        countries("在维也纳、日内瓦和布鲁塞尔举行会议"),
        strings(&[]),
        "seats of organisations"
    );
}

#[test]
fn place_names_of_chinese_streets_and_businesses_are_not_places() {
    for text in [
        "在增城市柏林宾馆门前交易",
        "在本市台北路熊家宿舍",
        "沙冲北路加州阳光小区门口",
        "崇杭街111号迪拜假日酒店",
        "担任山东京博石油化工有限公司经理",
        "在**市铜锣湾小区附近",
    ] {
        assert_eq!(countries(text), strings(&[]), "{text}");
    }
}

#[test]
fn abbreviations_count_in_enumerations() {
    assert_eq!(
        countries("中国与美、俄、老、缅、泰、越、柬等国开展禁毒合作"),
        strings(&["美国", "俄罗斯", "老挝", "缅甸", "泰国", "越南", "柬埔寨"])
    );
    assert_eq!(
        countries("美、日、韩三国代表出席"),
        strings(&["美国", "日本", "韩国"])
    );
    assert_eq!(
        countries("港、澳、台地区"),
        strings(&["香港", "澳门", "台湾"])
    );
    for text in [
        "东、西、南、北四个方向",
        "老、弱、病、残",
        "打印机3台（条码式2台、南天牌针式1台）",
    ] {
        assert_eq!(countries(text), strings(&[]), "{text}");
    }
}

#[test]
fn abbreviations_count_in_bilateral_compounds_and_before_fang_or_ji() {
    assert_eq!(
        countries("中老缅泰四国开展联合巡逻"),
        strings(&["老挝", "缅甸", "泰国"])
    );
    assert_eq!(countries("中美禁毒合作"), strings(&["美国"]));
    assert_eq!(
        countries("美方同意，缅方表示欢迎，抓获越籍嫌疑人"),
        strings(&["美国", "缅甸", "越南"])
    );
    for text in [
        "其中老人较多",
        "中老年人",
        "途中越过山岭",
        "福州市中美村",
        "龙港镇中港宾馆302房间",
        "（2014）珠中法刑一终字第49号",
        "中英文实验学校",
        "2016年4月1日方某签订合同",
        "比方说，西方国家和南方地区",
        "老方法",
    ] {
        assert_eq!(countries(text), strings(&[]), "{text}");
    }
}

#[test]
fn shared_abbreviations_are_resolved_by_a_full_name_or_dropped() {
    assert_eq!(countries("新、巴两国代表出席会议"), strings(&[]));
    assert_eq!(
        countries("巴基斯坦禁毒部队来访，巴方学员8名"),
        strings(&["巴基斯坦"])
    );
    assert_eq!(
        countries("中国与新西兰警方合作，新方警员赴华"),
        strings(&["新西兰"])
    );
    assert_eq!(countries("伊方表示感谢"), strings(&[]));
    let explanation = tagger().explain("伊朗、伊拉克代表来访，伊方介绍情况");
    assert_eq!(
        sorted(Explanation::values(&explanation.countries)),
        strings(&["伊朗", "伊拉克"])
    );
    assert!(
        explanation
            .rejected
            .iter()
            .any(|r| r.word == "伊" && r.reason.contains("more than one")),
        "{:?}",
        explanation.rejected
    );
    assert_eq!(
        countries("印、马、澳三国"),
        strings(&["印度", "马来西亚", "澳大利亚"])
    );
}

#[test]
fn look_alike_strings_are_not_places() {
    for text in [
        "在香港路一出租屋内",
        "澳门路与台湾街交叉口",
        "内蒙古呼和浩特市",
        "延边朝鲜族自治州",
        "印度洋航线",
        "老北京胡同",
        "万象城商场",
        "购买金边债券",
        "驾车经大马路",
        "一只德国牧羊犬",
        "非法国际贩运",
        "欧美国家的阿片危机",
        "果敢决策",
    ] {
        assert_eq!(countries(text), strings(&[]), "{text}");
    }
    let explanation = tagger().explain("在香港路一出租屋内");
    assert!(explanation.rejected.iter().any(|r| r.word == "香港路"));
}

#[test]
fn regions_and_their_fixed_compounds() {
    assert_eq!(
        countries("港澳台地区禁毒部门"),
        strings(&["香港", "澳门", "台湾"])
    );
    assert_eq!(countries("港澳地区"), strings(&["香港", "澳门"]));
    assert_eq!(
        countries("中国与各国禁毒合作，我国、中方"),
        strings(&[]),
        "China is no value"
    );
}

#[test]
fn mechanisms_and_regions_do_not_imply_their_members() {
    let text =
        "东盟与中国在湄公河流域开展合作，六国七方机制和上合组织、金砖国家，金三角和金新月地区";
    assert_eq!(countries(text), strings(&[]));
    assert_eq!(
        organizations(text),
        strings(&[
            "东盟",
            "湄公河次区域禁毒合作谅解备忘录",
            "上海合作组织",
            "金砖国家"
        ])
    );
    assert_eq!(
        countries("巴黎进程框架下"),
        strings(&[]),
        "巴黎进程 is not France"
    );
    assert_eq!(organizations("巴黎进程框架下"), strings(&["巴黎进程"]));
}

#[test]
fn organizations_take_the_longest_name_and_acronyms_their_case() {
    assert_eq!(
        organizations("联合国毒罪办（UNODC）"),
        strings(&["联合国毒品和犯罪问题办公室"])
    );
    assert_eq!(
        organizations("联合国麻醉品委员会会议"),
        strings(&["联合国麻醉品委员会"])
    );
    assert_eq!(organizations("联合国三个禁毒公约"), strings(&["联合国"]));
    assert_eq!(organizations("东盟国家"), strings(&["东盟"]));
    assert_eq!(
        organizations("WHO and UN experts"),
        strings(&["世界卫生组织", "联合国"])
    );
    assert_eq!(organizations("who knows, un peu"), strings(&[]));
    assert_eq!(
        organizations("美国缉毒署"),
        strings(&[]),
        "a country's agency is no organisation"
    );
}

#[test]
fn drugs_get_canonical_names_longest_match_first() {
    assert_eq!(drug_types("查获冰毒和麻古"), strings(&["甲基苯丙胺"]));
    assert_eq!(drug_types("贩卖K粉2克"), strings(&["氯胺酮"]));
    assert_eq!(drug_types("贩卖ｋ粉"), strings(&["氯胺酮"]));
    assert_eq!(drug_types("甲卡西酮"), strings(&["甲卡西酮"]));
    assert_eq!(drug_types("合成大麻素类物质"), strings(&["合成大麻素"]));
    assert_eq!(drug_types("阿片类药物危机"), strings(&["阿片类药物"]));
    assert_eq!(drug_types("罂粟种植"), strings(&["鸦片"]));
    assert_eq!(
        drug_types("海洛因（heroin）、古柯鹼"),
        strings(&["海洛因", "可卡因"])
    );
    assert_eq!(
        drug_types("麻黄碱和醋酸酐是易制毒化学品"),
        strings(&[]),
        "precursors are no drug"
    );
    assert_eq!(drug_types("去氧麻黄碱"), strings(&["甲基苯丙胺"]));
}

#[test]
fn cooperation_types_need_cues_and_an_international_side() {
    assert_eq!(
        coop_types("中国与缅甸警方开展控制下交付，破获一起运毒案"),
        strings(&["执法合作"])
    );
    // The same cue in a purely domestic text gives no type, and says why.
    let domestic = tagger().explain("某市公安局采用控制下交付破获一起运毒案");
    assert!(domestic.coop_types.is_empty());
    assert!(domestic.international.is_empty());
    assert!(domestic
        .rejected
        .iter()
        .any(|r| r.field == "coop_types" && r.reason.contains("no international side")));
    // 国际禁毒日 is no international side.
    assert_eq!(
        coop_types("国际禁毒日前夕，全市学校开展禁毒宣传教育"),
        strings(&[])
    );
    // Two different weak cues count only within one sentence.
    assert_eq!(
        coop_types("中老两国禁毒部门交换了毒品形势的看法"),
        strings(&["情报交流"])
    );
    assert_eq!(
        coop_types("中老两国禁毒部门举行会谈。会后双方交换了礼品。毒品形势依然严峻"),
        strings(&["禁毒战略与政策沟通"])
    );
    // One weak cue is not enough; two different ones are.
    assert_eq!(coop_types("老挝代表团来访，参观培训"), strings(&[]));
    assert_eq!(coop_types("为老挝培训学员30名"), strings(&["人员培训"]));
    // An excluded phrase does not count.
    assert_eq!(coop_types("缅甸警方捣毁一个地下毒品实验室"), strings(&[]));
    // A training course on laboratory work is training only.
    assert_eq!(
        coop_types("为柬埔寨缉毒警察举办毒品实验室检验技术培训班"),
        strings(&["人员培训"])
    );
    // A list of cooperation modes labels each of them.
    assert_eq!(
        coop_types("中泰双方同意在情报交流、联合侦查、引渡和预防教育等领域合作"),
        strings(&["情报交流", "执法合作", "司法协助", "预防教育"])
    );
    // A multilateral mechanism alone opens the gate.
    assert_eq!(
        coop_types("湄公河流域执法安全合作部长级会议决定开展联合巡逻执法"),
        strings(&["多边机制与国际会议", "执法合作"])
    );
}

#[test]
fn the_year_is_the_latest_dated_event_never_one_in_passing() {
    let cases: &[(&str, Option<i32>)] = &[
        ("2016年6月，双方联合破获一起案件。", Some(2016)),
        (
            "1984年中美联合侦破“锦鲤鱼”案。2014年是合作30周年。",
            Some(2014),
        ),
        ("2016年至2017年间共培训200人次。", Some(2017)),
        ("2016-2017年共培训200人次。", Some(2017)),
        ("截至2020年底，已签署协议30份。", Some(2020)),
        ("二〇一四年五月，会议在北京举行。", Some(2014)),
        ("会议于2014-06-26在北京举行。", Some(2014)),
        ("自2002年以来，中国每年捐款。", None),
        ("自2002年10月以来，中国每年捐款。", None),
        ("2002年起，中国每年捐款。", None),
        ("2015年至今已开展巡逻60次。", None),
        ("“合力-2012”行动取得成效。", None),
        ("《1961年麻醉品单一公约》是基础。", None),
        (
            "1988年联合国禁止非法贩运麻醉药品和精神药物公约规定了管制。",
            None,
        ),
        ("中国于1985年加入公约。", Some(1985)),
        ("到2025年，替代种植面积将达到100万亩。", None),
        ("将于2030年实现目标。", None),
        ("力争2030年前消除毒品种植。", None),
        ("2030年议程提出目标。", None),
        ("1990年代以来毒品问题加剧。", None),
        ("今年以来，近年来，湄公河“10·5”案件。", None),
        ("2014年前三季度破获案件1200起。", Some(2014)),
    ];
    for (text, expected) in cases {
        assert_eq!(year(text), *expected, "{text}");
    }
    let explanation = tagger().explain("自2002年以来，2016年双方会晤。");
    let year = explanation.year.expect("a year");
    assert_eq!(year.value, 2016);
    assert_eq!(year.triggers[0].word, "2016年");
    assert!(explanation
        .rejected
        .iter()
        .any(|r| r.field == "year" && r.word == "2002年"));
}

#[test]
fn triggers_carry_char_offsets_into_the_original_text() {
    let text = "２０１６年，緬甸警方在勐拉查获冰毒。";
    let explanation = tagger().explain(text);
    let chars: Vec<char> = text.chars().collect();
    let check = |word: &str, start: usize, end: usize| {
        let slice: String = chars[start..end].iter().collect();
        assert_eq!(slice, word);
    };
    let burma = &explanation.countries[0];
    assert_eq!(burma.value, "缅甸");
    assert_eq!(burma.triggers[0].word, "緬甸");
    assert_eq!((burma.triggers[0].start, burma.triggers[0].end), (6, 8));
    assert!(burma
        .triggers
        .iter()
        .any(|t| t.word == "勐拉" && t.rule == Rule::Place));
    for trigger in explanation
        .countries
        .iter()
        .chain(&explanation.drug_types)
        .flat_map(|e| &e.triggers)
    {
        check(&trigger.word, trigger.start, trigger.end);
    }
    assert_eq!(
        explanation.year.map(|y| y.value),
        Some(2016),
        "full-width digits"
    );
}

#[test]
fn explicit_metadata_wins_and_empty_lists_are_kept() {
    let mut doc = document("2016年，中国与缅甸警方联合侦查，查获冰毒。");
    doc.countries = Some(vec!["老挝".to_string()]);
    doc.coop_types = Some(Vec::new());
    let derived = tagger().tag(&mut doc);
    assert_eq!(doc.countries, Some(vec!["老挝".to_string()]), "given wins");
    assert_eq!(doc.coop_types, Some(Vec::new()), "[] is kept");
    assert_eq!(derived.countries, None);
    assert_eq!(derived.coop_types, None);
    assert_eq!(doc.drug_types, Some(vec!["甲基苯丙胺".to_string()]));
    assert_eq!(derived.drug_types, Some(vec!["甲基苯丙胺".to_string()]));
    assert_eq!(doc.organizations, Some(Vec::new()), "derived and empty");
    assert_eq!(
        derived.organizations,
        Some(Vec::new()),
        "an empty result is recorded"
    );
    assert_eq!((doc.year, derived.year), (Some(2016), Some(2016)));

    let mut dated = document("2016年的事。");
    dated.date = Some("2018-05-01".to_string());
    let derived = tagger().tag(&mut dated);
    assert_eq!(
        (dated.year, derived.year),
        (Some(2018), Some(2018)),
        "date before text"
    );

    let mut given = document("2016年的事。");
    given.year = Some(2010);
    assert_eq!(
        (tagger().tag(&mut given).year, given.year),
        (None, Some(2010))
    );

    // Explicit countries open the gate for derived cooperation types.
    let mut gated = document("双方开展控制下交付。");
    gated.countries = Some(vec!["缅甸".to_string()]);
    tagger().tag(&mut gated);
    assert_eq!(gated.coop_types, Some(vec!["执法合作".to_string()]));
}

#[test]
fn knowledge_tables_load_and_errors_name_file_and_line() {
    let k = knowledge();
    assert!(k.gazetteer.place("缅甸").is_some());
    assert_eq!(k.taxonomy.types.len(), 13);
    assert!(k.drugs.drugs.iter().any(|d| d.name == "甲基苯丙胺"));
    assert!(k.synonyms.groups().iter().any(|g| g[0] == "甲基苯丙胺"));
    assert!(
        Tagger::new(&Knowledge::empty()).is_ok(),
        "empty knowledge tags nothing"
    );

    let dir = temp_dir("bad-knowledge");
    std::fs::write(
        dir.join("gazetteer.toml"),
        "[[place]]\nname = \"缅甸\"\nkind = \"nation\"\n",
    )
    .expect("write");
    let error = Knowledge::load(&dir).expect_err("bad kind").to_string();
    assert!(error.contains("gazetteer.toml:3"), "{error}");
    std::fs::write(
        dir.join("gazetteer.toml"),
        "[[place]]\nname = \"甲\"\nkind = \"country\"\naliases = [\"X\"]\n\n[[place]]\nname = \"乙\"\nkind = \"country\"\naliases = [\"X\"]\n",
    )
    .expect("write");
    let error = Knowledge::load(&dir)
        .expect_err("duplicate alias")
        .to_string();
    assert!(
        error.contains("gazetteer.toml:4") && error.contains("names both"),
        "{error}"
    );
    std::fs::remove_file(dir.join("gazetteer.toml")).expect("remove");
    for (taxonomy, place, message) in [
        ("[[type]]\nname = \"甲\"\n", "taxonomy.toml", "no cues"),
        (
            "[[type]]\nname = \"甲\"\ncues = [\"甲乙\"]\npairs = [\"联合行动\"]\n",
            "taxonomy.toml:2",
            "pair cue",
        ),
        (
            "[[type]]\nname = \"甲\"\ncues = [\"甲乙\"]\nexclude_pairs = [\"联络官…会晤…\"]\n",
            "taxonomy.toml:2",
            "exclude pair",
        ),
    ] {
        std::fs::write(dir.join("taxonomy.toml"), taxonomy).expect("write");
        let error = Knowledge::load(&dir).expect_err(message).to_string();
        assert!(error.contains(place) && error.contains(message), "{error}");
    }
}

#[test]
fn pair_cues_span_a_few_words_of_one_sentence() {
    // 联合…行动 with words between them, in one sentence.
    assert_eq!(
        coop_types("中老两国警方联合开展打击毒品走私专项行动"),
        strings(&["执法合作"])
    );
    let explained = tagger().explain("中老两国警方联合开展打击毒品走私专项行动");
    let triggers = &explained.coop_types[0].triggers;
    assert!(
        triggers
            .iter()
            .any(|t| t.rule == Rule::PairCue && t.word == "联合"),
        "{triggers:?}"
    );
    // Not across a sentence end, and not too far apart.
    assert_eq!(
        coop_types("中老双方发表联合公报。双方还将举办禁毒图片展等宣传行动"),
        strings(&["预防教育"])
    );
    assert_eq!(
        coop_types("老挝代表团与我方联合举办了一次规模很大的面向全省各地边境村寨群众的展览行动"),
        strings(&[])
    );
    // A pair holding another type's strong cue is that type's work: a joint eradication
    // operation is eradication.
    assert_eq!(
        coop_types("中国与俄罗斯在边境地区联合开展大麻铲除行动"),
        strings(&["禁种铲毒"])
    );
    // 联合 inside 联合国 is an organisation's name, not a pair's head.
    assert_eq!(
        coop_types("联合国毒罪办发布东南亚合成毒品形势报告，呼吁各国采取行动"),
        strings(&[])
    );
}

#[test]
fn a_report_on_the_drug_situation_needs_a_strong_cue() {
    let report = "联合国毒罪办调查报告显示，缅甸罂粟种植面积较上年增加，监测范围扩大";
    assert_eq!(coop_types(report), strings(&[]));
    let explained = tagger().explain(report);
    assert!(explained
        .rejected
        .iter()
        .any(|r| r.field == "coop_types" && r.reason.contains("report")));
    // The same weak cues without a report marker make eradication work.
    assert_eq!(
        coop_types("中缅两国对缅甸罂粟种植面积开展监测"),
        strings(&["禁种铲毒"])
    );
}

#[test]
fn topics_of_a_training_course_are_not_types_of_their_own() {
    assert_eq!(
        coop_types("公安部为东盟国家禁毒官员举办研修班，课程涵盖情报分析和控制下交付等内容"),
        strings(&["人员培训"])
    );
    let explained =
        tagger().explain("公安部为东盟国家禁毒官员举办研修班，课程涵盖情报分析和控制下交付等内容");
    assert!(explained
        .rejected
        .iter()
        .any(|r| r.word == "控制下交付" && r.reason.contains("人员培训")));
    // A subject named right before 培训 is the course's subject too; an item of a list of
    // modes is not.
    assert_eq!(
        coop_types("中方为巴基斯坦禁毒警官举办海洛因查缉和情报研判培训班"),
        strings(&["人员培训"])
    );
    assert_eq!(
        coop_types("中老两国在情报交流、人员培训等领域合作"),
        strings(&["人员培训", "情报交流"])
    );
    // Without a training cue, the same words are a joint operation.
    assert_eq!(
        coop_types("中缅警方采用控制下交付方式破获一起运毒案"),
        strings(&["执法合作"])
    );
}

pub(crate) fn jindu(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jindu runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("jindu ends")
}

pub(crate) fn text_of(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn jindu_tag_explains_plain_text_from_stdin() {
    let out = jindu(
        &["tag", "-"],
        Some("2016年，云南警方与老挝琅南塔省警方开展控制下交付，查获冰毒。在香港路抓获。"),
    );
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("老挝  ← 老挝@"), "{stdout}");
    assert!(stdout.contains("琅南塔@"), "{stdout}");
    assert!(
        stdout.contains("执法合作  ← ") && stdout.contains("控制下交付@21 (strong cue)"),
        "{stdout}"
    );
    assert!(stdout.contains("甲基苯丙胺  ← 冰毒@"), "{stdout}");
    assert!(stdout.contains("2016  ← 2016年@0"), "{stdout}");
    assert!(
        stdout.contains("香港路@"),
        "the look-alike is listed as not used: {stdout}"
    );

    let json = jindu(&["tag", "--json", "-"], Some("与美、俄等国开展情报交流。"));
    let value: serde_json::Value = serde_json::from_str(&text_of(&json).0).expect("json");
    assert_eq!(
        value["derived"]["countries"],
        serde_json::json!(["美国", "俄罗斯"])
    );
    assert_eq!(
        value["explanation"]["countries"][0]["triggers"][0]["rule"],
        "enumeration"
    );
    assert_eq!(
        value["derived"]["coop_types"],
        serde_json::json!(["情报交流"])
    );

    // Pair cues, a course's subjects and reports, as a script sees them.
    let json = jindu(
        &["tag", "--json", "-"],
        Some("中老两国警方联合开展打击毒品走私专项行动。公安部为老挝警官举办研修班，课程涵盖控制下交付。"),
    );
    let value: serde_json::Value = serde_json::from_str(&text_of(&json).0).expect("json");
    let joint = value["explanation"]["coop_types"]
        .as_array()
        .and_then(|types| types.iter().find(|t| t["value"] == "执法合作"))
        .expect("执法合作 from the pair");
    assert!(
        joint["triggers"].as_array().is_some_and(|t| t
            .iter()
            .any(|t| t["rule"] == "pair_cue" && t["word"] == "联合")),
        "{joint}"
    );
    assert!(
        value["explanation"]["rejected"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["word"] == "控制下交付")),
        "{value}"
    );
    let report = jindu(
        &["tag", "--json", "-"],
        Some("联合国毒罪办调查报告显示，缅甸罂粟种植面积较上年增加，监测范围扩大"),
    );
    let value: serde_json::Value = serde_json::from_str(&text_of(&report).0).expect("json");
    assert_eq!(value["derived"]["coop_types"], serde_json::json!([]));
}

#[test]
fn jindu_tag_keeps_metadata_of_documents() {
    let dir = temp_dir("tag-cli");
    let md = dir.join("doc.md");
    std::fs::write(
        &md,
        "---\nid: x\ntitle: 中缅联合行动\ncountries: []\nyear: 2010\n---\n2015年，中国与缅甸开展联合侦查。\n",
    )
    .expect("write");
    let out = jindu(&["tag", "--json", md.to_str().expect("path")], None);
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(value["id"], "x");
    assert!(
        value["derived"].get("countries").is_none(),
        "given [] is kept: {stdout}"
    );
    assert!(value["derived"].get("year").is_none(), "given year is kept");
    assert_eq!(
        value["derived"]["coop_types"],
        serde_json::json!(["执法合作"])
    );

    let jsonl = dir.join("docs.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": \"a\", \"body\": \"缅北罂粟种植\"}\n{\"id\": \"b\", \"body\": \"K粉\", \"drug_types\": []}\n",
    )
    .expect("write");
    let out = jindu(&["tag", "--json", jsonl.to_str().expect("path")], None);
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["derived"]["countries"],
        serde_json::json!(["缅甸"])
    );
    assert!(lines[1]["derived"].get("drug_types").is_none());

    let missing = jindu(&["tag", "/nonexistent/file.txt"], None);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn indexed_documents_without_metadata_get_derived_facets() {
    let dir = temp_dir("tagged-corpus");
    let path = dir.join("docs.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"id\": \"u1\", \"title\": \"缅北替代种植\", \"body\": \"2016年，中国企业在缅甸掸邦开展罂粟替代种植。\", \"doc_type\": \"case\"}\n",
            "{\"id\": \"u2\", \"title\": \"国内案件\", \"body\": \"被告人在香港路贩卖K粉。\", \"doc_type\": \"case\", \"countries\": null, \"drug_types\": []}\n",
        ),
    )
    .expect("write");
    let index = build("tagged-index", &[path]);
    let handle = jindu::index::IndexHandle::open(&index).expect("opens");
    let request = SearchRequest {
        q: "替代种植".to_string(),
        ..SearchRequest::default()
    };
    let result = search(&handle, &request).expect("search");
    let hit = &result.hits[0];
    assert_eq!(hit.id, "u1");
    assert_eq!(hit.countries, vec!["缅甸".to_string()]);
    assert_eq!(hit.derived.countries, Some(vec!["缅甸".to_string()]));
    assert_eq!(hit.coop_types, vec!["替代发展".to_string()]);
    assert_eq!(hit.drug_types, vec!["鸦片".to_string()]);
    assert_eq!((hit.year, hit.derived.year), (Some(2016), Some(2016)));
    let by_country = SearchRequest {
        filters: Filters {
            country: vec!["缅甸".to_string()],
            ..Filters::default()
        },
        ..SearchRequest::default()
    };
    assert_eq!(search(&handle, &by_country).expect("search").total, 1);

    let domestic = search(&handle, &SearchRequest::query("香港路")).expect("search");
    let hit = &domestic.hits[0];
    assert_eq!(hit.id, "u2");
    assert!(hit.countries.is_empty(), "香港路 is not 香港");
    assert_eq!(
        hit.derived.countries,
        Some(Vec::new()),
        "derived, and empty"
    );
    assert!(hit.drug_types.is_empty(), "explicit [] is kept");
    assert_eq!(hit.derived.drug_types, None);
}

fn eval_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["eval", "tagging", "--json"];
    all.extend_from_slice(args);
    let out = jindu(&all, None);
    let (stdout, stderr) = text_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_str(&stdout).expect("json report")
}

#[test]
fn jindu_eval_tagging_scores_a_set() {
    let report = eval_json(&["--set", "eval/tagging/dev.jsonl", "--set-only"]);
    let fields: Vec<&str> = report["set"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["countries", "organizations", "coop_types", "drug_types"]
    );
    assert!(report["set"]["texts"].as_u64() >= Some(40));
    assert!(report["set"]["year"]["accuracy"].as_f64().is_some());

    let text = jindu(
        &[
            "eval",
            "tagging",
            "--set",
            "eval/tagging/dev.jsonl",
            "--set-only",
        ],
        None,
    );
    let (stdout, _) = text_of(&text);
    assert!(stdout.contains("countries      P "), "{stdout}");
    assert!(stdout.contains("year           accuracy"), "{stdout}");
}

/// The newest held-out set (eval/tagging/holdout24.jsonl, the default) through `jindu eval
/// tagging`: every field meets the issue's targets there (cooperation types: first run P 0.991,
/// R 0.938, see eval/tagging/README.md).
#[test]
fn the_newest_held_out_set_meets_the_targets() {
    let report = eval_json(&["--set-only"]);
    let field = |name: &str| {
        report["set"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .expect("field")
    };
    let pr = |name: &str| {
        let f = field(name);
        (
            f["precision"].as_f64().expect("p"),
            f["recall"].as_f64().expect("r"),
        )
    };
    assert!(report["set"]["set"]
        .as_str()
        .is_some_and(|s| s.ends_with("holdout24.jsonl")));
    assert_eq!(report["set"]["texts"], 80);
    for name in ["countries", "coop_types"] {
        let (p, r) = pr(name);
        assert!(p >= 0.95 && r >= 0.90, "{name} P {p} R {r}");
    }
    for name in ["organizations", "drug_types"] {
        let (p, r) = pr(name);
        assert!(p >= 0.95 && r >= 0.95, "{name} P {p} R {r}");
    }
    let year = report["set"]["year"]["accuracy"].as_f64().expect("year");
    assert!(year >= 0.95, "year accuracy {year}");
}

/// Pooled precision and recall of `field` over the held-out sets `names` (80 passages each).
fn pooled(field: &str, names: &[&str]) -> (f64, f64, String) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for name in names {
        let path = root().join(format!("eval/tagging/{name}.jsonl"));
        let texts = read_set(&path).expect("held-out set");
        assert_eq!(texts.len(), 80);
        let score = score_set(tagger(), name, &texts);
        let score = score.field(field).expect("field");
        tp += score.true_positives;
        fp += score.false_positives;
        fn_ += score.false_negatives;
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    let told = format!("{field}: P {precision:.3} R {recall:.3} (tp {tp}, fp {fp}, fn {fn_})");
    (precision, recall, told)
}

/// The four held-out sets that nothing in the bundled knowledge has seen (holdout21-24, 320
/// passages: committed unread, then run once on the rules and model of dc9f7bc). Countries and
/// cooperation types meet the issue's targets there (cooperation types: first run P 0.964,
/// R 0.916; with the two earlier rounds of the bundled tagger, 880 passages, P 0.955,
/// R 0.908; see eval/tagging/README.md).
#[test]
fn the_unseen_held_out_sets_meet_the_targets() {
    let sets = ["holdout21", "holdout22", "holdout23", "holdout24"];
    for field in ["countries", "coop_types"] {
        let (precision, recall, told) = pooled(field, &sets);
        assert!(precision >= 0.95 && recall >= 0.90, "{told}");
    }
}

/// holdout5-holdout20 (1,280 passages), each first run by a tagger that had not seen it, have
/// since been read, and the bundled model is fitted on them: the floors only keep later
/// changes from making them worse.
#[test]
fn the_read_held_out_sets_together() {
    let sets = [
        "holdout5",
        "holdout6",
        "holdout7",
        "holdout8",
        "holdout9",
        "holdout10",
        "holdout11",
        "holdout12",
        "holdout13",
        "holdout14",
        "holdout15",
        "holdout16",
        "holdout17",
        "holdout18",
        "holdout19",
        "holdout20",
    ];
    for (field, min_precision, min_recall) in
        [("countries", 0.95, 0.90), ("coop_types", 0.95, 0.90)]
    {
        let (precision, recall, told) = pooled(field, &sets);
        assert!(precision >= min_precision && recall >= min_recall, "{told}");
    }
}

/// The first frozen set and the first four held-out sets, tuning sets since commits 248ddf6,
/// 17d625c, f1dc3ed, ab73a37 and 8ee1f57 (see eval/tagging/README.md).
#[test]
fn the_tuning_sets_stay_scored() {
    for (name, texts, floor) in [
        ("set", 109, 0.95),
        ("holdout", 80, 0.93),
        ("holdout2", 80, 0.93),
        ("holdout3", 80, 0.92),
        ("holdout4", 80, 0.93),
    ] {
        let path = root().join(format!("eval/tagging/{name}.jsonl"));
        let texts_read = read_set(&path).expect("tuning set");
        assert_eq!(texts_read.len(), texts);
        let report = score_set(tagger(), name, &texts_read);
        for field in ["countries", "coop_types", "organizations", "drug_types"] {
            let score = report.field(field).expect("field");
            assert!(
                score.precision >= floor && score.recall >= floor,
                "{name} {field} {score:?}"
            );
        }
    }
}

#[test]
fn the_development_set_stays_scored_by_the_library() {
    let texts = read_set(&root().join("eval/tagging/dev.jsonl")).expect("dev set");
    let report = score_set(tagger(), "dev", &texts);
    for field in ["countries", "coop_types"] {
        let score = report.field(field).expect("field");
        assert!(score.precision >= 0.95 && score.recall >= 0.90, "{score:?}");
    }
}

#[test]
fn cail_drug_types_match_the_annotations() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("data/cases/cail2022_xxcq_drug_facts_annotated.jsonl");
    let report = score_cail_drugs(tagger(), &path).expect("scores");
    assert_eq!(report.paragraphs, 500);
    assert!(report.score.precision >= 0.95, "{:?}", report.score);
    assert!(report.score.recall >= 0.95, "{:?}", report.score);
}

#[test]
fn real_domestic_cases_get_no_country_they_do_not_name() {
    let Some(shared) = shared_dir() else { return };
    for (file, allowed) in [
        ("data/cases/cail2022_xxcq_drug_facts.jsonl", 0),
        ("data/cases/cail2018_sample.jsonl", 2),
    ] {
        let scan = scan_countries(tagger(), &shared.join(file), 2_000, 20).expect("scan");
        assert_eq!(scan.texts, 2_000);
        assert!(
            scan.not_named_in_full <= allowed,
            "{file}: {} of {} texts got a country they do not name in full: {:#?}",
            scan.not_named_in_full,
            scan.texts,
            scan.samples
        );
        assert!(
            scan.with_country * 100 <= scan.texts * 3,
            "{file}: {scan:?}"
        );
    }
}

/// Dictionary words that jieba cannot keep whole inside a sentence, with the reason.
const DICTIONARY_EXCEPTIONS: &[(&str, &str)] = &[(
    "γ-羟基丁酸",
    "jieba splits words at the hyphen (γ / 羟基丁酸); a query for the full name is split the \
     same way and still finds it, and 羟基丁酸 and GHB are its synonyms",
)];

#[test]
fn every_dictionary_word_survives_segmentation_in_a_sentence() {
    let k = knowledge();
    let analyzer = Analyzer::new(&k);
    let mut broken = Vec::new();
    for entry in &k.dictionary {
        if DICTIONARY_EXCEPTIONS.iter().any(|(w, _)| *w == entry.word) {
            continue;
        }
        let sentence = format!("据报道，{}问题受到关注。", entry.word);
        let word = normalize_str(&entry.word);
        let tokens = analyzer.words_of(&sentence, Side::Index);
        if !tokens.iter().any(|t| t.text == word) {
            let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
            broken.push(format!("{} → {}", entry.word, texts.join("/")));
        }
    }
    assert!(
        broken.is_empty(),
        "{} words are split:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(k.dictionary.len() >= 300);
}

#[test]
fn a_nationality_or_a_news_attribution_is_no_foreign_side() {
    // A foreign suspect caught at home is not cooperation: 尼日利亚籍 names a person.
    let text = "广州海关在入境通道查获一名尼日利亚籍男子体内藏毒，该男子已被移交公安机关。";
    let explained = tagger().explain(text);
    assert_eq!(countries(text), strings(&["尼日利亚"]));
    assert!(
        explained.international.is_empty(),
        "{:?}",
        explained.international
    );
    assert_eq!(coop_types(text), strings(&[]));
    // The same country named as a party opens the gate.
    assert_eq!(
        coop_types("尼日利亚籍男子被抓获后，尼方通过外交渠道请求引渡。"),
        strings(&["司法协助"])
    );
    // 据…通报 attributes news; 根据…通报 acts on what a partner reported.
    assert_eq!(
        coop_types("据泰国警方通报，泰方在清迈查获冰毒1.2吨。"),
        strings(&[])
    );
    assert_eq!(
        coop_types("根据老方通报，我方在磨憨口岸查获冰毒。"),
        strings(&["情报交流"])
    );
}

/// `text` gets no cooperation type because `word` opens no international gate, for `why`.
fn assert_gate_closed(text: &str, word: &str, why: &str) {
    assert_eq!(coop_types(text), strings(&[]));
    let explained = tagger().explain(text);
    assert!(explained.international.is_empty(), "{explained:?}");
    assert!(
        explained
            .rejected
            .iter()
            .any(|r| r.word == word && r.reason.contains(why)),
        "{explained:?}"
    );
}

#[test]
fn liaison_meetings_domestic_handovers_surveys_and_course_subjects_are_no_false_types() {
    // Liaison officers meeting every week exchange case information: case work, not policy
    // talks (exclude pair 联络官…会晤); talks of two governments still are.
    assert_eq!(
        coop_types(
            "中老两国在磨憨口岸设立边境联络官办公室，双方联络官每周定期会晤，通报涉毒案件信息。"
        ),
        strings(&["执法合作", "情报交流"])
    );
    assert_eq!(
        coop_types("中老两国禁毒部门负责人在万象举行会晤，就禁毒合作深入交换意见。"),
        strings(&["禁毒战略与政策沟通"])
    );
    // A suspect handed over to one's own police is no judicial assistance; one handed over to
    // the Chinese side is.
    assert_eq!(
        coop_types(
            "机场海关在一名自曼谷入境的旅客行李中查获海洛因，该旅客已被移交机场公安机关处理。"
        ),
        strings(&[])
    );
    assert_eq!(
        coop_types("泰国警方将涉毒逃犯移交我方公安机关，押解回国受审。"),
        strings(&["司法协助"])
    );
    // A joint working group that surveys poppy fields does eradication work, not a joint
    // investigation.
    assert_eq!(
        coop_types(
            "中缅两国禁毒部门组成联合工作组，对缅北罂粟种植情况开展踏查，督促铲除罂粟3000亩。"
        ),
        strings(&["禁种铲毒"])
    );
    // 据监测 opens a report on the drug situation: its figures are no cooperation.
    assert_eq!(
        coop_types("据监测，2022年缅甸掸邦罂粟种植面积回升，鸦片产量较上年增长。"),
        strings(&[])
    );
    // A multilateral meeting that adopts a strategy and a joint statement is the meeting's
    // work: weak policy cues give way to 多边机制与国际会议.
    assert_eq!(
        coop_types(
            "上合组织成员国禁毒部门领导人会议在杜尚别举行，审议了禁毒战略落实情况并发表联合声明。"
        ),
        strings(&["多边机制与国际会议"])
    );
    // A domestic course whose subjects include the international situation has no foreign
    // side; a course for foreign officers has one.
    assert_gate_closed(
        "省禁毒办举办全省缉毒业务培训班，课程包括跨境毒品案件侦查以及国际禁毒形势分析。",
        "国际",
        "course's subject",
    );
    assert_eq!(
        coop_types("云南警官学院为老挝禁毒官员举办培训班，课程包括国际禁毒形势分析。"),
        strings(&["人员培训"])
    );
}

#[test]
fn one_foreign_country_acting_alone_is_no_cooperation() {
    // Myanmar's police alone: the country is named, but nobody works with it.
    let text =
        "缅甸警方在掸邦捣毁一个地下制毒工厂，查获冰毒100万粒和大量麻黄碱、醋酸酐等易制毒化学品。";
    assert_eq!(countries(text), strings(&["缅甸"]));
    assert_gate_closed(text, "缅甸", "no partner named");
    // A partner named (中方), a second country, an organisation or a signal word each make it
    // cooperation again.
    assert_eq!(
        coop_types("缅甸警方根据中方通报，在掸邦捣毁一个地下制毒工厂，查获大量易制毒化学品。"),
        strings(&["情报交流", "易制毒化学品管制"])
    );
    assert_eq!(
        coop_types("缅甸警方与泰国警方在掸邦联手破获一起制毒案，查获大量易制毒化学品。"),
        strings(&["执法合作", "易制毒化学品管制"])
    );
    assert_eq!(
        coop_types("缅甸警方在UNODC支持下开展易制毒化学品管控。"),
        strings(&["易制毒化学品管制"])
    );
    // Without partner words in the taxonomy the rule is off: a knowledge folder of one's own
    // keeps every foreign country as a side.
    let mut knowledge = knowledge();
    knowledge.taxonomy.international.partners.clear();
    knowledge.coop_model = None;
    let tagger = Tagger::new(&knowledge).expect("tagger");
    assert_eq!(
        tagger.explain(text).coop_types[0].value,
        "易制毒化学品管制".to_string()
    );
}

#[test]
fn cooperation_told_without_the_usual_cue_words() {
    // A fugitive caught abroad through the two police forces' close work together.
    assert_eq!(
        coop_types("经中柬两国警方密切协作，柬方在金边将涉毒逃犯陈某抓获，并依法遣返回国。"),
        strings(&["执法合作", "司法协助"])
    );
    // Policy talk as 协调立场 and a meeting mechanism.
    assert_eq!(
        coop_types("中老两国禁毒部门建立了年度会晤机制，双方同意就湄公河流域禁毒问题协调立场。"),
        strings(&["禁毒战略与政策沟通"])
    );
    // Information passed on as 通报…情况.
    assert_eq!(
        coop_types("泰国警方向我方通报了该团伙的活动情况，我方据此在磨憨口岸查获冰毒。"),
        strings(&["情报交流"])
    );
}
