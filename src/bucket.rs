//! Buckets into edges: the items that share a key (an LSH band key, an
//! anchor shingle) joined by candidate edges, linear in their number.
//!
//! Listing every pair of a bucket is quadratic: a crawl that holds one page
//! ten thousand times, each copy with its own date line, puts ten thousand
//! items in every band's bucket, 50 million pairs. Connectivity is what the
//! later stages need (candidates are verified, then grouped by union-find),
//! so a large bucket is joined by a *star* around its first item and a
//! *chain* through its items in order, as text-dedup and NeMo Curator do
//! (they keep the star alone): `2m - 3` edges for `m` items. The chain is
//! there for the star's weak spot: when the first item is the odd one out
//! (similar enough to share a band key, not to pass verification), the
//! chain still joins the others. A bucket of at most [`ALL_PAIRS_UP_TO`]
//! items lists every pair, as before, so small corpora are compared
//! exactly as pair by pair.
//!
//! The caller's order decides the star's centre and the chain; the pipeline
//! orders items by document id, so that input order never changes the
//! edges.

/// A bucket of at most this many items lists every pair (28 edges at
/// most); a larger one a star and a chain.
pub const ALL_PAIRS_UP_TO: usize = 8;

/// Appends the edges joining the items of `bucket`, in the caller's order,
/// each as `(lower, higher)`: every pair for a bucket of at most
/// [`ALL_PAIRS_UP_TO`] items; otherwise each item with the first (a star)
/// and each with the next (a chain), `2m - 3` edges for `m` items. Equal
/// items are not paired with themselves.
///
/// # Examples
///
/// ```
/// use chachong::bucket::bucket_edges_into;
///
/// let mut edges = Vec::new();
/// bucket_edges_into(&[3, 1, 2], &mut edges);
/// assert_eq!(edges, [(1, 3), (2, 3), (1, 2)]);
///
/// // Ten items: nine star edges around 0 and eight chain edges, of which
/// // 0-1 is already in the star.
/// let ten: Vec<u32> = (0..10).collect();
/// edges.clear();
/// bucket_edges_into(&ten, &mut edges);
/// assert_eq!(edges.len(), 9 + 8);
/// assert!(edges.contains(&(0, 9)) && edges.contains(&(4, 5)));
/// ```
pub fn bucket_edges_into<Id: Copy + Ord>(bucket: &[Id], out: &mut Vec<(Id, Id)>) {
    let edge = |a: Id, b: Id| (a.min(b), a.max(b));
    if bucket.len() <= ALL_PAIRS_UP_TO {
        for (i, &a) in bucket.iter().enumerate() {
            out.extend(
                bucket[i + 1..]
                    .iter()
                    .filter(|&&b| b != a)
                    .map(|&b| edge(a, b)),
            );
        }
        return;
    }
    let first = bucket[0];
    out.extend(
        bucket[1..]
            .iter()
            .filter(|&&b| b != first)
            .map(|&b| edge(first, b)),
    );
    // The star already holds the chain's first link.
    out.extend(
        bucket[1..]
            .windows(2)
            .filter(|w| w[0] != w[1])
            .map(|w| edge(w[0], w[1])),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::connected_groups;

    fn edges(bucket: &[usize]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        bucket_edges_into(bucket, &mut out);
        out
    }

    #[test]
    fn small_buckets_list_every_pair() {
        for m in 0..=ALL_PAIRS_UP_TO {
            let bucket: Vec<usize> = (0..m).collect();
            assert_eq!(edges(&bucket).len(), m * m.saturating_sub(1) / 2, "m = {m}");
        }
    }

    #[test]
    fn large_buckets_are_linear_and_connected() {
        for m in [ALL_PAIRS_UP_TO + 1, 100, 10_000] {
            let bucket: Vec<usize> = (0..m).rev().collect();
            let e = edges(&bucket);
            assert_eq!(e.len(), 2 * m - 3, "m = {m}");
            assert!(e.iter().all(|&(a, b)| a < b));
            assert_eq!(connected_groups(m, e.iter().copied()).len(), 1);
        }
    }

    #[test]
    fn the_others_stay_joined_when_the_first_is_cut_off() {
        let bucket: Vec<usize> = (0..20).collect();
        let without_first = edges(&bucket).into_iter().filter(|&(a, _)| a != 0);
        let groups = connected_groups(20, without_first);
        assert_eq!(groups, [(1..20).collect::<Vec<_>>()]);
    }

    #[test]
    fn an_item_is_never_paired_with_itself() {
        assert!(edges(&[4, 4]).is_empty());
        let repeated = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
        assert!(edges(&repeated).iter().all(|&(a, b)| a != b));
    }
}
