//! Shell variables: scalars, sparse indexed arrays and associative arrays, with bash's
//! attributes, in a global scope plus one scope per running function (dynamic scoping,
//! as `local` gives). Scopes are persistent maps, so a subshell's copy is cheap.

/// Variable scopes are persistent maps with a fast hash (names are short).
type HashMap<K, V> = imbl::GenericHashMap<
    K,
    V,
    std::hash::BuildHasherDefault<crate::interp::Fnv>,
    imbl::shared_ptr::DefaultSharedPtr,
>;
use std::collections::BTreeMap;

/// Attribute bits (`declare -i -l -u -x -r -n -a -A`).
pub mod attr {
    /// `-i`: assignments are evaluated arithmetically.
    pub const INTEGER: u16 = 1;
    /// `-l`: assignments are lowercased.
    pub const LOWER: u16 = 2;
    /// `-u`: assignments are uppercased.
    pub const UPPER: u16 = 4;
    /// `-x`: exported to commands.
    pub const EXPORT: u16 = 8;
    /// `-r`: read-only.
    pub const READONLY: u16 = 16;
    /// `-n`: a name reference.
    pub const NAMEREF: u16 = 32;
    /// `-a`: an indexed array.
    pub const ARRAY: u16 = 64;
    /// `-A`: an associative array.
    pub const ASSOC: u16 = 128;
    /// `-t`: trace (kept for `declare -p`).
    pub const TRACE: u16 = 256;
}

/// A variable's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A plain string.
    Scalar(String),
    /// An indexed array (sparse).
    Indexed(BTreeMap<i64, String>),
    /// An associative array.
    Assoc(BTreeMap<String, String>),
}

impl Value {
    /// The value as `$name` sees it: a scalar, or element 0 of an indexed array, or
    /// element "0" of an associative array.
    pub fn scalar(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s),
            Value::Indexed(m) => m.get(&0).map(String::as_str),
            Value::Assoc(m) => m.get("0").map(String::as_str),
        }
    }

    /// Every element's value, in index order (a scalar is one element).
    pub fn values(&self) -> Vec<String> {
        match self {
            Value::Scalar(s) => vec![s.clone()],
            Value::Indexed(m) => m.values().cloned().collect(),
            Value::Assoc(m) => m.values().cloned().collect(),
        }
    }

    /// Every element's key, in order.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Value::Scalar(_) => vec!["0".to_string()],
            Value::Indexed(m) => m.keys().map(i64::to_string).collect(),
            Value::Assoc(m) => m.keys().cloned().collect(),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Value::Scalar(_) => 1,
            Value::Indexed(m) => m.len(),
            Value::Assoc(m) => m.len(),
        }
    }

    /// True if there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One variable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Var {
    /// None for a declared but unset variable (`declare x`, `local x`).
    pub value: Option<Value>,
    /// Attribute bits, see [`attr`].
    pub attrs: u16,
}

impl Var {
    /// A set scalar.
    pub fn scalar(s: impl Into<String>) -> Var {
        Var {
            value: Some(Value::Scalar(s.into())),
            attrs: 0,
        }
    }

    /// True if it has attribute `a`.
    pub fn has(&self, a: u16) -> bool {
        self.attrs & a != 0
    }
}

/// Variable scopes: the global one and one per active function call.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    global: HashMap<String, Var>,
    frames: Vec<HashMap<String, Var>>,
}

impl Vars {
    /// No variables.
    pub fn new() -> Self {
        Vars::default()
    }

    /// The variable visible under `name` (innermost scope first).
    pub fn get(&self, name: &str) -> Option<&Var> {
        for f in self.frames.iter().rev() {
            if let Some(v) = f.get(name) {
                return Some(v);
            }
        }
        self.global.get(name)
    }

    /// The visible variable for writing, if it exists.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Var> {
        for f in self.frames.iter_mut().rev() {
            if f.contains_key(name) {
                return f.get_mut(name);
            }
        }
        self.global.get_mut(name)
    }

    /// The visible variable for writing, created (unset, no attributes) in the global scope
    /// if it does not exist.
    pub fn entry(&mut self, name: &str) -> &mut Var {
        let in_frame = self.frames.iter().rposition(|f| f.contains_key(name));
        match in_frame {
            Some(i) => self.frames[i].entry(name.to_string()).or_default(),
            None => self.global.entry(name.to_string()).or_default(),
        }
    }

    /// Declare `name` in the innermost function scope (or globally outside functions);
    /// returns it for setting.
    pub fn local(&mut self, name: &str) -> &mut Var {
        match self.frames.last_mut() {
            Some(f) => f.entry(name.to_string()).or_default(),
            None => self.global.entry(name.to_string()).or_default(),
        }
    }

    /// True if `name` is declared in the innermost function scope.
    pub fn is_local(&self, name: &str) -> bool {
        self.frames.last().is_some_and(|f| f.contains_key(name))
    }

    /// Remove the visible `name`. In a function scope, bash's `unset` of a local leaves
    /// the outer variable hidden... no: it reveals the outer one; we remove the innermost.
    pub fn remove(&mut self, name: &str) -> Option<Var> {
        for f in self.frames.iter_mut().rev() {
            if f.contains_key(name) {
                return f.remove(name);
            }
        }
        self.global.remove(name)
    }

    /// The names set in the innermost frame, sorted.
    pub fn local_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .frames
            .last()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Enter a function call.
    pub fn push_frame(&mut self) {
        self.frames.push(HashMap::default());
    }

    /// Leave a function call.
    pub fn pop_frame(&mut self) {
        self.frames.pop();
    }

    /// Number of active function scopes.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Every visible variable name, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut seen: std::collections::BTreeSet<String> = self.global.keys().cloned().collect();
        for f in &self.frames {
            seen.extend(f.keys().cloned());
        }
        seen.into_iter().collect()
    }

    /// Exported, set variables as `NAME=value` pairs, sorted by name.
    pub fn exported(&self) -> Vec<(String, String)> {
        self.names()
            .into_iter()
            .filter_map(|n| {
                let v = self.get(&n)?;
                if !v.has(attr::EXPORT) {
                    return None;
                }
                let s = v.value.as_ref()?.scalar()?.to_string();
                Some((n, s))
            })
            .collect()
    }
}

/// True if `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_scoping() {
        let mut v = Vars::new();
        *v.entry("x") = Var::scalar("global");
        v.push_frame();
        *v.local("x") = Var::scalar("local");
        assert_eq!(
            v.get("x")
                .and_then(|x| x.value.as_ref()?.scalar().map(String::from)),
            Some("local".into())
        );
        *v.entry("y") = Var::scalar("made in function");
        v.pop_frame();
        assert_eq!(
            v.get("x").unwrap().value,
            Some(Value::Scalar("global".into()))
        );
        assert!(v.get("y").is_some());
    }

    #[test]
    fn names_and_exports() {
        let mut v = Vars::new();
        *v.entry("B") = Var::scalar("1");
        let a = v.entry("A");
        *a = Var::scalar("2");
        a.attrs |= attr::EXPORT;
        assert_eq!(v.names(), ["A", "B"]);
        assert_eq!(v.exported(), [("A".to_string(), "2".to_string())]);
        assert!(is_name("_a1") && !is_name("1a") && !is_name("a-b") && !is_name(""));
    }
}
