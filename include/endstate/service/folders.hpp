#pragma once
// Output folders that commands write many files into (scenario generate,
// demo, reports): never silently overwritten.

#include <string>

namespace endstate::service {

/// Creates `dir` when absent. An existing folder that is not empty is refused
/// (invalid_field(field)) unless `force`; even with `force`, a folder holding
/// an endstate database with an audit history (frameworks, sign-offs,
/// assessments) is refused: its history is never replaced.
void prepare_output_folder(const std::string& dir, bool force, const std::string& field);

/// True when `path` is an endstate SQLite database whose audit log has entries.
bool database_has_history(const std::string& path);

}  // namespace endstate::service
