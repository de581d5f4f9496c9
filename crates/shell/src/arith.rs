//! Shell arithmetic (`$(( ))`, `(( ))`, `let`, array subscripts): not built yet.
