//! Bash pattern matching (`case`, `[[ == ]]`, `${x#pat}`, globbing): not built yet.
