//! The data that passes between the pipeline's stages.
//!
//! Each stage takes and returns plain data, so that a stage can run apart
//! from the others (on a shard, from disk, on another machine) and its
//! output be written down and read back. The shapes are struct-of-arrays
//! where items are many:
//!
//! ```text
//! fingerprint ─► Prints (per item: count, hidden, set?, band keys?, signature?, SimHash?)
//! candidates  ─► Candidates (sorted, distinct edges; or every pair, never materialised)
//! components  ─► Components (members and local edges of each connected component)
//! verification ► Verified pairs (overlap, estimate)
//! clusters    ─► guarded groups, then the report's clusters
//! ```
//!
//! An [`Item`] is a document (its position in the input) at document level,
//! a paragraph (numbered across the corpus, document by document) at
//! paragraph level.

use std::ops::Range;

use crate::corpus::DocId;
use crate::verify::Overlap;

/// One item of a level: see the module docs. Private to the pipeline, so
/// that a paragraph number is never taken for a document's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Item(u32);

impl Item {
    /// # Panics
    ///
    /// If `index` does not fit in a `u32`; the pipeline checks the corpus
    /// (documents and paragraphs) before it numbers items.
    pub(crate) fn new(index: usize) -> Item {
        Item(u32::try_from(index).expect("item index fits in u32"))
    }

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The fingerprints of one level, item by item.
///
/// Every vector but `signatures` and `band_keys` has one entry per item;
/// those two hold `num_perm` values or `bands` keys per item when they are
/// kept, and are empty otherwise.
#[derive(Debug, Default)]
pub(crate) struct Prints {
    /// Distinct shingles of each item (known even when its set is dropped).
    pub(crate) counts: Vec<usize>,
    /// Shingles of each item a mask kept out (character shingles only).
    pub(crate) hidden: Vec<usize>,
    /// Shingle sets, distinct and sorted; empty vectors where a set is not
    /// kept (with band keys, only early candidates keep theirs).
    pub(crate) sets: Vec<Vec<u64>>,
    /// LSH band keys, `bands` per item, when sets and signatures are not
    /// kept ([`ShingleSets::Recompute`](crate::ShingleSets::Recompute)).
    pub(crate) band_keys: Vec<u64>,
    /// MinHash signatures, `num_perm` per item, when kept.
    pub(crate) signatures: Vec<u32>,
    /// SimHashes (0 unless the method is SimHash).
    pub(crate) simhashes: Vec<u64>,
    /// Each item's original: the first item with the same folded text
    /// ([`copies`](super::copies)), itself for an original. A copy keeps
    /// no set, and its signature and band keys are zeros: it takes no part
    /// in candidate search or verification, and is paired with its
    /// original afterwards.
    pub(crate) original: Vec<Item>,
}

/// The fingerprint of one text, before it joins its level's [`Prints`].
#[derive(Debug, Default)]
pub(crate) struct ItemPrints {
    pub(crate) set: Vec<u64>,
    pub(crate) count: usize,
    pub(crate) signature: Vec<u32>,
    pub(crate) band_keys: Vec<u64>,
    pub(crate) simhash: u64,
    pub(crate) hidden: usize,
}

impl Prints {
    /// Room for `n` items like `sample`'s, reserved exactly: at a million
    /// documents, the slack of vectors grown by doubling is a sizeable
    /// share of the memory a run needs.
    pub(crate) fn with_capacity<'p>(
        n: usize,
        sample: impl Iterator<Item = &'p ItemPrints>,
    ) -> Prints {
        let (mut signatures, mut band_keys) = (0, 0);
        for p in sample {
            signatures += p.signature.len();
            band_keys += p.band_keys.len();
        }
        Prints {
            sets: Vec::with_capacity(n),
            counts: Vec::with_capacity(n),
            signatures: Vec::with_capacity(signatures),
            band_keys: Vec::with_capacity(band_keys),
            simhashes: Vec::with_capacity(n),
            hidden: Vec::with_capacity(n),
            original: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push(&mut self, prints: ItemPrints) {
        self.original.push(Item::new(self.original.len()));
        self.hidden.push(prints.hidden);
        self.counts.push(prints.count);
        self.sets.push(prints.set);
        self.signatures.extend_from_slice(&prints.signature);
        self.band_keys.extend_from_slice(&prints.band_keys);
        self.simhashes.push(prints.simhash);
    }

    pub(crate) fn len(&self) -> usize {
        self.counts.len()
    }

    /// The shingle set of item `i`, through its original if it is a copy.
    pub(crate) fn set(&self, i: usize) -> &[u64] {
        &self.sets[self.original[i].index()]
    }

    /// Whether item `i` is the original of its text.
    pub(crate) fn is_original(&self, i: usize) -> bool {
        self.original[i].index() == i
    }

    /// Prints of items that have only these sets, for tests.
    #[cfg(test)]
    pub(crate) fn of_sets(sets: &[&[u64]]) -> Prints {
        let mut out = Prints::default();
        for set in sets {
            out.push(ItemPrints {
                set: set.to_vec(),
                count: set.len(),
                ..ItemPrints::default()
            });
        }
        out
    }

    /// The signature of the item at `slot`, if signatures are kept.
    pub(crate) fn signature(&self, slot: usize, num_perm: usize) -> Option<&[u32]> {
        self.signatures.get(slot * num_perm..(slot + 1) * num_perm)
    }
}

/// Where a paragraph item comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// Its document.
    pub(crate) document: DocId,
    /// Its index among the document's paragraphs.
    pub(crate) paragraph: usize,
    /// Its length in normalised characters.
    pub(crate) chars: usize,
}

/// Paragraph items: their prints and where each comes from.
#[derive(Debug, Default)]
pub(crate) struct ParagraphPrints {
    pub(crate) prints: Prints,
    pub(crate) owners: Vec<Owner>,
    /// Document `i`'s paragraphs are items `starts[i]..starts[i + 1]`.
    pub(crate) starts: Vec<usize>,
}

impl ParagraphPrints {
    /// The paragraph items of document `doc`.
    pub(crate) fn of(&self, doc: DocId) -> Range<usize> {
        self.starts[doc.index()]..self.starts[doc.index() + 1]
    }

    /// The shingle sets of document `doc`'s paragraphs, in order.
    pub(crate) fn sets_of(&self, doc: DocId) -> impl Iterator<Item = &[u64]> + '_ {
        self.of(doc).map(|i| self.prints.set(i))
    }
}

/// What candidate search hands to verification.
#[derive(Debug)]
pub(crate) enum Candidates {
    /// These pairs `(lower, higher)`, sorted, each once.
    Edges(Vec<(Item, Item)>),
    /// Every pair of these items (sorted): the exact method, which is never
    /// materialised (a million items have 5 · 10^11 pairs).
    AllPairs(Vec<Item>),
}

impl Candidates {
    /// How many pairs verification will measure.
    pub(crate) fn len(&self) -> usize {
        match self {
            Candidates::Edges(pairs) => pairs.len(),
            Candidates::AllPairs(items) => items.len() * items.len().saturating_sub(1) / 2,
        }
    }
}

/// A component's pairs to verify, in local indices of its members.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LocalPairs<'a> {
    /// These pairs, sorted.
    Listed(&'a [(u32, u32)]),
    /// Every pair of members.
    All,
}

/// One connected component of the candidate graph.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Component<'a> {
    /// Its items, sorted.
    pub(crate) members: &'a [Item],
    /// The pairs among them to verify.
    pub(crate) pairs: LocalPairs<'a>,
}

impl Component<'_> {
    /// The local index of `item`.
    ///
    /// # Panics
    ///
    /// If `item` is not a member: verified pairs join members of their
    /// component, so this is a bug in the caller.
    pub(crate) fn local(&self, item: Item) -> u32 {
        let at = self
            .members
            .binary_search(&item)
            .expect("a verified pair joins members of its component");
        at as u32
    }
}

/// Connected components of the candidate graph, each with its members and
/// its edges in local indices (compressed: component `k`'s members are
/// `members[member_starts[k]..member_starts[k + 1]]`).
#[derive(Debug, Default)]
pub(crate) struct Components {
    pub(crate) members: Vec<Item>,
    pub(crate) member_starts: Vec<usize>,
    pub(crate) edges: Vec<(u32, u32)>,
    pub(crate) edge_starts: Vec<usize>,
    /// Whether the edges are listed, or every pair of members is one.
    pub(crate) pairing: Pairing,
}

/// Which pairs of a component's members verification measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Pairing {
    /// The candidate edges listed for it.
    #[default]
    Listed,
    /// Every pair: the exact method's one component of every active item.
    Every,
}

impl Components {
    pub(crate) fn len(&self) -> usize {
        self.member_starts.len().saturating_sub(1)
    }

    pub(crate) fn get(&self, k: usize) -> Component<'_> {
        let members = &self.members[self.member_starts[k]..self.member_starts[k + 1]];
        let pairs = match self.pairing {
            Pairing::Every => LocalPairs::All,
            Pairing::Listed => {
                LocalPairs::Listed(&self.edges[self.edge_starts[k]..self.edge_starts[k + 1]])
            }
        };
        Component { members, pairs }
    }
}

/// A candidate pair that passed verification, with what it was measured
/// to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Verified {
    pub(crate) a: Item,
    pub(crate) b: Item,
    /// The exact overlap (without boilerplate, when it was left out).
    pub(crate) overlap: Overlap,
    /// The fingerprint's estimate of the Jaccard similarity, when computed.
    pub(crate) estimate: Option<f64>,
}
