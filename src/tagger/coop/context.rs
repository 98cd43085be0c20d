//! The rules that read a cue in its context: pair cues and exclude pairs (two words of one
//! sentence), topic markers and suffixes (a course's subjects are not types of their own).
//! Reports on the drug situation are handled where types are given, in the parent module.

use std::collections::HashSet;

use super::super::explanation::Rejected;
use super::super::phrases::Occurrence;
use super::super::spans::{SentenceEnds, SpanIndex, SENTENCE_ENDS};
use super::super::text::Text;
use super::{unused, CoopTypes, Cue, TOPIC_SUFFIX_GAP};
use crate::knowledge::PAIR_MAX_GAP;

impl CoopTypes {
    /// The pair cues that occur: (type, head, tail) for each head followed by its tail in the
    /// same sentence at most `PAIR_MAX_GAP` chars later, neither inside an exclude phrase of
    /// the type nor (unless the type is `in_names`) inside an organisation's name, and with no
    /// strong cue of another type between them. Linear in the occurrences (times the few
    /// within a gap of each head), so long documents stay fast.
    pub(super) fn pair_hits(
        &self,
        sentences: &SentenceEnds,
        occurrences: &[Occurrence],
        excludes: &SpanIndex<usize>,
        names: &SpanIndex<()>,
    ) -> Vec<(usize, Occurrence, Occurrence)> {
        let heads = self.marked(occurrences, |cue| match cue {
            Cue::PairHead(pair) => Some(pair),
            _ => None,
        });
        let mut tails = self.marked(occurrences, |cue| match cue {
            Cue::PairTail(pair) => Some(pair),
            _ => None,
        });
        tails.sort_by_key(|(o, _)| o.start);
        let mut strong = self.marked(occurrences, |cue| match cue {
            Cue::Strong(ty) => Some(ty),
            _ => None,
        });
        strong.sort_by_key(|(o, _)| o.start);
        let usable = |o: &Occurrence, ty: usize| {
            excludes.containing(o.start, o.end, |e| e.2 == ty).is_none()
                && (self.in_names[ty] || names.containing(o.start, o.end, |_| true).is_none())
        };
        let mut seen: HashSet<(usize, usize, usize)> = HashSet::new();
        let mut hits: Vec<(usize, Occurrence, Occurrence)> = Vec::new();
        for (head, pair) in heads {
            let ty = self.pairs[pair];
            if !usable(&head, ty) || seen.contains(&(ty, head.start, head.end)) {
                continue;
            }
            let Some(tail) = first_tail(&tails, &head, pair, sentences, |t| usable(t, ty)) else {
                continue;
            };
            // 联合开展大麻铲除行动 is an eradication operation: a pair whose span holds a
            // strong cue of another type describes that type's work, not its own.
            let from = strong.partition_point(|(o, _)| o.start < head.start);
            let other_inside = strong[from..]
                .iter()
                .take_while(|(o, _)| o.start < tail.end)
                .any(|(o, other)| o.end <= tail.end && *other != ty);
            if !other_inside {
                seen.insert((ty, head.start, head.end));
                hits.push((ty, head, tail));
            }
        }
        hits
    }

    /// The words of the exclude pairs that occur, as (start, end, type): each head followed by
    /// a tail of its pair in the same sentence at most `PAIR_MAX_GAP` chars later gives the
    /// spans of both words (联络官 and 会晤 in 两国联络官每周定期会晤). A cue of the type
    /// inside one of them does not count; a longer cue around it (移交我方 in
    /// 移交我方公安机关) still does.
    pub(super) fn exclude_pair_spans(
        &self,
        sentences: &SentenceEnds,
        occurrences: &[Occurrence],
    ) -> Vec<(usize, usize, usize)> {
        let heads = self.marked(occurrences, |cue| match cue {
            Cue::ExcludeHead(pair) => Some(pair),
            _ => None,
        });
        if heads.is_empty() {
            return Vec::new();
        }
        let mut tails = self.marked(occurrences, |cue| match cue {
            Cue::ExcludeTail(pair) => Some(pair),
            _ => None,
        });
        tails.sort_by_key(|(o, _)| o.start);
        heads
            .into_iter()
            .filter_map(|(head, pair)| {
                let tail = first_tail(&tails, &head, pair, sentences, |_| true)?;
                let ty = self.exclude_pairs[pair];
                Some([(head.start, head.end, ty), (tail.start, tail.end, ty)])
            })
            .flatten()
            .collect()
    }

    /// Drops the cues that name the subject of another type's work: those after a topic
    /// marker of a type with a strong cue, in the same sentence (课程涵盖…控制下交付 in a
    /// training text is no joint operation). Returns the spans after such markers, to the
    /// end of their sentences: a foreign place there is a course's subject, not a partner.
    pub(super) fn drop_topics(
        &self,
        text: &Text,
        sentences: &SentenceEnds,
        occurrences: &[Occurrence],
        cues: &mut Vec<(Occurrence, usize, bool)>,
        rejected: &mut Vec<Rejected>,
    ) -> Vec<(usize, usize)> {
        let given = |ty: &usize| cues.iter().any(|c| c.1 == *ty && c.2);
        let mut markers = self.marked(occurrences, |cue| match cue {
            Cue::Topic(ty) => Some(ty),
            _ => None,
        });
        markers.retain(|(_, ty)| given(ty));
        let mut suffixes = self.marked(occurrences, |cue| match cue {
            Cue::TopicSuffix(ty) => Some(ty),
            _ => None,
        });
        suffixes.retain(|(_, ty)| given(ty));
        if markers.is_empty() && suffixes.is_empty() {
            return Vec::new();
        }
        markers.sort_by_key(|(m, _)| m.end);
        suffixes.sort_by_key(|(m, _)| m.start);
        let clauses = SentenceEnds::clauses(&text.chars);
        cues.retain(|(o, ty, _)| {
            // The nearest marker of another type before the cue; an earlier one is in the
            // same sentence only if this one is.
            let before = markers.partition_point(|(m, _)| m.end <= o.start);
            let marker = markers[..before]
                .iter()
                .rev()
                .find(|(_, mty)| mty != ty)
                .filter(|(m, _)| !sentences.between(m.end, o.start));
            // Or a suffix of another type right after it, in the same clause (援建的培训中心:
            // a 的 between makes the cue a modifier of its own, not a course's subject; a 、
            // makes it an item of a list of modes: 执法合作、司法协助、人员培训).
            let after = suffixes.partition_point(|(m, _)| m.start < o.end);
            let marker = marker.or_else(|| {
                suffixes[after..]
                    .iter()
                    .take_while(|(m, _)| m.start - o.end <= TOPIC_SUFFIX_GAP)
                    .find(|(m, mty)| {
                        mty != ty
                            && !clauses.between(o.end, m.start)
                            && !text.chars[o.end..m.start]
                                .iter()
                                .any(|c| matches!(c, '的' | '、'))
                    })
            });
            match marker {
                Some((m, mty)) => {
                    rejected.push(unused(
                        text,
                        o.start,
                        o.end,
                        format!(
                            "cue of {} next to {}: the subject of {}",
                            self.names[*ty],
                            text.word(m.start, m.end),
                            self.names[*mty]
                        ),
                    ));
                    false
                }
                None => true,
            }
        });
        // What follows a marker, to the end of its sentence, is the subject of the work.
        markers
            .iter()
            .map(|(m, _)| {
                let end = text.chars[m.end..]
                    .iter()
                    .position(|c| SENTENCE_ENDS.contains(c))
                    .map_or(text.chars.len(), |at| m.end + at);
                (m.end, end)
            })
            .collect()
    }
}

/// The first tail of `pair` after `head` (in `tails`, sorted by start) that lies in the same
/// sentence, at most `PAIR_MAX_GAP` chars later, and that `accept` takes.
fn first_tail(
    tails: &[(Occurrence, usize)],
    head: &Occurrence,
    pair: usize,
    sentences: &SentenceEnds,
    accept: impl Fn(&Occurrence) -> bool,
) -> Option<Occurrence> {
    let first = tails.partition_point(|(t, _)| t.start < head.end);
    tails[first..]
        .iter()
        .take_while(|(t, _)| t.start - head.end <= PAIR_MAX_GAP)
        .find(|(t, p)| *p == pair && accept(t) && !sentences.between(head.end, t.start))
        .map(|(t, _)| *t)
}
