//! awk associative arrays: string keys, insertion-ordered iteration (deleted slots are
//! tombstones until compaction).

use std::collections::HashMap;
use std::rc::Rc;

use super::value::Value;

/// An awk array.
#[derive(Debug, Default, Clone)]
pub struct Array {
    index: HashMap<Rc<[u8]>, usize>,
    slots: Vec<Option<(Rc<[u8]>, Value)>>,
}

impl Array {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// The element at `key`.
    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        let &i = self.index.get(key)?;
        self.slots[i].as_ref().map(|(_, v)| v)
    }

    /// The element at `key`, created (uninitialized) if missing.
    pub fn get_or_create(&mut self, key: &[u8]) -> &mut Value {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                let k: Rc<[u8]> = Rc::from(key);
                let i = self.slots.len();
                self.slots.push(Some((Rc::clone(&k), Value::Uninit)));
                self.index.insert(k, i);
                i
            }
        };
        &mut self.slots[i]
            .get_or_insert_with(|| (Rc::from(key), Value::Uninit))
            .1
    }

    /// Set `key` to `v`.
    pub fn set(&mut self, key: &[u8], v: Value) {
        *self.get_or_create(key) = v;
    }

    /// Remove `key`.
    pub fn remove(&mut self, key: &[u8]) {
        if let Some(i) = self.index.remove(key) {
            self.slots[i] = None;
            if self.slots.len() > 32 && self.index.len() * 2 < self.slots.len() {
                self.compact();
            }
        }
    }

    fn compact(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.index.clear();
        for (k, v) in old.into_iter().flatten() {
            self.index.insert(Rc::clone(&k), self.slots.len());
            self.slots.push(Some((k, v)));
        }
    }

    /// Remove everything.
    pub fn clear(&mut self) {
        self.index.clear();
        self.slots.clear();
    }

    /// The keys, in insertion order.
    pub fn keys(&self) -> Vec<Rc<[u8]>> {
        self.slots
            .iter()
            .flatten()
            .map(|(k, _)| Rc::clone(k))
            .collect()
    }

    /// The (key, value) pairs, in insertion order.
    pub fn entries(&self) -> Vec<(Rc<[u8]>, Value)> {
        self.slots.iter().flatten().cloned().collect()
    }
}
