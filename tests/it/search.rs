//! Search behaviour through the library API, on a hand-made fixture whose counts are known.

use jindu::search::{search, Filters, SearchError, SearchRequest, Sort};

use crate::common::{bundled, fixture, ids, q, run, sorted_ids};

fn filtered(query: &str, filters: Filters) -> SearchRequest {
    SearchRequest {
        q: query.to_string(),
        filters,
        ..SearchRequest::default()
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

#[test]
fn quoted_phrases_match_the_exact_sequence_only() {
    assert_eq!(
        sorted_ids(&q(fixture(), "\"控制下交付\"")),
        strings(&["d1"])
    );
    assert_eq!(q(fixture(), "\"联合控制\"").total, 0);
    assert_eq!(sorted_ids(&q(fixture(), "“联合开展”")), strings(&["d1"]));
}

#[test]
fn unspaced_runs_are_segmented_not_turned_into_phrases() {
    // 联合 and 控制 are apart in d1 ("联合开展控制下交付"): still a match.
    assert_eq!(sorted_ids(&q(fixture(), "联合控制")), strings(&["d1"]));
}

#[test]
fn exclusions_remove_documents() {
    assert_eq!(
        sorted_ids(&q(fixture(), "缅甸")),
        strings(&["d1", "d3", "d8"])
    );
    assert_eq!(sorted_ids(&q(fixture(), "缅甸 -老挝")), strings(&["d1"]));
    assert_eq!(q(fixture(), "-缅甸").total, 5);
}

#[test]
fn or_joins_alternatives() {
    assert_eq!(
        sorted_ids(&q(fixture(), "巴基斯坦 OR 澳大利亚")),
        strings(&["d4", "d7"])
    );
}

#[test]
fn sub_words_inside_compounds_are_found() {
    assert_eq!(sorted_ids(&q(fixture(), "农业")), strings(&["d2"]));
    assert!(ids(&q(fixture(), "合作")).contains(&"d5".to_string()));
}

#[test]
fn traditional_and_full_width_input_find_simplified_text() {
    assert_eq!(
        sorted_ids(&q(fixture(), "緬甸")),
        sorted_ids(&q(fixture(), "缅甸"))
    );
    assert_eq!(sorted_ids(&q(fixture(), "ＤＥＡ")), strings(&["d4"]));
}

#[test]
fn codes_numbers_and_latin_words_are_searchable() {
    for query in ["合力", "2012", "合力-2012", "dea", "MOU"] {
        assert_eq!(
            sorted_ids(&q(fixture(), query)),
            strings(&["d4"]),
            "{query}"
        );
    }
    assert_eq!(sorted_ids(&q(fixture(), "UNODC")), strings(&["d5"]));
    assert_eq!(sorted_ids(&q(fixture(), "10·5")), strings(&["d3"]));
    assert_eq!(sorted_ids(&q(fixture(), "10•5")), strings(&["d3"]));
}

#[test]
fn long_questions_return_relevant_documents() {
    let result = q(fixture(), "中国和缅甸在禁毒执法方面开展了哪些合作？");
    assert!(result.total > 0);
    assert!(
        ids(&result).iter().take(3).any(|id| id == "d1"),
        "{:?}",
        ids(&result)
    );
}

#[test]
fn documents_matching_every_word_rank_first() {
    let result = q(fixture(), "缅甸 老挝 越南 培训");
    assert_eq!(ids(&result)[0], "d8");
    assert!(
        ids(&result).contains(&"d3".to_string()),
        "partial matches follow"
    );
}

#[test]
fn long_queries_relax_instead_of_returning_nothing() {
    let result = q(fixture(), "巴基斯坦 火星 木星 土星 水星");
    assert!(result.relaxed);
    assert_eq!(ids(&result), strings(&["d7"]));
    let strict = q(fixture(), "巴基斯坦 火星");
    assert_eq!(strict.total, 0, "short keyword queries need every word");
    assert!(!strict.relaxed);
}

#[test]
fn an_empty_query_lists_everything_filtered_and_sorted() {
    let all = q(fixture(), "");
    assert_eq!(all.total, 8);
    let by_year = run(
        fixture(),
        SearchRequest {
            sort: Sort::YearDesc,
            ..SearchRequest::default()
        },
    );
    let years: Vec<Option<i32>> = by_year.hits.iter().map(|h| h.year).collect();
    assert_eq!(
        years,
        vec![
            Some(2016),
            Some(2015),
            Some(2014),
            Some(2013),
            Some(2013),
            Some(2012),
            Some(2011),
            None
        ]
    );
    let ascending = run(
        fixture(),
        SearchRequest {
            sort: Sort::YearAsc,
            limit: 2,
            ..SearchRequest::default()
        },
    );
    assert_eq!(ascending.hits[0].year, Some(2011));
}

#[test]
fn filters_take_any_of_several_values_and_combine() {
    let myanmar = run(
        fixture(),
        filtered(
            "",
            Filters {
                country: strings(&["缅甸"]),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(sorted_ids(&myanmar), strings(&["d1", "d3", "d6", "d8"]));
    let two = run(
        fixture(),
        filtered(
            "",
            Filters {
                country: strings(&["巴基斯坦", "美国"]),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(sorted_ids(&two), strings(&["d4", "d7"]));
    let years = run(
        fixture(),
        filtered(
            "",
            Filters {
                year_from: Some(2013),
                year_to: Some(2015),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(sorted_ids(&years), strings(&["d1", "d5", "d7", "d8"]));
    let open_ended = run(
        fixture(),
        filtered(
            "",
            Filters {
                year_from: Some(2014),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(sorted_ids(&open_ended), strings(&["d1", "d2", "d5"]));
    let combined = run(
        fixture(),
        filtered(
            "缅甸",
            Filters {
                doc_type: strings(&["policy"]),
                coop_type: strings(&["人员培训", "禁种铲毒"]),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(sorted_ids(&combined), strings(&["d8"]));
}

fn counts(values: &[jindu::search::FacetValue]) -> Vec<(String, u64)> {
    values.iter().map(|v| (v.value.clone(), v.count)).collect()
}

fn pairs(values: &[(&str, u64)]) -> Vec<(String, u64)> {
    values.iter().map(|(v, c)| (v.to_string(), *c)).collect()
}

#[test]
fn facet_counts_are_disjunctive_and_exact() {
    let result = run(
        fixture(),
        filtered(
            "",
            Filters {
                country: strings(&["缅甸"]),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(result.total, 4);
    // The country facet ignores the country filter: counts over all eight documents.
    assert_eq!(
        counts(&result.facets.country),
        pairs(&[
            ("缅甸", 4),
            ("老挝", 3),
            ("巴基斯坦", 1),
            ("泰国", 1),
            ("澳大利亚", 1),
            ("美国", 1),
            ("越南", 1),
        ])
    );
    // The other facets count the four Myanmar documents.
    assert_eq!(
        counts(&result.facets.coop_type),
        pairs(&[
            ("执法合作", 2),
            ("人员培训", 1),
            ("司法协助", 1),
            ("禁种铲毒", 1)
        ])
    );
    assert_eq!(
        counts(&result.facets.doc_type),
        pairs(&[("case", 2), ("policy", 2)])
    );
    let years: Vec<(i32, u64)> = result
        .facets
        .year
        .iter()
        .map(|y| (y.value, y.count))
        .collect();
    assert_eq!(years, vec![(2011, 1), (2013, 1), (2015, 1)]);

    let narrowed = run(
        fixture(),
        filtered(
            "",
            Filters {
                country: strings(&["缅甸"]),
                doc_type: strings(&["policy"]),
                ..Filters::default()
            },
        ),
    );
    assert_eq!(narrowed.total, 2);
    assert_eq!(
        counts(&narrowed.facets.country),
        pairs(&[("缅甸", 2), ("老挝", 1), ("越南", 1)])
    );
    assert_eq!(
        counts(&narrowed.facets.doc_type),
        pairs(&[("case", 2), ("policy", 2)])
    );
    let policy = narrowed
        .facets
        .doc_type
        .iter()
        .find(|v| v.value == "policy");
    assert_eq!(
        policy.map(|v| v.count),
        Some(narrowed.total),
        "a lone filtered value counts total"
    );
}

#[test]
fn facet_counts_follow_the_query() {
    let result = q(fixture(), "执法");
    let total = result.total;
    let by_type: u64 = result.facets.doc_type.iter().map(|v| v.count).sum();
    assert_eq!(by_type, total, "each document has one type");
}

#[test]
fn snippets_mark_matches_and_never_split_characters() {
    let result = run(
        bundled(),
        SearchRequest {
            q: "替代种植".to_string(),
            snippet_chars: 40,
            limit: 20,
            ..SearchRequest::default()
        },
    );
    assert!(result.total > 0);
    for hit in &result.hits {
        let chars: Vec<char> = hit.snippet_text.chars().collect();
        assert!(
            chars.len() <= 42,
            "snippet of {} chars: {}",
            chars.len(),
            hit.snippet_text
        );
        assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
        for range in &hit.highlights {
            let marked: String = chars[range.start..range.end].iter().collect();
            assert!(marked.contains("替代种植"), "{marked}");
        }
        assert_eq!(
            hit.snippet
                .replace("<mark>", "")
                .replace("</mark>", "")
                .replace("&quot;", "\""),
            hit.snippet_text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        );
    }
    let default_length = q(bundled(), "合作");
    for hit in &default_length.hits {
        assert!(
            hit.snippet_text.chars().count() <= 122,
            "{}",
            hit.snippet_text
        );
    }
}

#[test]
fn title_snippets_and_sub_word_highlights() {
    let result = q(fixture(), "合作");
    let d5 = result.hits.iter().find(|h| h.id == "d5").expect("d5");
    assert!(
        d5.title_snippet.contains("<mark>合作</mark>"),
        "{}",
        d5.title_snippet
    );
    let traditional = q(fixture(), "緬甸");
    let d1 = traditional.hits.iter().find(|h| h.id == "d1").expect("d1");
    assert!(d1.snippet.contains("<mark>缅甸</mark>"), "{}", d1.snippet);
}

#[test]
fn out_of_range_parameters_are_errors_naming_the_parameter() {
    let cases: Vec<(SearchRequest, &str)> = vec![
        (
            SearchRequest {
                limit: 101,
                ..SearchRequest::default()
            },
            "limit",
        ),
        (
            SearchRequest {
                offset: 10_001,
                ..SearchRequest::default()
            },
            "offset",
        ),
        (
            filtered(
                "",
                Filters {
                    year_from: Some(2015),
                    year_to: Some(2010),
                    ..Filters::default()
                },
            ),
            "year_from",
        ),
        (
            filtered(
                "",
                Filters {
                    doc_type: strings(&["news"]),
                    ..Filters::default()
                },
            ),
            "doc_type",
        ),
    ];
    for (request, parameter) in cases {
        match search(fixture(), &request) {
            Err(SearchError::InvalidParameter { parameter: p, .. }) => assert_eq!(p, parameter),
            other => panic!("expected an invalid `{parameter}`, got {other:?}"),
        }
    }
    let long = SearchRequest::query("缅".repeat(1001));
    assert!(matches!(
        search(fixture(), &long),
        Err(SearchError::QueryTooLong { .. })
    ));
}

#[test]
fn malformed_syntax_degrades_gracefully() {
    for query in ["\"缅甸", "OR", "- -- -", "缅甸 OR", "“”", "((缅甸", "?？!"] {
        let result = search(fixture(), &SearchRequest::query(query));
        assert!(result.is_ok(), "{query}: {result:?}");
    }
    assert_eq!(
        sorted_ids(&q(fixture(), "\"缅甸")),
        strings(&["d1", "d3", "d8"])
    );
}

#[test]
fn paging_returns_consecutive_slices() {
    let all = run(
        fixture(),
        SearchRequest {
            limit: 8,
            ..SearchRequest::default()
        },
    );
    let page = run(
        fixture(),
        SearchRequest {
            limit: 3,
            offset: 3,
            ..SearchRequest::default()
        },
    );
    assert_eq!(ids(&page), ids(&all)[3..6].to_vec());
    assert_eq!(page.total, 8);
}

#[test]
fn the_bundled_corpus_answers_the_documented_queries() {
    let result = q(bundled(), "替代种植");
    assert!(result.hits.iter().all(|h| h.snippet.contains("<mark>")));
    let myanmar = q(bundled(), "緬甸");
    assert!(myanmar.total > 3);
    assert!(myanmar
        .hits
        .iter()
        .all(|h| h.snippet_text.contains("缅甸") || h.title.contains("缅甸")));
}

#[test]
fn or_binds_phrases_and_multi_word_alternatives() {
    assert_eq!(
        sorted_ids(&q(fixture(), "\"控制下交付\" OR \"替代种植\"")),
        strings(&["d1", "d2"])
    );
    assert_eq!(
        sorted_ids(&q(fixture(), "巴基斯坦 OR 老挝替代种植")),
        strings(&["d2", "d7"])
    );
}
