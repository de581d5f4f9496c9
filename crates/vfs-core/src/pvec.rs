//! A persistent vector for the inode table: a radix trie of 64-wide nodes behind `Arc`s.
//! Cloning is O(1); a write copies only the path to the element (one 64-slot leaf and
//! its ancestors) when a clone shares it; an index is a few shifts and pointer hops.

use std::sync::Arc;

const BITS: u32 = 6;
const WIDTH: usize = 1 << BITS;
const MASK: usize = WIDTH - 1;

#[derive(Clone, Debug)]
enum PNode<T> {
    Leaf(Vec<T>),
    Branch(Vec<Arc<PNode<T>>>),
}

/// A persistent vector.
#[derive(Clone, Debug)]
pub(crate) struct PVec<T> {
    root: Arc<PNode<T>>,
    len: usize,
    /// Branch levels above the leaves.
    depth: u32,
}

impl<T: Clone> PVec<T> {
    pub fn new() -> Self {
        PVec {
            root: Arc::new(PNode::Leaf(Vec::with_capacity(WIDTH))),
            len: 0,
            depth: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn capacity(&self) -> usize {
        1usize
            .checked_shl(BITS * (self.depth + 1))
            .unwrap_or(usize::MAX)
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let mut node = &*self.root;
        let mut level = self.depth;
        loop {
            match node {
                PNode::Branch(children) => {
                    let idx = (i >> (BITS * level)) & MASK;
                    node = children.get(idx)?;
                    level = level.checked_sub(1)?;
                }
                PNode::Leaf(items) => return items.get(i & MASK),
            }
        }
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        let mut node = Arc::make_mut(&mut self.root);
        let mut level = self.depth;
        loop {
            match node {
                PNode::Branch(children) => {
                    let idx = (i >> (BITS * level)) & MASK;
                    node = Arc::make_mut(children.get_mut(idx)?);
                    level = level.checked_sub(1)?;
                }
                PNode::Leaf(items) => return items.get_mut(i & MASK),
            }
        }
    }

    pub fn push_back(&mut self, v: T) {
        if self.len == self.capacity() {
            let old = std::mem::replace(&mut self.root, Arc::new(PNode::Branch(Vec::new())));
            self.root = Arc::new(PNode::Branch(vec![old]));
            self.depth += 1;
        }
        let i = self.len;
        let mut node = Arc::make_mut(&mut self.root);
        let mut level = self.depth;
        loop {
            match node {
                PNode::Branch(children) => {
                    let idx = (i >> (BITS * level)) & MASK;
                    if idx == children.len() {
                        let fresh = if level == 1 {
                            PNode::Leaf(Vec::with_capacity(WIDTH))
                        } else {
                            PNode::Branch(Vec::new())
                        };
                        children.push(Arc::new(fresh));
                    }
                    let Some(child) = children.get_mut(idx) else {
                        return;
                    };
                    node = Arc::make_mut(child);
                    level = level.saturating_sub(1);
                }
                PNode::Leaf(items) => {
                    items.push(v);
                    self.len += 1;
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_set_across_levels() {
        let mut v = PVec::new();
        for i in 0..10_000usize {
            v.push_back(i);
        }
        assert_eq!(v.len(), 10_000);
        for i in [0, 63, 64, 4095, 4096, 9999] {
            assert_eq!(v.get(i), Some(&i));
        }
        assert_eq!(v.get(10_000), None);
        let snapshot = v.clone();
        *v.get_mut(5000).unwrap() = 7;
        assert_eq!(v.get(5000), Some(&7));
        assert_eq!(snapshot.get(5000), Some(&5000));
        assert_eq!((0..10_000).filter(|&i| v.get(i) == Some(&7)).count(), 2);
    }
}
